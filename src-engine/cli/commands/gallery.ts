// `modelprint gallery ...`: the known models that evidence is attributed to (enrol from reference
// images, list, remove, export and import packs, verify the history chain, list it and undo its
// last change). The gallery lives in <home>/gallery.sqlite.
import { parseArgs } from 'node:util';
import type { Db } from '../../db/open-database.ts';
import { CurveService } from '../../ct-curve/curve-service.ts';
import { enrolmentCurveHook } from '../../ct-curve/model-curve.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import { withLibraryGallery } from '../../gallery/default-gallery.ts';
import { appendHistory, verifyGallery } from '../../gallery/gallery-history.ts';
import { buildPack, importPack, PackIntegrityError, readVerifiedPack, writePack } from '../../gallery/gallery-pack.ts';
import { assertEnrolTarget } from '../../gallery/enrol-target.ts';
import { enrolModel } from '../../gallery/enrol.ts';
import { fingerprintState, listModels, METADATA_FIELDS, type FingerprintState } from '../../gallery/gallery-store.ts';
import { removeModel, removeReference } from '../../gallery/remove-model.ts';
import { undoLastChange } from '../../gallery/gallery-undo.ts';
import { galleryHistory } from '../../gallery/history-view.ts';
import { GALLERY_ACTION_WORDS } from '../../api/gallery.ts';
import { reportChainCheck } from '../chain-check.ts';
import type { CliContext, Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { UsageError } from '../usage-error.ts';
import { printRecords } from '../record-coverage.ts';
import { terminalText } from '../terminal-text.ts';

/** Runs `work` on the library's gallery (seeded on first use), closed afterwards. */
export function withGallery<T>(ctx: CliContext, service: FingerprintService, work: (db: Db) => Promise<T>): Promise<T> {
  return withLibraryGallery(ctx.library.home, { actor: ctx.actor, currentExtractorSha256: service.currentModelSha() }, work);
}

const STATE_WORDS: Record<FingerprintState, string> = { current: 'current', stale: 'stale: re-enrol', none: 'none: enrol' };

const enroll: Command = async (ctx, args) => {
  const { values, positionals } = parseArgs({
    args,
    options: { name: { type: 'string' }, family: { type: 'string' }, version: { type: 'string' }, source: { type: 'string' }, notes: { type: 'string' }, parent: { type: 'string' }, add: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (!values.name || positionals.length === 0) {
    throw new UsageError('usage: modelprint gallery enroll --name N [--add] [--family F] [--version V] [--source S] [--notes T] [--parent NAME] <files or folders...>');
  }
  const metadata = Object.fromEntries(METADATA_FIELDS.filter((f) => values[f] !== undefined).map((f) => [f, values[f]]));
  const service = new FingerprintService();
  // The model's C_T curve comes from the same images when the layered encoder is installed (as in the UI).
  const curves = new CurveService();
  const curveHook = enrolmentCurveHook(curves);
  try {
    const outcome = await withGallery(ctx, service, (db) => {
      assertEnrolTarget(db, values.name!, values.add === true, 'add --add');
      return runInterruptible(ctx.json, ({ signal, progress }) =>
        enrolModel(
          db,
          service,
          { name: values.name!, metadata, parent: values.parent, paths: positionals },
          {
            actor: ctx.actor,
            signal,
            onProgress: (done, total) => progress(`fingerprinted ${done}/${total}`),
            curve: (files, curveSignal) => {
              progress(`C_T curve of ${files.length} images`);
              return curveHook(files, curveSignal);
            },
          },
        ),
      );
    });
    if (ctx.json) ctx.emitJson(outcome);
    else {
      const verb = outcome.cancelled ? 'Enrolment cancelled (nothing written)' : outcome.created ? 'Enrolled new model' : 'Enrolled into';
      ctx.print(`${verb} "${outcome.model}": ${outcome.embedded} images fingerprinted, ${outcome.alreadyEnrolled} already enrolled, ${outcome.failures.length} failed; ${outcome.imageCount} reference images in all`);
      for (const f of outcome.failures) ctx.print(`  ${terminalText(f.path)}: ${terminalText(f.message)}`);
      if (outcome.curve) ctx.print(outcome.curve.imageCount !== null ? `  C_T curve from ${outcome.curve.imageCount} images stored` : `  no C_T curve: ${outcome.curve.reason}`);
    }
    if (outcome.cancelled) return ExitCode.cancelled;
    return outcome.failures.length > 0 ? ExitCode.partial : ExitCode.ok;
  } finally {
    await service.close();
    await curves.close();
  }
};

const list: Command = async (ctx, args) => {
  parseArgs({ args, options: {}, strict: true });
  const service = new FingerprintService();
  const extractorSha256 = service.currentModelSha();
  const models = await withGallery(ctx, service, async (db) => listModels(db).map((m) => ({ ...m, fingerprint: fingerprintState(db, m.id, extractorSha256) })));
  if (ctx.json) {
    ctx.emitJson({ extractorSha256, models });
    return ExitCode.ok;
  }
  ctx.print(`Gallery: ${models.length} models; fingerprints for extractor ${extractorSha256 ?? '(none installed)'}`);
  for (const m of models) {
    ctx.print(`  ${m.name.padEnd(24)} ${(m.family || '-').padEnd(10)} parent ${(m.parent ?? '-').padEnd(16)} ${String(m.imageCount).padStart(4)} images  ${STATE_WORDS[m.fingerprint]}`);
    if (m.notes) ctx.print(`  ${''.padEnd(24)} ${m.notes}`);
  }
  return ExitCode.ok;
};

const remove: Command = async (ctx, args) => {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('usage: modelprint gallery remove <name>');
  const removed = await withGallery(ctx, new FingerprintService(), async (db) => removeModel(db, name, ctx.actor));
  if (ctx.json) ctx.emitJson({ removed: removed.name, images: removed.imageCount });
  else ctx.print(`Removed "${removed.name}" and its ${removed.imageCount} reference images from the gallery`);
  return ExitCode.ok;
};

const removeReferenceCommand: Command = async (ctx, args) => {
  const { positionals, values } = parseArgs({ args, options: { name: { type: 'string' } }, allowPositionals: true, strict: true });
  const [sha256, ...extra] = positionals;
  if (!values.name || !sha256 || extra.length > 0 || !/^[0-9a-f]{64}$/i.test(sha256)) throw new UsageError('usage: modelprint gallery remove-reference --name N <sha256 of the reference image>');
  const removed = await withGallery(ctx, new FingerprintService(), async (db) => removeReference(db, values.name!, sha256, ctx.actor));
  if (ctx.json) ctx.emitJson(removed);
  else ctx.print(`Removed ${terminalText(removed.removed)} from "${removed.model}"; its fingerprint is recomputed from the ${removed.remaining} remaining reference images`);
  return ExitCode.ok;
};

const exportPack: Command = async (ctx, args) => {
  const { values } = parseArgs({ args, options: { models: { type: 'string' }, out: { type: 'string' } }, strict: true });
  if (!values.out) throw new UsageError('usage: modelprint gallery export [--models a,b] --out FILE');
  const names = values.models?.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const service = new FingerprintService();
  const extractor = service.model();
  const { sha256, models } = await withGallery(ctx, service, async (db) => {
    const pack = buildPack(db, { name: extractor.name, sha256: extractor.sha256 }, names);
    const packSha256 = writePack(values.out!, pack);
    db.transaction(() => appendHistory(db, ctx.actor, 'pack.exported', { file: values.out, sha256: packSha256, models: pack.models.map((m) => m.name) }))();
    return { sha256: packSha256, models: pack.models.map((m) => m.name) };
  });
  if (ctx.json) ctx.emitJson({ file: values.out, sha256, sha256File: `${values.out}.sha256`, extractorSha256: extractor.sha256, models });
  else {
    ctx.print(`Exported ${models.length} models (${models.join(', ')}) to ${values.out}`);
    ctx.print(`  sha256 ${sha256} (written to ${values.out}.sha256)`);
  }
  return ExitCode.ok;
};

const importPackCommand: Command = async (ctx, args) => {
  const { values, positionals } = parseArgs({ args, options: { 'allow-stale': { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('usage: modelprint gallery import FILE [--allow-stale]');
  const service = new FingerprintService();
  try {
    const outcome = await withGallery(ctx, service, async (db) => {
      const { pack, sha256 } = readVerifiedPack(file);
      return importPack(db, pack, sha256, { actor: ctx.actor, currentExtractorSha256: service.currentModelSha(), allowStale: values['allow-stale'] === true });
    });
    if (ctx.json) ctx.emitJson(outcome);
    else {
      ctx.print(`Imported pack ${outcome.packSha256} (hash verified)${outcome.metadataOnly ? ': metadata only, its fingerprints are for another extractor; re-enrol these models' : ''}`);
      ctx.print(`  added ${outcome.added.length}: ${outcome.added.join(', ') || '-'}`);
      ctx.print(`  updated ${outcome.updated.length}: ${outcome.updated.join(', ') || '-'}`);
      ctx.print(`  skipped ${outcome.skipped.length} (nothing new): ${outcome.skipped.join(', ') || '-'}`);
    }
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof PackIntegrityError)) throw error;
    if (ctx.json) ctx.emitJson({ error: { exitCode: ExitCode.integrityFailure, message: error.message } });
    else process.stderr.write(`modelprint: ${error.message}\n`);
    return ExitCode.integrityFailure;
  }
};

const verify: Command = async (ctx, args) => {
  parseArgs({ args, options: {}, strict: true });
  const check = await withGallery(ctx, new FingerprintService(), async (db) => verifyGallery(db));
  return reportChainCheck(ctx, 'Gallery history', check);
};

const history: Command = async (ctx, args) => {
  parseArgs({ args, options: {}, strict: true });
  const view = await withGallery(ctx, new FingerprintService(), async (db) => galleryHistory(db));
  if (ctx.json) {
    ctx.emitJson(view);
    return ExitCode.ok;
  }
  ctx.print(`Gallery history: ${view.verification.entries} ${view.verification.entries === 1 ? 'entry' : 'entries'}, ${view.verification.ok ? 'chain intact' : 'CHAIN BROKEN'}`);
  for (const e of view.entries) {
    ctx.print(`  ${String(e.seq).padStart(4)}  ${e.atUtc}  ${(GALLERY_ACTION_WORDS[e.action] ?? e.action).padEnd(28)} ${terminalText(e.model ?? '-').padEnd(24)} ${terminalText(e.actor)}  ${e.entryHash.slice(0, 12)}`);
    if (e.summary) ctx.print(`        ${terminalText(e.summary)}`);
  }
  ctx.print(view.undoable ? `The last change (entry ${view.undoable.seq}) can be undone: modelprint gallery undo ${view.undoable.seq}` : (view.undoRefusal ?? 'Nothing to undo.'));
  return ExitCode.ok;
};

const undo: Command = async (ctx, args) => {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [seqText, ...extra] = positionals;
  if (!seqText || extra.length > 0 || !/^[1-9][0-9]*$/.test(seqText)) throw new UsageError('usage: modelprint gallery undo SEQ (the last entry of `gallery history`)');
  const entry = await withGallery(ctx, new FingerprintService(), async (db) => undoLastChange(db, Number(seqText), ctx.actor));
  if (ctx.json) ctx.emitJson(entry);
  else ctx.print(`Undid entry ${seqText} (${GALLERY_ACTION_WORDS[String(entry.details['action'])] ?? String(entry.details['action'])} of "${terminalText(String(entry.details['model']))}"), recorded as entry ${entry.seq}`);
  return ExitCode.ok;
};

export const galleryCommands: Record<string, Command> = {
  enroll,
  list,
  remove,
  'remove-reference': removeReferenceCommand,
  export: exportPack,
  import: importPackCommand,
  verify,
  history,
  undo,
};
