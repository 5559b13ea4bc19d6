import type { RecipientRow } from '../../../generated/outreach/v1/message';
import { UsageError } from '../exit-codes';

/** Where each field of a recipient sits in the CSV's rows, read from its header row. */
export interface CsvLayout {
  /** The header row as given (trimmed). */
  readonly headers: readonly string[];
  readonly phoneNumber: number;
  readonly language: number | undefined;
  readonly timezone: number | undefined;
  readonly externalId: number | undefined;
  /** Every other column: a template variable named by its header. */
  readonly variables: readonly { readonly name: string; readonly index: number }[];
}

/** Columns with a meaning of their own; matched without regard to case. */
const FIXED_COLUMNS = ['phone_number', 'language', 'timezone', 'external_id'] as const;

/**
 * Reads the header row: `phone_number` is required; `language`, `timezone` and `external_id` are
 * optional; every other column becomes a variable named by its header. An empty or repeated
 * column name is a usage error, since a row could not be read unambiguously.
 */
export function layoutFromHeader(header: readonly string[]): CsvLayout {
  const headers = header.map((h) => h.trim());
  const seen = new Set<string>();
  headers.forEach((name, i) => {
    if (name === '') throw new UsageError(`CSV header: column ${i + 1} has no name`);
    const key = isFixed(name) ? name.toLowerCase() : name;
    if (seen.has(key)) throw new UsageError(`CSV header: column "${name}" appears more than once`);
    seen.add(key);
  });
  const find = (name: string): number | undefined => {
    const index = headers.findIndex((h) => h.toLowerCase() === name);
    return index < 0 ? undefined : index;
  };
  const phoneNumber = find('phone_number');
  if (phoneNumber === undefined) {
    throw new UsageError(`CSV header must name a phone_number column; it has: ${headers.join(', ')}`);
  }
  return {
    headers,
    phoneNumber,
    language: find('language'),
    timezone: find('timezone'),
    externalId: find('external_id'),
    variables: headers.flatMap((name, index) => (isFixed(name) ? [] : [{ name, index }])),
  };
}

/** Why a CSV row was not sent; the service's own reasons come back in its response. */
export type LocalRejection = 'wrong_column_count';

/**
 * One CSV record as an AddRecipients row. The service is the judge of numbers, zones and
 * duplicates; only a record whose column count differs from the header's is refused here, as its
 * values cannot be matched to their columns. Blank cells are left out of `variables`.
 */
export function toRecipientRow(layout: CsvLayout, record: readonly string[]): RecipientRow | LocalRejection {
  if (record.length !== layout.headers.length) return 'wrong_column_count';
  const variables: Record<string, string> = {};
  for (const { name, index } of layout.variables) {
    const value = record[index] as string;
    if (value !== '') variables[name] = value;
  }
  const cell = (index: number | undefined): string => (index === undefined ? '' : (record[index] as string).trim());
  return {
    phoneNumber: cell(layout.phoneNumber),
    variables,
    language: cell(layout.language),
    metadata: {},
    timezone: cell(layout.timezone),
    externalId: cell(layout.externalId),
  };
}

function isFixed(name: string): boolean {
  return (FIXED_COLUMNS as readonly string[]).includes(name.toLowerCase());
}

/** A CSV field quoted when it holds a comma, quote, or line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV line (with its `\n`) from fields. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}
