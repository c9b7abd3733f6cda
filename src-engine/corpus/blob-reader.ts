// The bytes of many blobs from one repository through ONE `git cat-file --batch` process: a
// source holds thousands of files, and a process per file (`git show`) would cost more than
// the reading. Requests are served one after another, in the order asked.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GIT_ENV, GIT_SAFETY } from './git-repo.ts';

export class BlobReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private stderr = '';
  private queue: Promise<unknown> = Promise.resolve();
  private readonly exited: Promise<void>;

  constructor(gitDir: string) {
    this.child = spawn('git', [...GIT_SAFETY, `--git-dir=${gitDir}`, 'cat-file', '--batch'], { env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.notify();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    // A write after git died would otherwise be an unhandled stream error.
    this.child.stdin.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.fail(error);
        resolve();
      });
      this.child.on('close', (code) => {
        this.fail(new Error(`git cat-file exited (${code ?? 'signal'})${this.stderr ? `: ${this.stderr.trim()}` : ''}`));
        resolve();
      });
    });
  }

  /** The blob's bytes, or null when the object is absent from this copy. */
  read(object: string): Promise<Buffer | null> {
    const next = this.queue.then(() => this.readNow(object));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
  }

  private async readNow(object: string): Promise<Buffer | null> {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(object)) throw new Error(`not an object id: ${object}`);
    if (this.failure) throw this.failure;
    this.child.stdin.write(`${object}\n`);
    const header = (await this.readLine()).toString('utf8');
    if (header === `${object} missing`) return null;
    const [id, type, size] = header.split(' ');
    if (id !== object || type === undefined || size === undefined || !/^\d+$/.test(size)) throw new Error(`unexpected git cat-file answer for ${object}: ${header}`);
    if (type !== 'blob') throw new Error(`${object} is a ${type}, not a blob`);
    const bytes = await this.take(Number(size));
    await this.take(1); // the LF after the content
    return bytes;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private async waitForMore(): Promise<void> {
    if (this.failure && this.buffered === 0) throw this.failure;
    const before = this.buffered;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      // Data (or the end) may already have come in between.
      if (this.buffered !== before || this.failure) this.notify();
    });
    if (this.buffered === before && this.failure) throw this.failure;
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private async readLine(): Promise<Buffer> {
    for (;;) {
      const all = this.joined();
      const lf = all.indexOf(0x0a);
      if (lf >= 0) {
        this.consume(all, lf + 1);
        return all.subarray(0, lf);
      }
      await this.waitForMore();
    }
  }

  private async take(n: number): Promise<Buffer> {
    while (this.buffered < n) await this.waitForMore();
    const all = this.joined();
    this.consume(all, n);
    // A copy, so the rest of the big buffer is not kept alive by the caller.
    return Buffer.from(all.subarray(0, n));
  }

  private consume(all: Buffer, n: number): void {
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }
}
