import { AddNumbersResponse, CheckNumberResponse, DoNotCallEntry, RemoveNumbersResponse } from '../../typescript';
import { stringFlag } from '../args';
import type { CommandSpec } from '../command';
import { ExitCode } from '../exit-codes';
import { printJson, printText, renderTable, toWireJson } from '../output';
import { PAGING_HELP, PAGING_OPTIONS, fetchPages, noteNextPage } from './paging';

const add: CommandSpec = {
  path: ['dnc', 'add'],
  args: 'NUMBER...',
  summary: "put numbers on the tenant's do-not-call list (or refresh their entries)",
  details: 'Example:\n  outreach dnc add +918123002929 918123002930 --reason "asked by phone" --source support',
  options: { reason: { type: 'string' }, source: { type: 'string' }, expires: { type: 'string' } },
  flagHelp: [
    ['--reason TEXT', 'why (free text)'],
    ['--source NAME', 'where the entry comes from (default api)'],
    ['--expires TIME', 'RFC 3339 time after which the entry stops applying'],
  ],
  positionals: [1, 10_000],
  async run(ctx, input) {
    const response = await ctx.client().doNotCall.AddNumbers(
      {
        phoneNumbers: [...input.positionals],
        reason: stringFlag(input.values, 'reason') ?? '',
        source: stringFlag(input.values, 'source') ?? '',
        expiresAt: stringFlag(input.values, 'expires') ?? '',
      },
      { signal: ctx.signal },
    );
    if (ctx.global.json) printJson(ctx.io, toWireJson(AddNumbersResponse, response));
    else printText(ctx.io, `added ${response.added}, updated ${response.updated}`);
    return ExitCode.ok;
  },
};

const remove: CommandSpec = {
  path: ['dnc', 'remove'],
  args: 'NUMBER...',
  summary: 'take numbers off the do-not-call list (numbers not on it are ignored)',
  options: {},
  flagHelp: [],
  positionals: [1, 10_000],
  async run(ctx, input) {
    const response = await ctx.client().doNotCall.RemoveNumbers({ phoneNumbers: [...input.positionals] }, { signal: ctx.signal });
    if (ctx.global.json) printJson(ctx.io, toWireJson(RemoveNumbersResponse, response));
    else printText(ctx.io, `removed ${response.removed}`);
    return ExitCode.ok;
  },
};

const list: CommandSpec = {
  path: ['dnc', 'list'],
  args: '',
  summary: 'list the do-not-call entries in force, by number',
  options: { ...PAGING_OPTIONS },
  flagHelp: PAGING_HELP,
  positionals: [0, 0],
  async run(ctx, input) {
    const client = ctx.client();
    const page = await fetchPages(input.values, async (pageSize, pageToken) => {
      const r = await client.doNotCall.ListNumbers({ pageSize, pageToken }, { signal: ctx.signal });
      return { items: r.entries, next: r.nextPageToken };
    });
    if (ctx.global.json) {
      printJson(ctx.io, { entries: page.items.map((e) => toWireJson(DoNotCallEntry, e)), next_page_token: page.next });
      return ExitCode.ok;
    }
    const rows = page.items.map((e) => [e.phoneNumber, e.source, e.expiresAt || 'never', e.createdAt, e.reason]);
    printText(ctx.io, renderTable(['PHONE_NUMBER', 'SOURCE', 'EXPIRES_AT', 'CREATED_AT', 'REASON'], rows));
    noteNextPage(ctx.io, page.next);
    return ExitCode.ok;
  },
};

const check: CommandSpec = {
  path: ['dnc', 'check'],
  args: 'NUMBER...',
  summary: 'tell whether numbers are blocked now, and by which entry',
  details: 'The exit status is 0 whether or not a number is blocked; read BLOCKED (or "blocked" in --json).',
  options: {},
  flagHelp: [],
  positionals: [1, 1_000],
  async run(ctx, input) {
    const response = await ctx.client().doNotCall.CheckNumber({ phoneNumbers: [...input.positionals] }, { signal: ctx.signal });
    if (ctx.global.json) {
      printJson(ctx.io, toWireJson(CheckNumberResponse, response));
      return ExitCode.ok;
    }
    const rows = response.results.map((r) => [
      r.phoneNumber,
      r.blocked ? 'yes' : 'no',
      r.entry?.source ?? '',
      r.entry === undefined ? '' : r.entry.expiresAt || 'never',
      r.entry?.reason ?? '',
    ]);
    printText(ctx.io, renderTable(['PHONE_NUMBER', 'BLOCKED', 'SOURCE', 'EXPIRES_AT', 'REASON'], rows));
    return ExitCode.ok;
  },
};

/** `dnc add|remove|list|check`. */
export const dncCommands: readonly CommandSpec[] = [add, remove, list, check];
