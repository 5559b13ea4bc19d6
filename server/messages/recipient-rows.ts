import { invalidArgument } from '../errors';
import { toE164 } from '../shared/phone-number';
import { LIMITS, checkStringMap, optionalText, optionalZone } from './message-input';

/** One AddRecipients row as the client sent it. */
export interface RecipientRowInput {
  readonly phoneNumber: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly language: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly timezone: string;
  readonly externalId: string;
}

/** A row that may be written. */
export interface ValidRecipientRow {
  readonly index: number;
  readonly phoneNumber: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly language: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly timezone: string | null;
  readonly externalId: string | null;
}

export type RejectionReason = 'invalid_phone_number' | 'duplicate_in_request' | 'duplicate_in_campaign';

/** A row skipped, with why. */
export interface RejectedRecipientRow {
  readonly index: number;
  readonly phoneNumber: string;
  readonly reason: RejectionReason;
}

/** Refuses a request with no rows or more rows than one request may carry. */
export function checkRowCount(count: number): void {
  if (count === 0) throw invalidArgument('recipients', 'recipients must hold at least one row');
  if (count > LIMITS.rowsPerRequest) {
    throw invalidArgument('recipients', `recipients may hold at most ${LIMITS.rowsPerRequest} rows per request; got ${count}`);
  }
}

/**
 * Sorts rows into those to write and those skipped (invalid number, or repeating an earlier row's
 * number or external id), a slice at a time, remembering what earlier slices held. A malformed
 * row — an unknown timezone, maps or texts over the limits — throws, naming
 * `recipients[i].<field>`, which refuses the whole request.
 */
export class RecipientRowSorter {
  /** Rows skipped so far, in row order. */
  readonly rejected: RejectedRecipientRow[] = [];
  private readonly seenNumbers = new Set<string>();
  private readonly seenExternalIds = new Set<string>();

  /** The rows of this slice to write; `offset` is the index of its first row in the request. */
  sort(rows: readonly RecipientRowInput[], offset: number): ValidRecipientRow[] {
    const valid: ValidRecipientRow[] = [];
    rows.forEach((row, i) => {
      const result = this.sortOne(row, offset + i);
      if (result !== undefined) valid.push(result);
    });
    return valid;
  }

  private sortOne(row: RecipientRowInput, index: number): ValidRecipientRow | undefined {
    const field = `recipients[${index}]`;
    const checked = {
      index,
      variables: checkStringMap(row.variables, `${field}.variables`),
      language: optionalText(row.language, `${field}.language`, LIMITS.languageLength),
      metadata: checkStringMap(row.metadata, `${field}.metadata`),
      timezone: optionalZone(row.timezone, `${field}.timezone`),
      externalId: optionalText(row.externalId, `${field}.external_id`, LIMITS.externalIdLength),
    };
    const phoneNumber = toE164(row.phoneNumber);
    if (phoneNumber === undefined) {
      this.rejected.push({ index, phoneNumber: row.phoneNumber.slice(0, 40), reason: 'invalid_phone_number' });
      return undefined;
    }
    const repeatsId = checked.externalId !== null && this.seenExternalIds.has(checked.externalId);
    if (this.seenNumbers.has(phoneNumber) || repeatsId) {
      this.rejected.push({ index, phoneNumber, reason: 'duplicate_in_request' });
      return undefined;
    }
    this.seenNumbers.add(phoneNumber);
    if (checked.externalId !== null) this.seenExternalIds.add(checked.externalId);
    return { ...checked, phoneNumber };
  }
}

/** All rows at once: `checkRowCount`, then one `RecipientRowSorter` pass. */
export function sortRecipientRows(rows: readonly RecipientRowInput[]): {
  valid: ValidRecipientRow[];
  rejected: RejectedRecipientRow[];
} {
  checkRowCount(rows.length);
  const sorter = new RecipientRowSorter();
  const valid = sorter.sort(rows, 0);
  return { valid, rejected: sorter.rejected };
}
