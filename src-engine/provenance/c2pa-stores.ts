// Finds C2PA manifest stores by their containers, independently of any validator: JPEG APP11
// JUMBF segments, PNG caBX chunks, WebP 'C2PA' chunks and ISO-BMFF 'uuid' boxes. A store the
// validator cannot read is still reported as present.
import type { ContainerWalk } from './container.ts';
import { MARKER } from './jpeg-segments.ts';

/** JUMBF description type of a C2PA manifest store: 'c2pa' followed by the ISO 19566-5 suffix. */
const C2PA_STORE_TYPE = '6332706100110010800000aa00389b71';
/** ISO-BMFF user type C2PA registers for its 'uuid' box. */
const C2PA_BMFF_UUID = 'd8fec3d61b0e483c92975828877ec481';
/** The first box of a JUMBF superbox is its description (jumd): type, toggles, optional label. */
const JUMD_HEADER = 8 + 16 + 1;
const LABEL_PRESENT = 0x02;

export interface C2paStoreLocation {
  where: string;
  label: string | null;
}

export function locateC2paStores(container: ContainerWalk): C2paStoreLocation[] {
  switch (container.kind) {
    case 'png':
      return container.walk.c2paStores.map((s) => at(`PNG caBX chunk at byte ${s.offset}`, s.data));
    case 'webp':
      return container.walk.chunks.filter((c) => c.fourcc === 'C2PA').map((c) => at(`WebP C2PA chunk at byte ${c.offset}`, c.data));
    case 'jpeg':
      return container.walk.segments.flatMap((s) => {
        if (s.marker !== MARKER.APP11 || s.data.toString('latin1', 0, 2) !== 'JP') return [];
        // JPEG XT header: 'JP', box instance (2 bytes), packet sequence (4 bytes); then the box
        const sequence = s.data.length >= 8 ? s.data.readUInt32BE(4) : 0;
        const store = sequence === 1 ? c2paDescription(s.data.subarray(8)) : null;
        return store ? [{ where: `JPEG APP11 JUMBF segment at byte ${s.offset}`, label: store.label }] : [];
      });
    case 'bmff':
      return container.walk.boxes.flatMap((b) => {
        if (b.userType !== C2PA_BMFF_UUID) return [];
        // version and flags (4 bytes), purpose ('manifest' NUL), offset (8 bytes), then the store
        const purposeEnd = b.data.indexOf(0, 4);
        const store = purposeEnd > 0 ? c2paDescription(b.data.subarray(purposeEnd + 1 + 8)) : null;
        return [{ where: `ISO-BMFF C2PA uuid box at byte ${b.offset}`, label: store?.label ?? null }];
      });
    case 'other':
      return [];
  }
}

/** The caBX and C2PA chunks are defined to hold a manifest store: present even if unreadable. */
function at(where: string, data: Buffer): C2paStoreLocation {
  return { where, label: c2paDescription(data)?.label ?? null };
}

/** Reads a JUMBF superbox's description; null unless it describes a C2PA manifest store. */
function c2paDescription(box: Buffer): { label: string | null } | null {
  if (box.length < 8 + JUMD_HEADER || box.toString('latin1', 4, 8) !== 'jumb' || box.toString('latin1', 12, 16) !== 'jumd') return null;
  if (box.toString('hex', 16, 32) !== C2PA_STORE_TYPE) return null;
  if (!(box[32]! & LABEL_PRESENT)) return { label: null };
  const labelEnd = box.indexOf(0, 33);
  return { label: box.toString('utf8', 33, labelEnd === -1 ? box.length : labelEnd) };
}
