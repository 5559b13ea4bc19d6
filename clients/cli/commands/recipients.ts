import { stat } from 'node:fs/promises';
import { OutreachError } from '../../typescript';
import { intFlag, stringFlag } from '../args';
import type { CommandContext, CommandSpec } from '../command';
import { ExitCode, UsageError, type ExitCodeValue } from '../exit-codes';
import { importRecipients, type ImportResult, type ImportStop } from '../import/import-recipients';
import { formatSummary, skippedRows, totalsJson, type ImportTotals } from '../import/import-totals';
import { countDataRows } from '../import/line-count';
import { printJson, printText } from '../output';
import { formatProgressLine, ProgressReporter } from '../progress';
import { describeError, exitCodeFor } from '../report-error';

const MAX_ROWS_PER_REQUEST = 10_000;
/** Requests unanswered at once: one being written by the service while the next is on the wire. */
const IN_FLIGHT = 2;
/** A 10,000-row request normally takes well under a second; allow for a loaded server. */
const REQUEST_TIMEOUT_MS = 120_000;

async function checkInput(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`);
  } catch (e: unknown) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** What stderr says about why an import stopped early; a refused request is traced to its CSV lines. */
function describeStop(ctx: CommandContext, stop: ImportStop, imported: boolean): string[] {
  if (stop.kind === 'interrupted') return ['outreach: interrupted: reading stopped; the requests already sent were awaited and are counted above'];
  if (stop.kind === 'input') return [`outreach: ${stop.error.message}`];
  const [first, last] = stop.batch.lineRange;
  const lines = [`outreach: the request carrying lines ${first}-${last} was refused as a whole: none of its rows were imported`];
  const argument = stop.error instanceof OutreachError ? /^recipients\[(\d+)\]\.?(.*)$/.exec(stop.error.meta.argument ?? '') : null;
  if (argument !== null) {
    const line = stop.batch.lineOf(Number(argument[1]));
    if (line !== undefined) lines.push(`outreach: the cause is line ${line}${argument[2] === '' ? '' : `, column ${argument[2]}`}`);
  }
  lines.push(...describeError(stop.error, ctx.global.url));
  if (imported) lines.push('outreach: the rows imported before are counted above; see "recipients import --help" on importing the file again');
  return lines;
}

function stopJson(stop: ImportStop | undefined): unknown {
  if (stop === undefined) return null;
  if (stop.kind === 'interrupted') return { reason: 'interrupted' };
  if (stop.kind === 'input') return { reason: 'input', message: stop.error.message };
  const error = stop.error instanceof OutreachError ? { code: stop.error.code, msg: stop.error.msg, meta: stop.error.meta } : { msg: String(stop.error) };
  return { reason: 'service', lines: stop.batch.lineRange, error };
}

function exitCodeOf(result: ImportResult): ExitCodeValue {
  const { stop, totals } = result;
  if (stop?.kind === 'interrupted') return ExitCode.interrupted;
  if (stop?.kind === 'input') return ExitCode.usage;
  if (stop?.kind === 'service') return exitCodeFor(stop.error);
  return skippedRows(totals) > 0 ? ExitCode.partialImport : ExitCode.ok;
}

function report(ctx: CommandContext, result: ImportResult, elapsedMs: number): void {
  if (ctx.global.json) {
    printJson(ctx.io, { ...totalsJson(result.totals, elapsedMs, result.rejectedFile), stopped: stopJson(result.stop) });
  } else if (result.totals.rows > 0 || result.stop === undefined) {
    printText(ctx.io, formatSummary(result.totals, elapsedMs, result.rejectedFile));
  }
  if (result.stop !== undefined) ctx.io.stderr.write(`${describeStop(ctx, result.stop, result.totals.rows > 0).join('\n')}\n`);
}

const importCommand: CommandSpec = {
  path: ['recipients', 'import'],
  args: 'CAMPAIGN_ID FILE.csv',
  summary: 'stream a CSV audience into a campaign, 10,000 rows per request',
  details: [
    'The header row names a phone_number column; language, timezone and external_id are optional;',
    'every other column becomes a template variable (blank cells are left out).',
    'The file is streamed: memory stays bounded whatever its size. Progress (rows, rate, ETA) is drawn',
    'on stderr, the summary printed on stdout. Rows the service skipped (invalid or duplicate numbers)',
    'go to the rejected-rows file: line,reason followed by the row as given.',
    'Exit 4 when some rows were skipped. Ctrl-C stops reading and waits for the requests in flight.',
    'To resume after a stop, import the file again: rows still queued are skipped as duplicates and',
    'rows with an external_id are replayed; a row without one whose call has ended is queued again.',
    'Example:\n  outreach recipients import 7c1e… contacts.csv --rejected-out bad.csv',
  ].join('\n'),
  options: { 'rejected-out': { type: 'string' }, batch: { type: 'string' } },
  flagHelp: [
    ['--rejected-out FILE', 'where rejected rows go (default FILE.csv.rejected.csv); written only if a row is rejected'],
    ['--batch N', 'rows per request, 1-10000 (default 10000)'],
  ],
  positionals: [2, 2],
  async run(ctx, input) {
    const [campaignId, file] = input.positionals as [string, string];
    const batchSize = intFlag(input.values, 'batch', 1, MAX_ROWS_PER_REQUEST, MAX_ROWS_PER_REQUEST);
    const rejectedPath = stringFlag(input.values, 'rejected-out') ?? `${file}.rejected.csv`;
    await checkInput(file);
    const client = ctx.client();
    const total = await countDataRows(file, ctx.signal);
    const reporter = new ProgressReporter(ctx.io.stderr);
    const startedAt = Date.now();
    const line = (t: ImportTotals): string =>
      formatProgressLine({ done: t.rows, total: Math.max(total, t.rows), elapsedMs: Date.now() - startedAt, unit: 'rows' });
    const result = await importRecipients({
      file,
      rejectedPath,
      batchSize,
      maxInFlight: IN_FLIGHT,
      send: (rows) => client.campaign.AddRecipients({ campaignId, recipients: rows }, { timeoutMs: REQUEST_TIMEOUT_MS }),
      signal: ctx.signal,
      onProgress: (t) => reporter.update(line(t)),
      onWarning: (text) => reporter.note(`warning: ${text}`),
    });
    if (result.totals.rows > 0) reporter.finish(line(result.totals));
    report(ctx, result, Date.now() - startedAt);
    return exitCodeOf(result);
  },
};

/** `recipients import`. */
export const recipientCommands: readonly CommandSpec[] = [importCommand];
