/** Exit codes of the modelprint command, documented in the README. */
export const ExitCode = {
  ok: 0,
  /** An integrity check failed: evidence hash mismatch or missing, or a broken audit chain. */
  integrityFailure: 1,
  usage: 2,
  notFound: 3,
  /** The case is busy (another import/verification) or a case number is taken. */
  conflict: 4,
  /** Finished, but some inputs could not be read at all (listed in the output). */
  partial: 5,
  internal: 70,
  /** Interrupted by Ctrl-C; what was committed stays consistent. */
  cancelled: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
