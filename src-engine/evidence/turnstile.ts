// Lets parallel work finish in any order but pass one point strictly in sequence: intake prepares
// files concurrently and records them in selection order, so the same selection always yields the
// same item numbers, the same original-vs-duplicate decisions and the same audit sequence.
export class Turnstile {
  private next = 0;
  private readonly waiting = new Map<number, () => void>();

  /** Resolves when every ticket before this one has passed. */
  async turn(ticket: number): Promise<void> {
    if (ticket === this.next) return;
    await new Promise<void>((resolve) => this.waiting.set(ticket, resolve));
  }

  /** Must be called exactly once per ticket, after its turn, whatever happened to its work. */
  pass(): void {
    this.next++;
    const resolve = this.waiting.get(this.next);
    if (resolve) {
      this.waiting.delete(this.next);
      resolve();
    }
  }
}
