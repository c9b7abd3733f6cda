// Content-addressed, read-only copies of the original evidence bytes, plus derived thumbnails.
// Files reach the store by an atomic rename from tmp/, so a crash leaves either nothing or a whole
// file; whole files the database never recorded are swept away before the next write.
import fs from 'node:fs';
import path from 'node:path';
import { assertSha256Hex } from './case-integrity.ts';

const SHA256_NAME = /^[0-9a-f]{64}$/;

export interface SweepResult {
  tmpFiles: number;
  orphanEvidence: number;
  orphanThumbnails: number;
}

export class ContentStore {
  readonly root: string;
  readonly tmpDir: string;

  constructor(caseDir: string) {
    this.root = caseDir;
    this.tmpDir = path.join(caseDir, 'tmp');
    for (const dir of [this.tmpDir, path.join(caseDir, 'evidence'), path.join(caseDir, 'thumbs')]) {
      fs.mkdirSync(dir, { recursive: true });
    }
  }

  /** Derived from the hash alone, which must be hex: a hash column holding a path is refused. */
  evidencePath(sha256: string): string {
    assertSha256Hex(sha256, 'an evidence hash');
    return path.join(this.root, 'evidence', sha256.slice(0, 2), sha256);
  }

  thumbnailPath(sha256: string): string {
    assertSha256Hex(sha256, 'a thumbnail hash');
    return path.join(this.root, 'thumbs', sha256.slice(0, 2), `${sha256}.webp`);
  }

  /** Moves a fully written, fsynced temp file into place and makes it read-only. Synchronous on purpose:
   *  callers run it inside the same tick as the database commit that records it. */
  placeEvidence(tmpFile: string, sha256: string): void {
    const target = this.evidencePath(sha256);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(tmpFile, target);
    fs.chmodSync(target, 0o444);
  }

  placeThumbnail(sha256: string, webp: Uint8Array): void {
    const target = this.thumbnailPath(sha256);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = path.join(this.tmpDir, `${sha256}.thumb`);
    fs.writeFileSync(tmp, webp);
    fs.renameSync(tmp, target);
  }

  /** Removes what an interrupted write left behind: temp files, and store files no row refers to. */
  sweep(isRecorded: (sha256: string) => boolean, hasThumbnail: (sha256: string) => boolean): SweepResult {
    const result: SweepResult = { tmpFiles: 0, orphanEvidence: 0, orphanThumbnails: 0 };
    for (const name of fs.readdirSync(this.tmpDir)) {
      fs.rmSync(path.join(this.tmpDir, name), { force: true, recursive: true });
      result.tmpFiles++;
    }
    result.orphanEvidence = this.sweepTree('evidence', (name) => name, isRecorded);
    result.orphanThumbnails = this.sweepTree('thumbs', (name) => name.replace(/\.webp$/, ''), hasThumbnail);
    return result;
  }

  private sweepTree(folder: string, shaOf: (name: string) => string, isRecorded: (sha256: string) => boolean): number {
    let removed = 0;
    const base = path.join(this.root, folder);
    for (const prefix of fs.readdirSync(base, { withFileTypes: true })) {
      // File managers drop files such as .DS_Store here; only the hash-prefix folders are ours.
      if (!prefix.isDirectory()) continue;
      const dir = path.join(base, prefix.name);
      for (const name of fs.readdirSync(dir)) {
        const sha = shaOf(name);
        if (SHA256_NAME.test(sha) && isRecorded(sha)) continue;
        fs.rmSync(path.join(dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
