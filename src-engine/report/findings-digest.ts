// The findings of a report, stripped of everything that changes between two runs on the same
// inputs (report id, times, custody and audit entries the reporting itself adds), and hashed.
// Printed in the report: two reports with equal digests state the same findings.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../base/canonical-json.ts';
import type { ReportData } from './report-data.ts';

export function findingsDigest(data: Omit<ReportData, 'findingsDigest'>): string {
  const findings = {
    exhibits: data.exhibits.map(({ custody: _custody, picture: _picture, notes: _notes, tags: _tags, bookmark: _bookmark, ...identity }) => identity),
    integrityProblems: data.integrity.problems.map(({ detectedUtc: _detected, ...problem }) => problem),
    items: data.items.map((item) => ({
      ...item,
      provenance: item.provenance && { report: item.provenance.report, contradictions: item.provenance.contradictions },
      fingerprint: item.fingerprint.state === 'fingerprinted' ? { ...item.fingerprint, facts: { ...item.fingerprint.facts, computedUtc: null } } : item.fingerprint,
    })),
    attribution: data.attribution,
    set: data.set,
    sections: data.sections,
    methods: data.methods,
    limitations: data.limitations,
  };
  return createHash('sha256').update(canonicalJson(findings), 'utf8').digest('hex');
}
