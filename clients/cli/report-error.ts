import { OutreachError } from '../typescript';
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes';

/** Codes that mean the service was not reached or could not answer in time. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['unavailable', 'deadline_exceeded']);

/** The exit status an error ends the CLI with (see `ExitCode`). */
export function exitCodeFor(e: unknown): ExitCodeValue {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof OutreachError) {
    if (UNREACHABLE_CODES.has(e.code)) return ExitCode.unreachable;
    if (e.code === 'canceled') return ExitCode.interrupted;
  }
  return ExitCode.serviceError;
}

/**
 * The lines stderr gets for an error: for a service error its code, msg, each meta entry and the
 * request id (to quote when asking about it); for a network failure, what could not be reached
 * and why; for the CLI's own errors, their message.
 */
export function describeError(e: unknown, url: string): string[] {
  if (e instanceof CliError) return [`outreach: ${e.message}`];
  if (!(e instanceof OutreachError)) return [`outreach: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`];
  if (e.status === undefined && e.code === 'unavailable') {
    return [`outreach: could not reach ${url}: ${rootCause(e)}`, 'error: unavailable'];
  }
  const lines = [`error: ${e.code}`, `msg: ${e.msg}`];
  for (const [key, value] of Object.entries(e.meta)) lines.push(`meta.${key}: ${value}`);
  if (e.requestId !== undefined) lines.push(`request_id: ${e.requestId}`);
  return lines;
}

/** The innermost cause's message, e.g. `connect ECONNREFUSED 127.0.0.1:8080`. */
function rootCause(e: Error): string {
  let current: unknown = e;
  for (let depth = 0; depth < 6 && current instanceof Error && current.cause !== undefined; depth++) current = current.cause;
  if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
  return current instanceof Error ? current.message : String(current);
}
