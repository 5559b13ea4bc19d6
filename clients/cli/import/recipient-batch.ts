import type { AddRecipientsResponse } from '../../../generated/outreach/v1/campaign';
import type { RecipientRow } from '../../../generated/outreach/v1/message';
import type { LocalRejection } from './csv-rows';
import type { RejectedLine } from './rejected-file';

/**
 * The CSV rows of one AddRecipients request, with the input line and fields of each, so the
 * indexes in the service's `rejected` list can be traced back to the file; plus the rows of the
 * same stretch of the file that the CLI refused itself.
 */
export class RecipientBatch {
  private rows: RecipientRow[] = [];
  private sent = 0;
  private readonly records: (readonly string[])[] = [];
  private readonly lines: number[] = [];
  private readonly local: RejectedLine[] = [];

  /** Rows to send (or sent). */
  get size(): number {
    return this.sent + this.rows.length;
  }

  /**
   * Hands the rows over for sending and lets go of them: the client keeps its own copy until the
   * answer, so holding ours too would only double the memory of every request in flight.
   */
  takeRows(): RecipientRow[] {
    const rows = this.rows;
    this.sent += rows.length;
    this.rows = [];
    return rows;
  }

  /** Rows refused locally, never sent. */
  get refused(): number {
    return this.local.length;
  }

  /** First and last input line this batch covers (0, 0 when empty). */
  get lineRange(): readonly [number, number] {
    const all = [...this.lines.slice(0, 1), ...this.local.slice(0, 1).map((r) => r.line)];
    const last = [...this.lines.slice(-1), ...this.local.slice(-1).map((r) => r.line)];
    return all.length === 0 ? [0, 0] : [Math.min(...all), Math.max(...last)];
  }

  /** Adds a row to send, from input `line`. */
  add(row: RecipientRow, record: readonly string[], line: number): void {
    this.rows.push(row);
    this.records.push(record);
    this.lines.push(line);
  }

  /** Records a row refused locally. */
  refuse(reason: LocalRejection, record: readonly string[], line: number): void {
    this.local.push({ line, reason, record });
  }

  /** The input line of the row at `index` of the request; undefined when out of range. */
  lineOf(index: number): number | undefined {
    return this.lines[index];
  }

  /** Every rejected row of this batch, the service's and the local ones, in input order. */
  rejectedLines(response: AddRecipientsResponse): RejectedLine[] {
    const remote = response.rejected.flatMap((r): RejectedLine[] => {
      const line = this.lines[r.index];
      const record = this.records[r.index];
      return line === undefined || record === undefined ? [] : [{ line, reason: r.reason, record }];
    });
    return [...remote, ...this.local].sort((a, b) => a.line - b.line);
  }
}
