"""Attribution: data sets and models for gallery matching, calibration,
set fingerprints and C_T curves.

Renderers (one job per module): `content` (fresh real-like content per named stream),
`generators` (which synthetic generators each set uses, trained on demand), `finetune`
(lineage: children of a family parent), `pngs` (PNG folders + manifests), `sets` (one
builder per data folder), `fixtures` (the committed demo set) and the CLI `render_sets`.
"""
