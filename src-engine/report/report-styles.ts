// The report's stylesheet: print first (A4, fixed margins that the running header and footer sit
// in, no table or figure split across pages, long hashes and prompts wrapped, never clipped),
// with a screen layout for the app's preview that shows each part as a sheet.
export const REPORT_CSS = `
@page { size: A4; margin: 20mm 16mm 18mm 16mm; }
* { box-sizing: border-box; }
html { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 9pt; line-height: 1.4; color: #1b2430;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; overflow-wrap: anywhere; }
/* Nothing may be wider than the page box: Chromium would shrink every page to fit it. */
img, svg, table, pre, .figures { max-width: 100%; }
h1, h2, h3, h4 { overflow-wrap: anywhere; }
.part { break-before: page; }
.part:first-child { break-before: auto; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 0 0 3mm; padding-bottom: 1.5mm; border-bottom: 1.2pt solid #2463d6; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; color: #1a4fb3; }
h4 { font-size: 9.5pt; margin: 3mm 0 1.5mm; break-after: avoid; }
p { margin: 0 0 2mm; }
.muted { color: #5b6675; }
.mono, code { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 7.6pt; overflow-wrap: anywhere; }
.url { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.6pt; overflow-wrap: anywhere; color: #1a4fb3; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 1mm 0 3mm; }
thead { display: table-header-group; }
th { text-align: left; font-weight: 600; background: #eef1f5; }
th, td { padding: 1.2mm 1.6mm; vertical-align: top; border-bottom: 0.5pt solid #d9dde3; overflow-wrap: anywhere; word-break: break-word; }
tr { break-inside: avoid; }
table.kv th { width: 34%; background: none; font-weight: 600; color: #3b4654; }
td.hashes { padding-top: 0; color: #3b4654; }
.callout { border: 0.8pt solid; border-radius: 2mm; padding: 2.5mm 3mm; margin: 2mm 0 3mm; break-inside: avoid; }
.callout.ok { border-color: #9fd3b1; background: #e7f5ec; color: #14532d; }
.callout.info { border-color: #b7c9ee; background: #eef3fc; color: #1e3a6e; }
.callout.warning { border-color: #f1cf94; background: #fff4e0; color: #6b3b00; }
.callout.critical { border-color: #f0b9b9; background: #fdecec; color: #7f1d1d; }
.badge { display: inline-block; padding: 0 1.6mm; border-radius: 1.5mm; font-size: 7.5pt; font-weight: 600; border: 0.6pt solid; white-space: nowrap; }
.badge.wrap { white-space: normal; }
.badge.info { color: #1e3a6e; border-color: #b7c9ee; background: #eef3fc; }
.badge.warning { color: #6b3b00; border-color: #f1cf94; background: #fff4e0; }
.badge.critical, .badge.danger { color: #7f1d1d; border-color: #f0b9b9; background: #fdecec; }
.badge.ok { color: #14532d; border-color: #9fd3b1; background: #e7f5ec; }
.not-performed { font-style: italic; color: #5b6675; border-left: 1.2pt solid #b8bfc9; padding-left: 3mm; margin: 1mm 0 3mm; }
.figures { display: flex; gap: 5mm; align-items: flex-start; break-inside: avoid; margin: 2mm 0 3mm; }
.figure { break-inside: avoid; margin: 0; }
.exhibit-picture { display: flex; gap: 4mm; align-items: flex-start; margin: 1mm 0 3mm; break-inside: avoid; }
.exhibit-picture img { width: auto; height: auto; max-width: 60mm; max-height: 60mm; border: 0.5pt solid #b8bfc9; flex: 0 0 auto; }
.exhibit-picture figcaption { font-size: 7.8pt; color: #5b6675; flex: 1 1 auto; min-width: 0; }
.figure figcaption { font-size: 7.8pt; color: #5b6675; margin-top: 1mm; }
.figure.spectrum2d { flex: 0 0 58mm; }
.figure.spectrum2d img { width: 58mm; height: 58mm; image-rendering: pixelated; display: block; border: 0.5pt solid #b8bfc9; }
.figure.radial { flex: 1; min-width: 0; }
svg.plot { width: 100%; height: auto; display: block; font-family: 'DejaVu Sans', sans-serif; font-size: 11px; }
svg.plot .frame { fill: #fbfcfd; stroke: #b8bfc9; stroke-width: 0.8; }
svg.plot .grid { stroke: #e3e7ec; stroke-width: 0.8; }
svg.plot .line { fill: none; stroke: #2463d6; stroke-width: 1.6; }
svg.plot text { fill: #3b4654; }
svg.plot .label { font-size: 11.5px; fill: #1b2430; }
svg.plot .line.alt { stroke: #d9480f; }
svg.plot .guide { stroke: #5b6675; stroke-width: 1; stroke-dasharray: 1.5 3; }
svg.plot .zero { stroke: #8a94a3; stroke-width: 0.9; }
svg.plot .marker { stroke: #1b2430; stroke-width: 1.6; stroke-dasharray: 6 3; }
svg.plot .marker-label { font-weight: 700; fill: #1b2430; paint-order: stroke; stroke: #ffffff; stroke-width: 4px; stroke-linejoin: round; }
svg.plot .curve { fill: none; stroke-width: 1.6; }
svg.plot .curve.other { stroke: #c3c9d2; stroke-width: 1; }
svg.plot .curve.case { stroke: #1b2430; stroke-width: 2.6; }
svg.plot .curve.m1 { stroke: #2463d6; } svg.plot .curve.m2 { stroke: #d9480f; } svg.plot .curve.m3 { stroke: #2f9e44; }
svg.plot .dot { stroke: none; } svg.plot .dot.other { fill: #c3c9d2; } svg.plot .dot.case { fill: #1b2430; }
svg.plot .dot.m1 { fill: #2463d6; } svg.plot .dot.m2 { fill: #d9480f; } svg.plot .dot.m3 { fill: #2f9e44; }
svg.plot .undefined { stroke: #c92a2a; stroke-width: 1.8; fill: none; }
.calibration { break-inside: avoid; }
.figure.chart { width: 100%; margin: 2mm 0 3mm; }
.figure.chart svg.plot { max-width: 132mm; }
table.candidates td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.candidates th.num { text-align: right; }
table.layers { font-size: 7.6pt; }
table.layers th, table.layers td { padding: 1mm 0.8mm; }
.decision { border: 0.8pt solid; border-radius: 2mm; padding: 2.5mm 3mm; margin: 2mm 0 3mm; break-inside: avoid; }
.decision.attributed { border-color: #b7c9ee; background: #eef3fc; color: #1e3a6e; }
.decision.tied { border-color: #c9b8ee; background: #f3effc; color: #42307d; }
.decision.inconclusive { border-color: #d9dde3; background: #f5f7fa; color: #1b2430; }
.decision.no-known-model { border-color: #f1cf94; background: #fff4e0; color: #6b3b00; }
.cover { padding-top: 18mm; }
.cover .kicker { text-transform: uppercase; letter-spacing: 0.12em; color: #2463d6; font-weight: 700; font-size: 9pt; margin-bottom: 2mm; }
.cover table.kv th { width: 28%; }
.cover .description { white-space: pre-wrap; }
.toc ol { list-style: none; padding: 0; margin: 0; }
.toc li { display: flex; align-items: baseline; gap: 2mm; padding: 1mm 0; break-inside: avoid; }
.toc li.sub { padding-left: 8mm; font-size: 8.5pt; }
.toc .title { flex: 0 1 auto; overflow-wrap: anywhere; color: inherit; text-decoration: none; }
.toc .leader { flex: 1 1 auto; border-bottom: 0.8pt dotted #b8bfc9; transform: translateY(-1mm); min-width: 6mm; }
.toc .page { flex: 0 0 auto; font-variant-numeric: tabular-nums; }
.card { border: 0.6pt solid #d9dde3; border-radius: 2mm; padding: 2mm 4mm; margin: 2mm 0 4mm; }
.card h1 { font-size: 12pt; } .card h2 { font-size: 10.5pt; border: none; padding: 0; margin: 3mm 0 1.5mm; } .card h3 { font-size: 9.5pt; }
.card pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 7.6pt; background: #f5f7fa; padding: 2mm; }
.card table { font-size: 8pt; }
.notes .note-text, .markings .note-text, .statement-text { white-space: pre-wrap; }
.markings { margin: 0 0 2mm; }
.tag { display: inline-block; padding: 0 1.4mm; border-radius: 1.5mm; font-size: 7.5pt; background: #f3effc; border: 0.6pt solid #c9b8ee; color: #42307d; }
table.signature-block { width: 70%; margin: 3mm 0 4mm; break-inside: avoid; }
table.signature-block th { width: 30%; background: none; color: #3b4654; border: none; vertical-align: bottom; }
table.signature-block td { border: none; border-bottom: 0.6pt solid #1b2430; height: 7mm; vertical-align: bottom; }
table.signature-block tr.sign td { height: 16mm; }
.fill-in { display: inline-block; }
.prompt { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f8fa; border: 0.5pt solid #e1e5ea; padding: 1.5mm 2mm; margin: 0.5mm 0 2mm; font-size: 8pt; }
ul.plain { margin: 0 0 2mm; padding-left: 5mm; }
@media screen {
  body { background: #e5e8ed; padding: 12px 0; }
  .part { width: 210mm; min-height: 120mm; margin: 0 auto 12px; padding: 20mm 16mm 18mm; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18); }
}
`;
