/** What the `outreach` CLI's exit status means; `--help` and the README list the same table. */
export const ExitCode = {
  /** Done as asked. */
  ok: 0,
  /** The service answered with an error (its code, msg and meta are printed on stderr). */
  serviceError: 1,
  /** Bad flags or arguments, or an unreadable or malformed input file. */
  usage: 2,
  /** The service could not be reached, timed out, or answered `unavailable`. */
  unreachable: 3,
  /** An import finished but some rows were skipped (invalid or duplicate numbers, malformed CSV rows). */
  partialImport: 4,
  /** Interrupted by Ctrl-C before the work was done (an import stops after its requests in flight). */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit-code table as `--help` prints it. */
export const EXIT_CODE_HELP = [
  '  0    ok',
  '  1    the service answered an error (code, msg and meta on stderr)',
  '  2    usage error: bad flags or arguments, unreadable or malformed input file',
  '  3    the service could not be reached, timed out, or answered "unavailable"',
  '  4    import finished but some rows were skipped (see the rejected-rows file)',
  '  130  interrupted (Ctrl-C) before an import finished',
].join('\n');

/** An error the CLI reports itself: a message for stderr and the exit status to end with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake in how the CLI was called, or in a file it was given: exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage);
    this.name = 'UsageError';
  }
}
