// Object URLs for evidence thumbnails, shared by the grid and the detail panel. Cells acquire a
// thumbnail while they are on screen and release it when scrolled away; released thumbnails stay
// cached (most recently used last) up to a cap, and older ones are revoked so that scrolling
// through 10,000 items does not keep 10,000 blobs alive. URLs in use are never revoked.

export type ThumbnailLoader = (sha256: string) => Promise<Uint8Array>;
export type ThumbnailState = { url: string } | { error: string };
type Listener = (state: ThumbnailState) => void;

interface Entry {
  refs: number;
  state: ThumbnailState | null;
  listeners: Set<Listener>;
}

function mimeOf(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  if (bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return 'application/octet-stream';
}

export class ThumbnailCache {
  readonly #load: ThumbnailLoader;
  readonly #cap: number;
  readonly #concurrency: number;
  // Map order is recency: entries move to the end when released, eviction starts at the front.
  readonly #entries = new Map<string, Entry>();
  readonly #queue: string[] = [];
  #active = 0;

  constructor(load: ThumbnailLoader, { cap = 400, concurrency = 4 } = {}) {
    this.#load = load;
    this.#cap = cap;
    this.#concurrency = concurrency;
  }

  /** Calls `listener` once the thumbnail is ready (at once if cached); returns the release function. */
  acquire(sha256: string, listener: Listener): () => void {
    const known = this.#entries.get(sha256);
    const held: Entry = known ?? { refs: 0, state: null, listeners: new Set() };
    held.refs++;
    if (held.state) listener(held.state);
    else held.listeners.add(listener);
    if (!known) {
      this.#entries.set(sha256, held);
      this.#queue.push(sha256);
      this.#pump();
    }

    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.listeners.delete(listener);
      held.refs--;
      if (held.refs === 0) {
        this.#entries.delete(sha256);
        // A thumbnail scrolled past before it loaded is not worth fetching at all.
        if (held.state) {
          this.#entries.set(sha256, held);
          this.#evict();
        }
      }
    };
  }

  /** Revokes every cached URL; used when the case view goes away. */
  clear(): void {
    for (const entry of this.#entries.values()) {
      if (entry.state && 'url' in entry.state) URL.revokeObjectURL(entry.state.url);
    }
    this.#entries.clear();
    this.#queue.length = 0;
  }

  #pump(): void {
    while (this.#active < this.#concurrency && this.#queue.length > 0) {
      const sha256 = this.#queue.shift() as string;
      const entry = this.#entries.get(sha256);
      if (!entry || entry.refs === 0 || entry.state) continue;
      this.#active++;
      this.#fetch(sha256, entry).finally(() => {
        this.#active--;
        this.#pump();
      });
    }
  }

  async #fetch(sha256: string, entry: Entry): Promise<void> {
    let state: ThumbnailState;
    try {
      const bytes = await this.#load(sha256);
      state = { url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeOf(bytes) })) };
    } catch (error) {
      state = { error: error instanceof Error ? error.message : String(error) };
    }
    if (this.#entries.get(sha256) !== entry) {
      // Cleared while loading: nobody can use this URL any more.
      if ('url' in state) URL.revokeObjectURL(state.url);
      return;
    }
    entry.state = state;
    for (const listener of entry.listeners) listener(state);
    entry.listeners.clear();
    if (entry.refs === 0) this.#evict();
  }

  #evict(): void {
    let unused = 0;
    for (const entry of this.#entries.values()) if (entry.refs === 0) unused++;
    for (const [sha256, entry] of this.#entries) {
      if (unused <= this.#cap) break;
      if (entry.refs > 0) continue;
      if (entry.state && 'url' in entry.state) URL.revokeObjectURL(entry.state.url);
      this.#entries.delete(sha256);
      unused--;
    }
  }
}
