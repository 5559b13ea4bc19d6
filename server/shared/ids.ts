import { invalidArgument } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a client-supplied id can name a row at all; anything else is answered as not found. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A client-supplied id: required (`invalid_argument` naming `field`), and a UUID — anything else
 * cannot name a row, so `unknown()` answers as for an id that does not exist. Lower-cased.
 */
export function requireId(value: string, field: string, unknown: () => Error): string {
  const id = value.trim();
  if (id === '') throw invalidArgument(field, `${field} is required`);
  if (!isUuid(id)) throw unknown();
  return id.toLowerCase();
}
