import { intFlag, stringFlag, type OptionSpecs, type OptionValues } from '../args';
import type { FlagHelp } from '../command';
import type { CliIo } from '../output';

/** Flags of every list command. */
export const PAGING_OPTIONS: OptionSpecs = {
  limit: { type: 'string' },
  'page-token': { type: 'string' },
  all: { type: 'boolean' },
};

/** Their `--help` lines. */
export const PAGING_HELP: readonly FlagHelp[] = [
  ['--limit N', 'items per page, 1-100 (default 50)'],
  ['--page-token TOKEN', 'continue from a previous page'],
  ['--all', 'follow every page to the end'],
];

/** One page as a list RPC answers it. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string;
}

/** The page asked for, or with `--all` every page from there on joined into one. */
export async function fetchPages<T>(values: OptionValues, fetchPage: (pageSize: number, pageToken: string) => Promise<Page<T>>): Promise<Page<T>> {
  const pageSize = intFlag(values, 'limit', 1, 100, 0);
  let token = stringFlag(values, 'page-token') ?? '';
  const items: T[] = [];
  for (;;) {
    const page = await fetchPage(pageSize, token);
    items.push(...page.items);
    token = page.next;
    if (values.all !== true || token === '') return { items, next: token };
  }
}

/** Tells a person (on stderr, so stdout stays the table) how to get the next page. */
export function noteNextPage(io: CliIo, next: string): void {
  if (next !== '') io.stderr.write(`(more: pass --page-token ${next}, or --all)\n`);
}
