// The gallery's vocabulary in the contract: how a known model is named and described.

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
