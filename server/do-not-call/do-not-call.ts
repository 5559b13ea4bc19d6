/** Domain types of the do-not-call ledger: plain values, no protobuf and no rows. */

/** Most numbers one AddNumbers or RemoveNumbers request may carry. */
export const MAX_NUMBERS_PER_CHANGE = 10_000;
/** Most numbers one CheckNumber request may carry. */
export const MAX_NUMBERS_PER_CHECK = 1_000;
/** Longest `source`, in characters. */
export const MAX_SOURCE_LENGTH = 100;
/** Longest `reason`, in characters. */
export const MAX_REASON_LENGTH = 500;
/** The `source` of an entry added without one. */
export const DEFAULT_SOURCE = 'api';

/** One suppression of a tenant's ledger. */
export interface DoNotCallEntry {
  /** E.164. */
  readonly phoneNumber: string;
  readonly source: string;
  readonly reason: string;
  /** When it stops applying; null for never. */
  readonly expiresAt: Date | null;
  /** When it was added or last refreshed. */
  readonly createdAt: Date;
}

/** AddNumbers as the caller sent it: strings not yet validated. */
export interface AddNumbersInput {
  readonly phoneNumbers: readonly string[];
  /** Empty for the default. */
  readonly source: string;
  readonly reason: string;
  /** RFC 3339 with an offset or `Z`; empty for never. */
  readonly expiresAt: string;
}

/** Validated AddNumbers: distinct E.164 numbers and the entry they all get. */
export interface NewSuppressions {
  readonly phoneNumbers: readonly string[];
  readonly source: string;
  readonly reason: string;
  readonly expiresAt: Date | null;
}

/** How AddNumbers changed the list. */
export interface AddNumbersResult {
  /** Numbers that had no entry in force before. */
  readonly added: number;
  /** Numbers whose entry in force was replaced. */
  readonly updated: number;
}

/** The verdict on one number: blocked exactly when an entry in force is there. */
export interface NumberVerdict {
  readonly phoneNumber: string;
  readonly entry: DoNotCallEntry | undefined;
}

/** ListNumbers paging as the caller sent it. */
export interface ListNumbersInput {
  readonly pageSize: number;
  readonly pageToken: string;
}

/** One page of entries in force, by number, and the token of the next page ('' on the last). */
export interface DoNotCallPage {
  readonly entries: readonly DoNotCallEntry[];
  readonly nextPageToken: string;
}
