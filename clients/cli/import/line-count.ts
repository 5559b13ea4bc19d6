import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;

/**
 * The number of data rows in a CSV file, counted as lines after the header in one streaming pass
 * over its bytes (about a second per gigabyte; memory stays at one read buffer). Blank lines and
 * quoted fields that span lines make it an overestimate, which is all a progress bar needs.
 */
export async function countDataRows(path: string, signal?: AbortSignal): Promise<number> {
  let lines = 0;
  let last = NEWLINE;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) {
    const buffer = chunk as Buffer;
    let at = buffer.indexOf(NEWLINE);
    while (at !== -1) {
      lines += 1;
      at = buffer.indexOf(NEWLINE, at + 1);
    }
    bytes += buffer.length;
    last = buffer[buffer.length - 1] ?? last;
  }
  if (bytes > 0 && last !== NEWLINE) lines += 1;
  return Math.max(0, lines - 1);
}
