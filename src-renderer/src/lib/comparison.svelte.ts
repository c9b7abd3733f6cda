// The two sides of a spectrum comparison. Each slot holds a fixed list of items taken from the
// selection when it was set, so the examiner can go on selecting without disturbing it.
export type SlotName = 'A' | 'B';

export interface ComparisonSlot {
  itemIds: number[];
  /** Editable by the examiner ("SD 1.5 set", "seized phone"); it names the slot in legends. */
  label: string;
}

export class ComparisonSlots {
  A = $state<ComparisonSlot | null>(null);
  B = $state<ComparisonSlot | null>(null);

  get complete(): boolean {
    return this.A !== null && this.B !== null;
  }

  /** Fills the slot with these items, named `label` until the examiner renames it. */
  set(name: SlotName, itemIds: Iterable<number>, label: string): void {
    this[name] = { itemIds: [...itemIds].sort((a, b) => a - b), label };
  }

  clear(name: SlotName): void {
    this[name] = null;
  }
}
