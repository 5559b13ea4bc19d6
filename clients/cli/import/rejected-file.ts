import { open, type FileHandle } from 'node:fs/promises';
import { csvLine } from './csv-rows';

/** A CSV row that was not imported: where it was in the input, why, and its fields as given. */
export interface RejectedLine {
  readonly line: number;
  readonly reason: string;
  readonly record: readonly string[];
}

/**
 * The rejected-rows CSV: `line,reason` followed by the input's own columns, one row per rejected
 * input row in input order. The file is created on the first rejected row only, so an import
 * without rejections leaves nothing behind.
 */
export class RejectedFile {
  private handle: FileHandle | undefined;
  private count = 0;

  constructor(
    readonly path: string,
    private readonly headers: readonly string[],
  ) {}

  /** Rows written so far. */
  get written(): number {
    return this.count;
  }

  /** Appends rows (already in input order). */
  async write(rows: readonly RejectedLine[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.handle === undefined) {
      this.handle = await open(this.path, 'w');
      await this.handle.write(csvLine(['line', 'reason', ...this.headers]));
    }
    const text = rows.map((r) => csvLine([String(r.line), r.reason, ...r.record])).join('');
    await this.handle.write(text);
    this.count += rows.length;
  }

  /** Closes the file if it was opened. */
  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
