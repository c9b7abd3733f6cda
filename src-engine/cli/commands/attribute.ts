// `modelprint attribute`: ranks the gallery's models for each fingerprinted item of a case by
// cosine similarity. Reads only: the case and the gallery are not changed.
import { loadFingerprint } from '../../fingerprint/fingerprint-store.ts';
import { selectItems } from '../../fingerprint/fingerprint-job.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import { currentFingerprints, fingerprintState, listModels } from '../../gallery/gallery-store.ts';
import { buildGalleryMatrix, identify, type Candidate } from '../../gallery/identify.ts';
import { ApiError } from '../../api/errors.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { parseItemList } from '../item-list.ts';
import { UsageError } from '../usage-error.ts';
import { withGallery } from './gallery.ts';

/** Printed with every result: these numbers must not be read as probabilities. */
export const UNCALIBRATED_STATEMENT =
  'Scores are uncalibrated cosine similarities between the item\'s fingerprint and each model\'s mean reference fingerprint, ' +
  'not probabilities. Likelihood-ratio calibration and open-set rejection (no known model made it) come later: ' +
  'the top candidate is only the most similar known model.';

type ItemAttribution =
  | { itemId: number; name: string; status: 'ranked'; candidates: Candidate[] }
  | { itemId: number; name: string; status: 'not_analysable' | 'no_fingerprint'; message: string };

export const attributeCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, { items: { type: 'string' }, top: { type: 'string', default: '5' } });
  const top = Number(values.top);
  if (!Number.isSafeInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, not "${values.top}"`);
  const items = selectItems(handle, parseItemList(values.items));
  const service = new FingerprintService();
  const extractor = service.model();

  const { gallery, staleModels } = await withGallery(ctx, service, async (db) => ({
    gallery: buildGalleryMatrix(currentFingerprints(db, extractor.sha256)),
    staleModels: listModels(db).filter((m) => fingerprintState(db, m.id, extractor.sha256) !== 'current').map((m) => m.name),
  }));
  if (gallery.modelIds.length === 0) {
    throw new ApiError('not_found', `the gallery has no fingerprints for the installed extractor (${extractor.sha256}): enrol models with \`modelprint gallery enroll\` or import a pack`);
  }

  const results: ItemAttribution[] = items.map((item) => {
    if (item.status !== 'analysable') return { itemId: item.id, name: item.original_name, status: 'not_analysable', message: item.reason ?? 'not analysable' };
    const fingerprint = loadFingerprint(handle.db, item.id, extractor.sha256);
    if (!fingerprint) return { itemId: item.id, name: item.original_name, status: 'no_fingerprint', message: `no fingerprint from ${extractor.name}: run \`modelprint fingerprint --case ${values.case}\` first` };
    return { itemId: item.id, name: item.original_name, status: 'ranked', candidates: identify(fingerprint.embedding, gallery, top) };
  });

  const missing = results.filter((r) => r.status === 'no_fingerprint').length;
  if (ctx.json) {
    ctx.emitJson({ caseId: handle.id, extractor: { name: extractor.name, sha256: extractor.sha256 }, scoreKind: 'cosine similarity (uncalibrated)', statement: UNCALIBRATED_STATEMENT, galleryModels: gallery.modelIds.length, excludedModels: staleModels, items: results });
  } else {
    ctx.print(`Attribution against ${gallery.modelIds.length} gallery models (extractor ${extractor.name})`);
    ctx.print(UNCALIBRATED_STATEMENT);
    if (staleModels.length > 0) ctx.print(`Not matched (no fingerprint for this extractor: re-enrol): ${staleModels.join(', ')}`);
    for (const r of results) {
      ctx.print(`\nitem ${r.itemId}  ${r.name}`);
      if (r.status !== 'ranked') ctx.print(`  ${r.message}`);
      else for (const c of r.candidates) ctx.print(`  ${String(c.rank).padStart(2)}. ${c.name.padEnd(24)} ${(c.family || '-').padEnd(10)} cosine ${c.score.toFixed(3)}`);
    }
  }
  return missing > 0 ? ExitCode.partial : ExitCode.ok;
};
