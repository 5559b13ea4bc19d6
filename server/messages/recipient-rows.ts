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

/**
 * Sorts rows into those to write and those skipped (invalid number, or repeating an earlier row's
 * number or external id). A malformed row — an unknown timezone, maps or texts over the limits —
 * refuses the whole request, naming `recipients[i].<field>`.
 */
export function sortRecipientRows(rows: readonly RecipientRowInput[]): {
  valid: ValidRecipientRow[];
  rejected: RejectedRecipientRow[];
} {
  if (rows.length === 0) throw invalidArgument('recipients', 'recipients must hold at least one row');
  if (rows.length > LIMITS.rowsPerRequest) {
    throw invalidArgument('recipients', `recipients may hold at most ${LIMITS.rowsPerRequest} rows per request; got ${rows.length}`);
  }
  const valid: ValidRecipientRow[] = [];
  const rejected: RejectedRecipientRow[] = [];
  const seenNumbers = new Set<string>();
  const seenExternalIds = new Set<string>();
  rows.forEach((row, index) => {
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
      rejected.push({ index, phoneNumber: row.phoneNumber.slice(0, 40), reason: 'invalid_phone_number' });
      return;
    }
    const repeatsId = checked.externalId !== null && seenExternalIds.has(checked.externalId);
    if (seenNumbers.has(phoneNumber) || repeatsId) {
      rejected.push({ index, phoneNumber, reason: 'duplicate_in_request' });
      return;
    }
    seenNumbers.add(phoneNumber);
    if (checked.externalId !== null) seenExternalIds.add(checked.externalId);
    valid.push({ ...checked, phoneNumber });
  });
  return { valid, rejected };
}
