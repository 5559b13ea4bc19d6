import type { AddRecipientsResponse } from '../../../generated/outreach/v1/campaign';
import { formatCount } from '../output';
import { formatDuration, ratePerSecond } from '../progress';

/** What an import has done so far, summed over its requests' responses. */
export interface ImportTotals {
  /** CSV data rows handled: sent and answered, or refused locally. */
  readonly rows: number;
  readonly requests: number;
  readonly accepted: number;
  readonly skippedInvalid: number;
  readonly skippedDuplicate: number;
  readonly suppressed: number;
  readonly replayed: number;
  /** Rows refused by the CLI itself (a column count unlike the header's); never sent. */
  readonly malformed: number;
  /** Skipped rows the service counted but did not list (it lists the first 100 per request). */
  readonly unlisted: number;
}

/** Nothing done yet. */
export const EMPTY_TOTALS: ImportTotals = {
  rows: 0,
  requests: 0,
  accepted: 0,
  skippedInvalid: 0,
  skippedDuplicate: 0,
  suppressed: 0,
  replayed: 0,
  malformed: 0,
  unlisted: 0,
};

/** Skipped rows the service counted in one response but left out of its `rejected` list. */
export function unlistedIn(response: AddRecipientsResponse): number {
  return Math.max(0, response.skippedInvalid + response.skippedDuplicate - response.rejected.length);
}

/** The totals after one answered request of `sent` rows, plus `malformed` rows refused locally beside it. */
export function addResponse(totals: ImportTotals, response: AddRecipientsResponse, sent: number, malformed: number): ImportTotals {
  return {
    rows: totals.rows + sent + malformed,
    requests: totals.requests + (sent > 0 ? 1 : 0),
    accepted: totals.accepted + response.accepted,
    skippedInvalid: totals.skippedInvalid + response.skippedInvalid,
    skippedDuplicate: totals.skippedDuplicate + response.skippedDuplicate,
    suppressed: totals.suppressed + response.suppressed,
    replayed: totals.replayed + response.replayed,
    malformed: totals.malformed + malformed,
    unlisted: totals.unlisted + unlistedIn(response),
  };
}

/** Rows that were not imported for a fault of their own: what makes an import partial (exit 4). */
export function skippedRows(totals: ImportTotals): number {
  return totals.skippedInvalid + totals.skippedDuplicate + totals.malformed;
}

/** The summary as `--json` prints it (snake_case, like the service's own counters). */
export function totalsJson(totals: ImportTotals, elapsedMs: number, rejectedFile: string | undefined): Record<string, unknown> {
  return {
    rows: totals.rows,
    requests: totals.requests,
    accepted: totals.accepted,
    skipped_invalid: totals.skippedInvalid,
    skipped_duplicate: totals.skippedDuplicate,
    suppressed: totals.suppressed,
    replayed: totals.replayed,
    malformed: totals.malformed,
    rejected_unlisted: totals.unlisted,
    elapsed_seconds: Math.round(elapsedMs) / 1000,
    rows_per_second: Math.round(ratePerSecond(totals.rows, elapsedMs)),
    rejected_file: rejectedFile ?? null,
  };
}

/** The human summary printed when an import ends. */
export function formatSummary(totals: ImportTotals, elapsedMs: number, rejectedFile: string | undefined): string {
  const lines: [string, number][] = [
    ['rows', totals.rows],
    ['accepted', totals.accepted],
    ['skipped_invalid', totals.skippedInvalid],
    ['skipped_duplicate', totals.skippedDuplicate],
    ['suppressed (do-not-call)', totals.suppressed],
    ['replayed (external_id seen)', totals.replayed],
  ];
  if (totals.malformed > 0) lines.push(['malformed (not sent)', totals.malformed]);
  const width = Math.max(...lines.map(([label]) => label.length)) + 1;
  const out = lines.map(([label, n]) => `  ${`${label}:`.padEnd(width)} ${formatCount(n)}`);
  const rate = formatCount(ratePerSecond(totals.rows, elapsedMs));
  out.push(`  ${'elapsed:'.padEnd(width)} ${formatDuration(elapsedMs / 1000)} (${rate} rows/s, ${formatCount(totals.requests)} requests)`);
  if (rejectedFile !== undefined) out.push(`  ${'rejected rows:'.padEnd(width)} ${rejectedFile}`);
  if (totals.unlisted > 0) {
    out.push(`  note: ${formatCount(totals.unlisted)} skipped rows are not in the rejected file: the service lists at most 100 per request`);
  }
  return out.join('\n');
}
