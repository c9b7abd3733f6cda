// `modelprint report`: re-verifies every exhibit, then writes the PDF report and its JSON bundle
// into the case (and, with --out, copies them to a folder), recording both with their hashes.
import fs from 'node:fs';
import path from 'node:path';
import { REPORT_SECTIONS, type JobStatus, type ReportSection } from '../../api/contract.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { CliContext, Command } from '../context.ts';
import { runEngineJob, withEngine } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { parseItemList } from '../item-list.ts';
import { UsageError } from '../usage-error.ts';

type ReportJob = Extract<JobStatus, { kind: 'report' }>;

function parseSections(value: string | boolean | undefined): ReportSection[] | undefined {
  if (value === undefined) return undefined;
  const names = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(REPORT_SECTIONS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`--sections takes a comma-separated list of: ${REPORT_SECTIONS.join(', ')}`);
  return names as ReportSection[];
}

/** --items, --tag or --all-items (one at most); none: the bookmarked items when there are any, else all. */
async function chosenItems(ctx: CliContext, caseId: string, values: Record<string, string | boolean | undefined>): Promise<{ itemIds: number[] | undefined; allItems: boolean }> {
  const given = (['items', 'tag', 'all-items'] as const).filter((option) => values[option] !== undefined);
  if (given.length > 1) throw new UsageError(`--${given.join(', --')}: give one way of choosing the items`);
  if (values['all-items']) return { itemIds: undefined, allItems: true };
  if (typeof values.tag !== 'string') return { itemIds: parseItemList(values.items), allItems: false };
  const tag = values.tag;
  const itemIds = await withEngine(ctx, (engine) => engine.handlers.listItemIds({ caseId, query: { tag } }));
  if (itemIds.length === 0) throw new UsageError(`no item carries the tag "${tag}" (modelprint tag --case <case> --list lists the tags)`);
  return { itemIds, allItems: false };
}

export const reportCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, {
    items: { type: 'string' },
    'all-items': { type: 'boolean' },
    tag: { type: 'string' },
    sections: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  const request = { caseId: handle.id, ...(await chosenItems(ctx, handle.id, values)), sections: parseSections(values.sections) };
  const { job, engine } = await runEngineJob(ctx, (e) => e.handlers.startReport(request), (j) => `report: ${j.current ?? ''} ${j.done}/${j.total}`);
  await engine.close();
  const result = job as ReportJob;
  if (result.state === 'cancelled') return ExitCode.cancelled;
  if (result.state === 'failed' || !result.report) throw new Error(result.error ?? 'the report could not be made');
  const report = result.report;
  const files = { pdf: path.join(handle.dir, report.pdf.path), json: path.join(handle.dir, report.json.path) };
  const copies: { pdf?: string; json?: string } = {};
  if (typeof values.out === 'string') {
    fs.mkdirSync(values.out, { recursive: true });
    for (const kind of ['pdf', 'json'] as const) {
      copies[kind] = path.resolve(values.out, path.basename(files[kind]));
      fs.copyFileSync(files[kind], copies[kind], fs.constants.COPYFILE_EXCL);
    }
  }
  if (ctx.json) {
    ctx.emitJson({ caseId: handle.id, report, files, copies });
  } else {
    const items = report.options.itemIds.length;
    ctx.print(`Report ${report.id}: ${report.pages} pages, ${items} item${items === 1 ? '' : 's'}`);
    ctx.print(`  PDF   ${files.pdf}\n        sha256 ${report.pdf.sha256}`);
    ctx.print(`  JSON  ${files.json}\n        sha256 ${report.json.sha256}`);
    ctx.print(`  findings digest ${report.findingsDigest}`);
    if (copies.pdf) ctx.print(`  copied to ${path.dirname(copies.pdf)}`);
    if (report.integrityProblems.length > 0) ctx.print(`  INTEGRITY PROBLEMS on items ${report.integrityProblems.join(', ')}: see the report`);
  }
  return report.integrityProblems.length > 0 ? ExitCode.integrityFailure : ExitCode.ok;
};
