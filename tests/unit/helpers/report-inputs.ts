// What report tests pass when no model, calibration or encoder is installed, and whether Chromium
// is there to print real PDFs (the tests that need it are skipped, with the reason, when it is not).
import type { ReportInputs } from '../../../src-engine/report/make-report.ts';
import { findChromium } from '../../../src-engine/report/pdf/chromium-pdf.ts';

export const NO_MODEL: ReportInputs = {
  extractor: null,
  modelCards: [],
  spectrum: async () => null,
  calibration: { unavailable: 'no calibration installed' },
  curves: { unavailable: 'no layered encoder installed' },
};

export function chromiumMissing(): string | false {
  try {
    findChromium();
    return false;
  } catch (error) {
    return (error as Error).message;
  }
}
