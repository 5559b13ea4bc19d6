import type { IMessageType, JsonValue } from '@protobuf-ts/runtime';

/** Where a command writes: stdout for results, stderr for progress, warnings and errors. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * A protobuf message as the service itself answers in JSON: proto (snake_case) field names, enum
 * names as strings, and defaults emitted, so `--json` output reads like a curl response.
 */
export function toWireJson<T extends object>(type: IMessageType<T>, message: T): JsonValue {
  return type.toJson(message, { useProtoFieldName: true, emitDefaultValues: true });
}

/** Writes one JSON document to stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes lines of text to stdout. */
export function printText(io: CliIo, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Columns padded to their widest cell, headers first; the last column is not padded. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `label: value` lines with the values aligned; empty values show as `-`. */
export function renderFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${value === '' ? '-' : value}`).join('\n');
}

/** The name of a generated TypeScript enum's value (`CampaignInfo_Status.RUNNING` → `RUNNING`). */
export function enumName(values: Readonly<Record<number, string>>, value: number): string {
  const name = values[value];
  return name === undefined ? String(value) : name.endsWith('_UNSPECIFIED') ? '' : name;
}

/** A count with thousands separators: `1,000,000`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `key=value` pairs of a string map, sorted by key, for a table cell. */
export function formatMap(map: Readonly<Record<string, string | number>>): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${String(map[k])}`)
    .join(', ');
}
