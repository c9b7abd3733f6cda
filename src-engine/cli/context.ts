import { Library } from '../cases/library.ts';

/** What every command gets: where the library is, who acts, and how to print. */
export interface CliContext {
  library: Library;
  actor: string;
  json: boolean;
  /** Human-readable lines go to stdout; progress goes to stderr so --json stays parseable. */
  print(line: string): void;
  progress(line: string): void;
  emitJson(value: unknown): void;
}

/** A command returns its exit code; errors it throws are mapped by main. */
export type Command = (ctx: CliContext, args: string[]) => Promise<number>;
