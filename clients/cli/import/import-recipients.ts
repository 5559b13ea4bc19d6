import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { AddRecipientsResponse } from '../../../generated/outreach/v1/campaign';
import type { RecipientRow } from '../../../generated/outreach/v1/message';
import { UsageError } from '../exit-codes';
import { layoutFromHeader, toRecipientRow, type CsvLayout } from './csv-rows';
import { EMPTY_TOTALS, addResponse, unlistedIn, type ImportTotals } from './import-totals';
import { RecipientBatch } from './recipient-batch';
import { RejectedFile } from './rejected-file';

/** Sends one AddRecipients request for the import's campaign. */
export type SendRows = (rows: RecipientRow[]) => Promise<AddRecipientsResponse>;

/** What an import needs. */
export interface ImportOptions {
  readonly file: string;
  readonly rejectedPath: string;
  /** Rows per request, at most 10,000. */
  readonly batchSize: number;
  /** Requests in flight at once; reading the file waits while this many are unanswered. */
  readonly maxInFlight: number;
  readonly send: SendRows;
  /** Aborted on Ctrl-C: reading stops, requests already sent are awaited and counted. */
  readonly signal: AbortSignal;
  readonly onProgress: (totals: ImportTotals) => void;
  readonly onWarning: (text: string) => void;
}

/** Why an import ended before the end of its file. */
export type ImportStop =
  | { readonly kind: 'input'; readonly error: UsageError }
  | { readonly kind: 'service'; readonly error: unknown; readonly batch: RecipientBatch }
  | { readonly kind: 'interrupted' };

/** The end of an import. */
export interface ImportResult {
  readonly totals: ImportTotals;
  /** The rejected-rows file, when at least one row was written to it. */
  readonly rejectedFile: string | undefined;
  readonly stop: ImportStop | undefined;
}

type Outcome = { ok: true; response: AddRecipientsResponse } | { ok: false; error: unknown };

const NOTHING: AddRecipientsResponse = { accepted: 0, skippedInvalid: 0, skippedDuplicate: 0, suppressed: 0, replayed: 0, rejected: [] };
/** A request is small enough that the service lists every row it skips (it lists 100). */
const FULLY_LISTED_BATCH = 100;
/** Longest CSV record read, so an unclosed quote cannot pull the rest of a large file into memory. */
const MAX_RECORD_CHARS = 1_000_000;

/**
 * Streams a CSV file into a campaign: records are parsed as they are read, gathered into
 * requests of `batchSize` rows, and sent with at most `maxInFlight` unanswered, so memory holds a
 * few batches whatever the file's size. Responses are handled in request order; each one adds to
 * the totals and appends its rejected rows, traced back to their input lines, to the rejected
 * file. A failed request, a malformed file or Ctrl-C stops the reading; requests already sent are
 * still awaited and counted, and `stop` says what happened.
 */
export function importRecipients(options: ImportOptions): Promise<ImportResult> {
  return new Importer(options).run();
}

class Importer {
  private totals = EMPTY_TOTALS;
  private batchSize: number;
  private readonly inFlight: { batch: RecipientBatch; outcome: Promise<Outcome> }[] = [];
  private stop: ImportStop | undefined;
  private rejected: RejectedFile | undefined;

  constructor(private readonly options: ImportOptions) {
    this.batchSize = options.batchSize;
  }

  async run(): Promise<ImportResult> {
    try {
      await this.readFile();
    } catch (e: unknown) {
      this.stop ??= { kind: 'input', error: asInputError(this.options.file, e) };
    }
    try {
      while (this.inFlight.length > 0) await this.settleOldest();
    } catch (e: unknown) {
      // The rejected file could not be written: stop, but let the requests sent end first.
      this.stop ??= { kind: 'input', error: asInputError(this.options.rejectedPath, e) };
      await Promise.all(this.inFlight.map((p) => p.outcome));
    } finally {
      await this.rejected?.close();
    }
    const written = this.rejected !== undefined && this.rejected.written > 0;
    return { totals: this.totals, rejectedFile: written ? this.options.rejectedPath : undefined, stop: this.stop };
  }

  private async readFile(): Promise<void> {
    const source = createReadStream(this.options.file);
    const parser = parse({ bom: true, info: true, relax_column_count: true, skip_records_with_empty_values: true, max_record_size: MAX_RECORD_CHARS });
    source.on('error', (e) => parser.destroy(e));
    source.pipe(parser);
    let layout: CsvLayout | undefined;
    let batch = new RecipientBatch();
    try {
      for await (const item of parser) {
        if (this.stop !== undefined || this.options.signal.aborted) break;
        const { record, info } = item as { record: string[]; info: { lines: number } };
        if (layout === undefined) {
          layout = layoutFromHeader(record);
          this.rejected = new RejectedFile(this.options.rejectedPath, layout.headers);
          continue;
        }
        const row = toRecipientRow(layout, record);
        if (typeof row === 'string') batch.refuse(row, record, info.lines);
        else batch.add(row, record, info.lines);
        if (batch.size + batch.refused >= this.batchSize) {
          await this.dispatch(batch);
          batch = new RecipientBatch();
        }
      }
    } finally {
      source.destroy();
    }
    if (layout === undefined) throw new UsageError(`${this.options.file}: no header row (the file is empty)`);
    if (this.options.signal.aborted) this.stop ??= { kind: 'interrupted' };
    if (this.stop === undefined) await this.dispatch(batch);
  }

  /** Sends a batch once fewer than `maxInFlight` requests are unanswered. */
  private async dispatch(batch: RecipientBatch): Promise<void> {
    while (this.inFlight.length >= this.options.maxInFlight) await this.settleOldest();
    if (this.stop !== undefined || batch.size + batch.refused === 0) return;
    const outcome: Promise<Outcome> =
      batch.size === 0
        ? Promise.resolve({ ok: true, response: NOTHING })
        : this.options.send(batch.takeRows()).then(
            (response) => ({ ok: true, response }),
            (error: unknown) => ({ ok: false, error }),
          );
    this.inFlight.push({ batch, outcome });
  }

  /** Waits for the oldest request and records what it did. */
  private async settleOldest(): Promise<void> {
    const pending = this.inFlight.shift();
    if (pending === undefined) return;
    const outcome = await pending.outcome;
    if (!outcome.ok) {
      this.stop ??= { kind: 'service', error: outcome.error, batch: pending.batch };
      return;
    }
    const { batch } = pending;
    this.totals = addResponse(this.totals, outcome.response, batch.size, batch.refused);
    await this.rejected?.write(batch.rejectedLines(outcome.response));
    this.noteUnlisted(batch, outcome.response);
    this.options.onProgress(this.totals);
  }

  /**
   * The service lists only the first 100 skipped rows of a request. When it skipped more, say
   * which lines are affected and make later requests small enough that their lists are complete.
   */
  private noteUnlisted(batch: RecipientBatch, response: AddRecipientsResponse): void {
    const unlisted = unlistedIn(response);
    if (unlisted === 0) return;
    const [first, last] = batch.lineRange;
    const skipped = response.skippedInvalid + response.skippedDuplicate;
    const smaller = Math.max(FULLY_LISTED_BATCH, Math.floor((batch.size * 80) / skipped));
    const note = smaller < this.batchSize ? `; next requests carry ${smaller} rows so that every skipped row is listed` : '';
    this.options.onWarning(`lines ${first}-${last}: ${unlisted} of ${skipped} skipped rows were not listed by the service${note}`);
    this.batchSize = Math.min(this.batchSize, smaller);
  }
}

function asInputError(file: string, e: unknown): UsageError {
  if (e instanceof UsageError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new UsageError(`${file}: ${message}`);
}
