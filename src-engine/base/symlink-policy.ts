// Symbolic links met while walking the examiner's selection. A link is never followed out of the
// selected folders (a link to /etc/passwd, to a folder elsewhere, or to / would otherwise import
// or walk the machine); it is recorded with its target instead. Following links that stay inside
// the selection is an option. The selected paths themselves are the examiner's choice, and are
// resolved like any path they typed.
import fs from 'node:fs/promises';
import path from 'node:path';

/** 'record': links are listed, never followed. 'follow-inside': followed when they resolve inside the selection. */
export type LinkPolicy = 'record' | 'follow-inside';

export interface LinkRecord {
  /** The link itself. */
  path: string;
  /** What it points to, as written in the link. */
  target: string;
  /** Where that resolves to, or null when it leads nowhere (dangling, or a loop). */
  resolved: string | null;
  reason: string;
}

export type LinkDecision = { follow: true; resolved: string } | { follow: false; record: LinkRecord };

function isWithin(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** `roots`: the real paths of the selected files and folders. */
export async function decideLink(link: string, roots: readonly string[], policy: LinkPolicy): Promise<LinkDecision> {
  const target = await fs.readlink(link).catch((error: Error) => `(unreadable: ${error.message})`);
  const resolved = await fs.realpath(link).catch(() => null);
  const record = (reason: string): LinkDecision => ({ follow: false, record: { path: link, target, resolved, reason } });
  if (resolved === null) return record('symbolic link to nothing (dangling or a loop): not followed');
  const inside = roots.some((root) => isWithin(root, resolved));
  if (!inside) return record('symbolic link out of the selected folders: not followed, not imported');
  if (policy !== 'follow-inside') return record('symbolic link: not followed (links inside the selection are followed only when asked)');
  return { follow: true, resolved };
}
