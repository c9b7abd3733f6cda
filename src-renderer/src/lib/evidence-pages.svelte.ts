// The evidence list of one case, fetched lazily a page at a time as the grid scrolls. A refresh
// keeps the old rows on screen until their new page arrives, so the grid does not flash.
import { SvelteMap } from 'svelte/reactivity';
import type { ApiInput, EvidenceSummary } from '../../../src-engine/api/contract.ts';
import { api } from '../api/index.ts';
import { showError } from './errors.svelte.ts';

const PAGE_SIZE = 200;
/** Pages kept in memory; those farthest from the viewport go first. */
const MAX_PAGES = 60;
/** The most items one listEvidence call returns (the contract's limit). */
const LIST_LIMIT = 2000;

/** What the grid shows: a search, filters and an order (the engine applies them; offsets count within). */
export type GridQuery = NonNullable<ApiInput<'listEvidence'>['query']>;

export class EvidencePages {
  total = $state(0);
  loaded = $state(false);
  #query: GridQuery = {};
  readonly #caseId: string;
  readonly #pages = new SvelteMap<number, EvidenceSummary[]>();
  readonly #loading = new Set<number>();
  // A page that failed is not retried on every scroll (the error is already shown); refresh retries.
  readonly #failed = new Set<number>();
  #stale = new Set<number>();
  #generation = 0;
  #onScreen: [number, number] = [0, 0];

  constructor(caseId: string) {
    this.#caseId = caseId;
  }

  get query(): GridQuery {
    return this.#query;
  }

  /** A new search, filter or order: every page is fetched again under it (indices now count within it). */
  set query(query: GridQuery) {
    this.#query = query;
    this.#generation++;
    this.#loading.clear();
    this.#failed.clear();
    this.#stale.clear();
    this.#pages.clear();
    this.loaded = false;
    const [first, last] = this.#onScreen;
    this.ensure(first, Math.max(last, 0));
  }

  item(index: number): EvidenceSummary | undefined {
    return this.#pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Makes sure the items with indices first..last are loaded or on their way. */
  ensure(first: number, last: number): void {
    this.#onScreen = [first, last];
    const firstPage = Math.floor(Math.max(0, first) / PAGE_SIZE);
    const lastPage = Math.floor(Math.max(0, last) / PAGE_SIZE);
    for (let page = firstPage; page <= lastPage; page++) {
      const wanted = !this.#pages.has(page) || this.#stale.has(page);
      if (wanted && !this.#loading.has(page) && !this.#failed.has(page)) void this.#load(page);
    }
    this.#evictFarFrom(firstPage, lastPage);
  }

  /** The items at positions first..last: from the pages on hand, fetching the others without caching them. */
  async itemsBetween(first: number, last: number): Promise<EvidenceSummary[]> {
    const items: EvidenceSummary[] = [];
    let index = first;
    while (index <= last) {
      const page = Math.floor(index / PAGE_SIZE);
      const held = this.#stale.has(page) ? undefined : this.#pages.get(page);
      if (held) {
        const end = Math.min(last, page * PAGE_SIZE + held.length - 1);
        for (; index <= end; index++) items.push(held[index % PAGE_SIZE] as EvidenceSummary);
        if (held.length < PAGE_SIZE) break; // the last page: nothing lies beyond it
        continue;
      }
      const limit = Math.min(last - index + 1, LIST_LIMIT);
      const fetched = (await api.listEvidence({ caseId: this.#caseId, offset: index, limit, query: this.#query })).items;
      items.push(...fetched);
      if (fetched.length < limit) break;
      index += limit;
    }
    return items;
  }

  /** Refetches what is on screen now; other pages are refetched when they come back into view. */
  refresh(): void {
    this.#generation++;
    this.#loading.clear();
    this.#failed.clear();
    this.#stale = new Set(this.#pages.keys());
    const [first, last] = this.#onScreen;
    this.ensure(first, Math.max(last, 0));
  }

  async #load(page: number): Promise<void> {
    const generation = this.#generation;
    this.#loading.add(page);
    try {
      const result = await api.listEvidence({ caseId: this.#caseId, offset: page * PAGE_SIZE, limit: PAGE_SIZE, query: this.#query });
      if (generation !== this.#generation) return;
      this.total = result.total;
      this.loaded = true;
      this.#stale.delete(page);
      this.#pages.set(page, result.items);
    } catch (error) {
      if (generation === this.#generation) {
        this.#failed.add(page);
        showError('Loading evidence', error);
      }
    } finally {
      if (generation === this.#generation) this.#loading.delete(page);
    }
  }

  #evictFarFrom(firstPage: number, lastPage: number): void {
    if (this.#pages.size <= MAX_PAGES) return;
    const distance = (page: number) => (page < firstPage ? firstPage - page : page - lastPage);
    const farthest = [...this.#pages.keys()].sort((a, b) => distance(b) - distance(a));
    for (const page of farthest.slice(0, this.#pages.size - MAX_PAGES)) this.#pages.delete(page);
  }
}
