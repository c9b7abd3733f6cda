// The report's findings as a CASE/UCO-style JSON-LD bundle (what Autopsy and other forensic tools
// exchange): the investigation, the examiner, the tool, each exhibit as an observable File with
// its hash facets and chain-of-custody provenance record, and each analysis as an investigative
// action with its results. Built from ReportData only; bundle.schema.json describes it.
import type { CustodyEvent } from '../api/contract.ts';
import type { AttributionFinding, Exhibit, FingerprintFinding, ReportData } from './report-data.ts';

export const BUNDLE_CONTEXT = {
  kb: 'urn:modelprint:',
  'case-investigation': 'https://ontology.caseontology.org/case/investigation/',
  'uco-action': 'https://ontology.unifiedcyberontology.org/uco/action/',
  'uco-core': 'https://ontology.unifiedcyberontology.org/uco/core/',
  'uco-identity': 'https://ontology.unifiedcyberontology.org/uco/identity/',
  'uco-observable': 'https://ontology.unifiedcyberontology.org/uco/observable/',
  'uco-tool': 'https://ontology.unifiedcyberontology.org/uco/tool/',
  'uco-types': 'https://ontology.unifiedcyberontology.org/uco/types/',
  'uco-vocabulary': 'https://ontology.unifiedcyberontology.org/uco/vocabulary/',
  // Findings UCO has no class for (provenance signals, attribution) live in the tool's own namespace.
  modelprint: 'urn:modelprint:ns:',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

type Node = Record<string, unknown> & { '@id': string; '@type': string };
const ref = (id: string) => ({ '@id': id });
const typed = (type: string, value: string | number) => ({ '@type': type, '@value': String(value) });
const dateTime = (iso: string) => typed('xsd:dateTime', iso);

export interface CaseUcoBundle {
  '@context': typeof BUNDLE_CONTEXT;
  '@graph': Node[];
}

export function buildCaseUcoBundle(data: ReportData): CaseUcoBundle {
  const base = `kb:${data.case.id}:`;
  const id = {
    investigation: `${base}investigation`,
    examiner: `${base}examiner`,
    tool: `${base}tool-modelprint-${data.software.version}`,
    report: `${base}report-${data.reportId}`,
    verification: `${base}action-verification-${data.reportId}`,
    exhibit: (itemId: number) => `${base}exhibit-${itemId}`,
    custody: (itemId: number) => `${base}custody-${itemId}`,
    provenanceAction: (itemId: number) => `${base}action-provenance-${itemId}`,
    provenanceResult: (itemId: number) => `${base}provenance-findings-${itemId}`,
    fingerprintResult: (itemId: number) => `${base}fingerprint-findings-${itemId}`,
    attributionResult: (itemId: number) => `${base}attribution-findings-${itemId}`,
    attributionRun: (runId: string) => `${base}action-attribution-${runId}`,
    calibration: (calibrationId: string) => `${base}calibration-${calibrationId}`,
    setResult: (runId: string) => `${base}set-attribution-findings-${runId}`,
    setVerification: (auditSeq: number) => `${base}set-verification-findings-${auditSeq}`,
    curve: `${base}ct-curve-findings`,
  };

  const graph: Node[] = [
    {
      '@id': id.investigation,
      '@type': 'case-investigation:Investigation',
      'uco-core:name': data.case.number,
      'uco-core:description': data.case.title,
      'case-investigation:focus': data.case.description,
      'uco-core:objectCreatedTime': dateTime(data.case.createdUtc),
      'uco-core:object': data.exhibits.map((e) => ref(id.exhibit(e.itemId))),
    },
    { '@id': id.examiner, '@type': 'uco-identity:Identity', 'uco-core:name': data.case.examiner },
    {
      '@id': id.tool,
      '@type': 'uco-tool:Tool',
      'uco-core:name': 'modelprint',
      'uco-tool:version': data.software.version,
      'uco-tool:toolType': 'forensic image attribution workstation',
    },
    {
      '@id': id.report,
      '@type': 'modelprint:Report',
      'uco-core:objectCreatedTime': dateTime(data.generatedUtc),
      'modelprint:generatedBy': data.generatedBy,
      'modelprint:sections': data.sections,
      'modelprint:findingsDigest': data.findingsDigest,
      'modelprint:auditHead': { 'modelprint:seq': data.audit.headSeq, 'modelprint:hash': data.audit.headHash, 'modelprint:chainOk': data.audit.chainOk },
      'modelprint:limitations': data.limitations.map((l) => ({ 'modelprint:topic': l.topic, 'modelprint:text': l.text })),
      'modelprint:reproducibility': data.reproducibility,
      'modelprint:setFindings': [...data.set.attributions.map((a) => ref(id.setResult(a.runId))), ...data.set.verifications.map((v) => ref(id.setVerification(v.auditSeq))), ref(id.curve)],
      'modelprint:setAttributionNote': data.set.attributionNote,
      'modelprint:calibrationSets': data.attribution.calibrationSets,
      'modelprint:conclusions': data.statement.conclusions,
      'modelprint:declaration': {
        'modelprint:text': data.statement.declaration.text,
        'modelprint:confirmedTime': data.statement.declaration.confirmedUtc === null ? null : dateTime(data.statement.declaration.confirmedUtc),
      },
      'modelprint:signatureBlock': {
        'modelprint:name': data.statement.signature.name,
        'modelprint:role': data.statement.signature.role,
        'modelprint:organisation': data.statement.signature.organisation,
        'modelprint:date': data.statement.signature.date,
      },
      'modelprint:peerReview': {
        'modelprint:reviewer': data.statement.review.reviewer,
        'modelprint:date': data.statement.review.date,
        'modelprint:outcome': data.statement.review.outcome,
        'modelprint:comments': data.statement.review.comments,
      },
    },
    {
      '@id': id.verification,
      '@type': 'case-investigation:InvestigativeAction',
      'uco-core:name': 'hash re-verification before reporting',
      // Bundles are written only for generated reports, which always re-verify first.
      'uco-action:startTime': dateTime(data.integrity.checkedUtc ?? data.generatedUtc),
      'uco-action:performer': ref(id.examiner),
      'uco-action:instrument': ref(id.tool),
      'uco-action:object': data.exhibits.map((e) => ref(id.exhibit(e.itemId))),
      'modelprint:verified': data.integrity.verified,
      'modelprint:total': data.integrity.total,
      'modelprint:problems': data.integrity.problems.map((p) => ({
        'modelprint:itemId': p.itemId,
        'modelprint:kind': p.kind,
        'modelprint:expectedSha256': p.expectedSha256,
        'modelprint:actualSha256': p.actualSha256,
        'modelprint:detectedTime': dateTime(p.detectedUtc),
      })),
    },
  ];

  for (const exhibit of data.exhibits) graph.push(exhibitNode(exhibit, id.exhibit(exhibit.itemId)), custodyNode(exhibit, id.custody(exhibit.itemId), id.exhibit(exhibit.itemId)));
  for (const item of data.items) {
    const exhibitRef = ref(id.exhibit(item.itemId));
    const results: string[] = [];
    if (item.provenance) {
      graph.push({
        '@id': id.provenanceResult(item.itemId),
        '@type': 'modelprint:ProvenanceFindings',
        'modelprint:analysedTime': dateTime(item.provenance.analysedUtc),
        'modelprint:claimedGenerator': item.provenance.report.claimedGenerator,
        'modelprint:c2pa': item.provenance.report.c2pa,
        'modelprint:anomalies': item.provenance.report.anomalies,
        'modelprint:signals': item.provenance.report.signals,
        'modelprint:contradictions': item.provenance.contradictions,
        'modelprint:tools': item.provenance.report.tools,
      });
      results.push(id.provenanceResult(item.itemId));
    }
    graph.push(fingerprintNode(item.fingerprint, id.fingerprintResult(item.itemId)), attributionNode(item.attribution, id.attributionResult(item.itemId), id));
    results.push(id.fingerprintResult(item.itemId), id.attributionResult(item.itemId));
    graph.push({
      '@id': id.provenanceAction(item.itemId),
      '@type': 'case-investigation:InvestigativeAction',
      'uco-core:name': `analyses of item ${item.itemId}`,
      'uco-action:performer': ref(id.examiner),
      'uco-action:instrument': ref(id.tool),
      'uco-action:object': [exhibitRef],
      'uco-action:result': results.map(ref),
      'modelprint:provenanceAnalysed': item.provenance !== null,
    });
  }

  // Each attribution run is an investigative action of its own: what it was computed with, the
  // exhibits it covered (within this report) and the findings it produced.
  const included = new Set(data.exhibits.map((e) => e.itemId));
  for (const run of data.attribution.runs) {
    const results = [
      ...data.items.filter((i) => i.attribution.performed && i.attribution.runId === run.id).map((i) => id.attributionResult(i.itemId)),
      ...data.set.attributions.filter((a) => a.runId === run.id).map((a) => id.setResult(a.runId)),
    ];
    graph.push({
      '@id': id.attributionRun(run.id),
      '@type': 'case-investigation:InvestigativeAction',
      'uco-core:name': `attribution run ${run.id}`,
      'uco-action:startTime': dateTime(run.createdUtc),
      'uco-action:performer': ref(id.examiner),
      'uco-action:instrument': ref(id.tool),
      'uco-action:object': run.itemIds.filter((itemId) => included.has(itemId)).map((itemId) => ref(id.exhibit(itemId))),
      'uco-action:result': results.map(ref),
      'modelprint:run': run,
    });
  }
  for (const calibration of data.attribution.calibrations) {
    graph.push({ '@id': id.calibration(calibration.calibrationId), '@type': 'modelprint:Calibration', 'modelprint:calibration': calibration });
  }
  graph.push(
    ...data.set.attributions.map((a) => ({
      '@id': id.setResult(a.runId),
      '@type': 'modelprint:SetAttributionFindings',
      'modelprint:run': ref(id.attributionRun(a.runId)),
      'modelprint:calibrations': [a.result.mean.calibrationId, ...(a.result.deepsets ? [a.result.deepsets.calibrationId] : [])].map((c) => ref(id.calibration(c))),
      'modelprint:earlierResults': a.earlierResults,
      'modelprint:result': a.result,
    })),
    ...data.set.verifications.map((v) => ({ '@id': id.setVerification(v.auditSeq), '@type': 'modelprint:SetVerificationFindings', 'modelprint:result': v })),
    { '@id': id.curve, '@type': 'modelprint:CtCurveFindings', 'modelprint:performed': data.set.curve.performed, 'modelprint:result': data.set.curve },
  );
  return { '@context': BUNDLE_CONTEXT, '@graph': graph };
}

function exhibitNode(exhibit: Exhibit, nodeId: string): Node {
  const hash = (method: 'SHA256' | 'MD5', value: string) => ({
    '@type': 'uco-types:Hash',
    'uco-types:hashMethod': typed('uco-vocabulary:HashNameVocab', method),
    'uco-types:hashValue': typed('xsd:hexBinary', value),
  });
  return {
    '@id': nodeId,
    '@type': 'uco-observable:File',
    'uco-core:name': exhibit.originalName,
    'modelprint:itemId': exhibit.itemId,
    'modelprint:status': exhibit.status,
    'modelprint:notAnalysableReason': exhibit.reasonCode,
    'modelprint:integrity': exhibit.integrity,
    'modelprint:tags': exhibit.tags,
    'modelprint:bookmark': exhibit.bookmark && { 'modelprint:comment': exhibit.bookmark.comment, 'modelprint:time': dateTime(exhibit.bookmark.atUtc), 'modelprint:actor': exhibit.bookmark.actor },
    'uco-core:hasFacet': [
      {
        '@type': 'uco-observable:FileFacet',
        'uco-observable:fileName': exhibit.originalName,
        'uco-observable:filePath': exhibit.originalPath,
        'uco-observable:extension': exhibit.extension,
        'uco-observable:sizeInBytes': typed('xsd:integer', exhibit.sizeBytes),
      },
      {
        '@type': 'uco-observable:ContentDataFacet',
        'uco-observable:mimeType': exhibit.mime,
        'uco-observable:sizeInBytes': typed('xsd:integer', exhibit.sizeBytes),
        'uco-observable:hash': [hash('SHA256', exhibit.sha256), hash('MD5', exhibit.md5)],
      },
      {
        '@type': 'uco-observable:RasterPictureFacet',
        'uco-observable:pictureType': exhibit.format,
        'uco-observable:pictureWidth': exhibit.width === null ? null : typed('xsd:integer', exhibit.width),
        'uco-observable:pictureHeight': exhibit.height === null ? null : typed('xsd:integer', exhibit.height),
        'modelprint:extensionMatchesContent': exhibit.extensionMatches,
      },
    ],
  };
}

function custodyNode(exhibit: Exhibit, nodeId: string, exhibitId: string): Node {
  return {
    '@id': nodeId,
    '@type': 'case-investigation:ProvenanceRecord',
    'case-investigation:exhibitNumber': String(exhibit.itemId),
    'uco-core:description': `chain of custody of item ${exhibit.itemId}`,
    'uco-core:object': [ref(exhibitId)],
    'modelprint:custodyEvents': exhibit.custody.map((event: CustodyEvent) => ({
      'modelprint:time': dateTime(event.atUtc),
      'modelprint:actor': event.actor,
      'modelprint:action': event.action,
      'modelprint:details': event.details,
    })),
  };
}

function fingerprintNode(finding: FingerprintFinding, nodeId: string): Node {
  if (finding.state === 'not_fingerprinted') return { '@id': nodeId, '@type': 'modelprint:FingerprintFindings', 'modelprint:state': finding.state, 'modelprint:reason': finding.reason };
  return {
    '@id': nodeId,
    '@type': 'modelprint:FingerprintFindings',
    'modelprint:state': finding.state,
    'modelprint:extractor': { 'modelprint:name': finding.facts.modelName, 'modelprint:sha256': finding.facts.modelSha256 },
    'modelprint:provider': finding.facts.provider,
    'modelprint:crops': finding.facts.crops,
    'modelprint:computedTime': dateTime(finding.facts.computedUtc),
    // The radial profile is small and is what the figure plots; the 2D spectrum stays in the case.
    'modelprint:radialSpectrum': finding.spectrum && { 'modelprint:frequency': finding.spectrum.radial.frequency, 'modelprint:power': finding.spectrum.radial.power },
  };
}

function attributionNode(finding: AttributionFinding, nodeId: string, id: { attributionRun(runId: string): string; calibration(calibrationId: string): string }): Node {
  if (!finding.performed) return { '@id': nodeId, '@type': 'modelprint:AttributionFindings', 'modelprint:performed': false, 'modelprint:reason': finding.reason };
  return {
    '@id': nodeId,
    '@type': 'modelprint:AttributionFindings',
    'modelprint:performed': true,
    'modelprint:run': ref(id.attributionRun(finding.runId)),
    'modelprint:calibration': ref(id.calibration(finding.result.calibrationId)),
    'modelprint:earlierResults': finding.earlierResults,
    'modelprint:result': finding.result,
  };
}

/** The JSON text written beside the PDF: pretty, with a final newline, byte-stable for equal data. */
export function bundleText(bundle: CaseUcoBundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
