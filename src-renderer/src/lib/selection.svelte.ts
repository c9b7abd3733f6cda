// Which evidence items the examiner has selected in the grid, by id. A click selects one item,
// Ctrl/Cmd-click toggles one, Shift-click selects the range from the last clicked item; ranges
// and "select all" are by list position, resolved to items through the evidence pages (fetching
// pages that are not loaded), so selecting 10,000 items never renders or loads 10,000 cells.
import type { EvidenceSummary } from '../../../src-engine/api/contract.ts';
import type { EvidencePages } from './evidence-pages.svelte.ts';
import { showError } from './errors.svelte.ts';

export interface PickModifiers {
  /** Ctrl, or Cmd on a Mac: add or remove one item. */
  toggle: boolean;
  /** Shift: select the range from the last clicked item. */
  extend: boolean;
}

export function pickModifiers(event: MouseEvent): PickModifiers {
  return { toggle: event.ctrlKey || event.metaKey, extend: event.shiftKey };
}

export class EvidenceSelection {
  /** Replaced, never mutated: one change is one signal, and every visible cell checks it in O(1). */
  ids = $state.raw<ReadonlySet<number>>(new Set());
  /** Whether a range or "select all" is still resolving ids. */
  resolving = $state(false);
  readonly #pages: EvidencePages;
  // Every item a click or a range has shown us, for its name and whether it has pixels. Only ever
  // grows (up to the case's size); it changes together with `ids`, so reading through `ids` is reactive.
  readonly #seen = new Map<number, EvidenceSummary>();
  /** List position of the last item clicked without Shift: where a Shift-click range starts. */
  #anchor: number | null = null;
  // A newer click wins over a range still being resolved.
  #generation = 0;

  constructor(pages: EvidencePages) {
    this.#pages = pages;
  }

  get size(): number {
    return this.ids.size;
  }

  /** The selected items that have pixels to analyse, in id order. */
  get analysableIds(): number[] {
    return [...this.ids].filter((id) => this.#seen.get(id)?.status !== 'not_analysable').sort((a, b) => a - b);
  }

  /** The analysable selection's name, where a comparison slot's label starts: a file name, or "3 items". */
  get analysableLabel(): string {
    const ids = this.analysableIds;
    return ids.length === 1 ? (this.nameOf(ids[0]!) ?? `item #${ids[0]}`) : `${ids.length} items`;
  }

  /** The original file name of a selected item. */
  nameOf(id: number): string | undefined {
    return this.#seen.get(id)?.originalName;
  }

  /** Applies a click on the item at `index`; returns true for a plain click, which selects just that item. */
  pick(item: EvidenceSummary, index: number, { toggle, extend }: PickModifiers): boolean {
    this.#remember([item]);
    if (extend && this.#anchor !== null) {
      const [first, last] = this.#anchor <= index ? [this.#anchor, index] : [index, this.#anchor];
      void this.#resolve(first, last, toggle ? this.ids : new Set());
      return false;
    }
    this.#generation++;
    this.#anchor = index;
    if (toggle) {
      const next = new Set(this.ids);
      if (!next.delete(item.id)) next.add(item.id);
      this.ids = next;
      return false;
    }
    this.ids = new Set([item.id]);
    return true;
  }

  /** Just this item, by id (opened from outside the grid: its list position is not known). */
  selectOnly(id: number): void {
    this.#generation++;
    this.#anchor = null;
    this.resolving = false;
    this.ids = new Set([id]);
  }

  selectAll(): void {
    if (this.#pages.total > 0) void this.#resolve(0, this.#pages.total - 1, new Set());
  }

  clear(): void {
    this.#generation++;
    this.#anchor = null;
    this.resolving = false;
    this.ids = new Set();
  }

  #remember(items: EvidenceSummary[]): void {
    for (const item of items) this.#seen.set(item.id, item);
  }

  async #resolve(first: number, last: number, keep: ReadonlySet<number>): Promise<void> {
    const generation = ++this.#generation;
    this.resolving = true;
    try {
      const items = await this.#pages.itemsBetween(first, last);
      if (generation !== this.#generation) return;
      this.#remember(items);
      this.ids = new Set([...keep, ...items.map((item) => item.id)]);
    } catch (error) {
      if (generation === this.#generation) showError('Selecting evidence items', error);
    } finally {
      if (generation === this.#generation) this.resolving = false;
    }
  }
}
