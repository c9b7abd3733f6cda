// The report and hash sets: each listed exhibit names its set, category and the set file's
// SHA-256; the methods list every set consulted (or say none was); the report's audit entry
// records the sets consulted and the items they listed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { listAudit } from '../../src-engine/audit/audit-log.ts';
import { importHashSet, listHashSets, withHashSets } from '../../src-engine/hash-sets/hash-set-store.ts';
import { matchItems } from '../../src-engine/hash-sets/match-items.ts';
import { makeReport, previewReport } from '../../src-engine/report/make-report.ts';
import { fakeReportPdf } from './helpers/fake-pdf.ts';
import { NO_MODEL } from './helpers/report-inputs.ts';
import { writeSample } from './helpers/sample-images.ts';
import { createTestCase, importFiles, TEST_ACTOR } from './helpers/test-case.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

test('a report names the hash sets that list each exhibit, lists the sets consulted, and audits them', async (t) => {
  const tc = createTestCase(t);
  const dir = makeTempDir(t, 'report-hash-sets');
  const a = await writeSample.png(dir, 'a.png', 1);
  await writeSample.png(dir, 'b.png', 2);
  await importFiles(tc.handle, [dir]);
  const list = path.join(makeTempDir(t, 'report-hash-lists'), 'generated.txt');
  fs.writeFileSync(list, `${createHash('sha256').update(fs.readFileSync(a)).digest('hex')}\n`);
  const listSha256 = createHash('sha256').update(fs.readFileSync(list)).digest('hex');

  const none = await previewReport(tc.handle, { sections: ['exhibits', 'methods'] }, NO_MODEL);
  assert.match(none, /No hash set was in the library/);

  await withHashSets(tc.home, async (db) => {
    await importHashSet(db, { name: 'Lab generated', category: 'known-generated', file: list, actor: TEST_ACTOR });
    const inputs = { ...NO_MODEL, hashSets: { sets: listHashSets(db), lookup: (items: Parameters<typeof matchItems>[1]) => matchItems(db, items) } };
    const html = await previewReport(tc.handle, { sections: ['exhibits', 'methods'] }, inputs);
    assert.match(html, /listed in hash set “Lab generated” \(known generated\) by its SHA-256/);
    assert.equal(html.match(/listed in hash set/g)?.length, 1, 'only the listed exhibit says so');
    assert.ok(html.split(listSha256).length - 1 >= 2, 'the set file hash is in the exhibit entry and in the methods');
    assert.match(html, /<h3>Hash sets<\/h3>/);

    const record = await makeReport(tc.handle, { sections: ['exhibits', 'methods'] }, { actor: TEST_ACTOR, renderPdf: async (document) => fakeReportPdf(document), inputs });
    assert.ok(record);
    const entry = listAudit(tc.handle.db, 0, 500).find((e) => e.action === 'report.generated');
    assert.deepEqual(entry?.details['hashSets'], { consulted: [{ name: 'Lab generated', sha256: listSha256 }], matchedItems: [1] });
  });
});
