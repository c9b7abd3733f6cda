// The gallery's vocabulary in the contract: how a known model is named and described, its
// reference images, and how its history's actions are worded.

export interface ModelMetadata {
  family: string;
  version: string;
  source: string;
  notes: string;
}

/** A model as the examiner names and describes it: what the browser lists and a pack carries. */
export interface ModelDescription extends ModelMetadata {
  name: string;
  parent: string | null;
}

/** A reference image of a model: the file is not kept, only its hash and name. */
export interface GalleryReference {
  sha256: string;
  originalName: string;
  enrolledUtc: string;
}

/** How the gallery browser words each kind of history entry. */
export const GALLERY_ACTION_WORDS: Record<string, string> = {
  'gallery.created': 'gallery created',
  'gallery.seeded': 'seeded from the bundled pack',
  'model.enrolled': 'model enrolled',
  'model.re-enrolled': 'references added',
  'model.removed': 'model removed',
  'reference.removed': 'reference removed',
  'pack.imported': 'pack imported',
  'pack.exported': 'pack exported',
  'change.undone': 'change undone',
};
