// Method names as plain data, for the preload (which must not bundle zod or the engine).
import type { ApiMethod } from './contract.ts';

export const apiMethods = [
  'getAppInfo',
  'listCases',
  'createCase',
  'getCase',
  'updateCase',
  'setCaseStatus',
  'addNote',
  'listNotes',
  'listEvidence',
  'getEvidence',
  'getThumbnail',
  'startImport',
  'startVerify',
  'cancelJob',
  'listJobs',
  'listFindings',
  'listAudit',
  'verifyAudit',
  'chooseImportPaths',
  'getModelInfo',
  'startFingerprint',
  'getSpectra',
  'startProvenance',
  'getProvenance',
  'startReport',
  'listReports',
  'previewReport',
  'getReportFile',
  'getCalibration',
  'startAttribution',
  'listAttributions',
  'verifySets',
  'listGallery',
  'getGalleryFamilies',
  'startGalleryEnrol',
  'removeGalleryModel',
  'removeGalleryReference',
  'startCurve',
  'getCurves',
] as const satisfies readonly ApiMethod[];

// Fails to compile if a method is added to the contract but not listed here.
type Missing = Exclude<ApiMethod, (typeof apiMethods)[number]>;
export const allMethodsListed: Missing extends never ? true : never = true;
