/**
 * `npm run bench -- [sendmessage] [recipients] [stats] [scheduler] [--json] [--duration S] [--warmup S]
 *  [--repeats N] [--connections N] [--rows N] [--rounds N] [--stats-messages N] [--scheduler-messages N]
 *  [--backlog N] [--schedulers N] [--claim-batch N] [--webhook-events N] [--rss-messages N]`
 *
 * Runs the named benches (all of them when none is named) against the real service started as a
 * separate process on a fresh database, each beside a baseline measured in the same run on the
 * same machine and database, and prints a table of figures, baselines and ratios. With `--json`
 * the last line of output is one JSON object holding every figure, its baseline and ratio.
 *
 * Database: BENCH_DATABASE_URL or DATABASE_URL when set (a fresh database is created on that
 * server and dropped afterwards), otherwise an embedded PostgreSQL in a temp folder.
 * Exit code: 0 when every figure with a target passes, 1 when one misses, 2 on an error.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCampaignStats } from './campaign-stats';
import { Cleanup, cleanUpOnSignal, tempFolder } from './cleanup';
import { which } from './commands';
import type { BenchContext, BenchSettings } from './context';
import { startBenchDatabase } from './database';
import { createBenchTenant } from './fixtures';
import { benchRecipients } from './recipients';
import { jsonSummary, renderNotes, renderTable, type BenchResult } from './report';
import { benchScheduler } from './scheduler';
import { benchSendMessage } from './sendmessage';
import { benchWebhooks } from './webhooks';
import { startService } from './service-process';

const BENCHES: Readonly<Record<string, (ctx: BenchContext) => Promise<BenchResult>>> = {
  sendmessage: benchSendMessage,
  recipients: benchRecipients,
  stats: benchCampaignStats,
  scheduler: benchScheduler,
  webhooks: benchWebhooks,
};

interface Args {
  readonly benches: string[];
  readonly json: boolean;
  readonly settings: BenchSettings;
}

const USAGE =
  `usage: npm run bench -- [${Object.keys(BENCHES).join('] [')}] [--json] [--duration S] [--warmup S] ` +
  `[--repeats N] [--connections N] [--rows N] [--rounds N] [--stats-messages N] [--scheduler-messages N] [--backlog N] ` +
  `[--schedulers N] [--claim-batch N] [--webhook-events N] [--rss-messages N]`;

function parseArgs(argv: readonly string[]): Args {
  const benches: string[] = [];
  let json = false;
  const settings = {
    connections: 32,
    warmupSeconds: 2,
    durationSeconds: 10,
    recipientRows: 10_000,
    repeats: 5,
    rounds: 2,
    statsMessages: 1_000_000,
    schedulerMessages: 50_000,
    backlog: 1_000_000,
    schedulers: 2,
    claimBatch: 2_000,
    webhookEvents: 20_000,
    rssMessages: 1_000_000,
  };
  const numeric: Record<string, keyof typeof settings> = {
    '--duration': 'durationSeconds',
    '--warmup': 'warmupSeconds',
    '--repeats': 'repeats',
    '--connections': 'connections',
    '--rows': 'recipientRows',
    '--rounds': 'rounds',
    '--stats-messages': 'statsMessages',
    '--scheduler-messages': 'schedulerMessages',
    '--backlog': 'backlog',
    '--schedulers': 'schedulers',
    '--claim-batch': 'claimBatch',
    '--webhook-events': 'webhookEvents',
    '--rss-messages': 'rssMessages',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (flag in numeric) {
      const raw = inline ?? argv[++i];
      const value = Number(raw);
      // --rss-messages 0 skips the whole-campaign run.
      const least = flag === '--rss-messages' ? 0 : 1;
      if (raw === undefined || !Number.isInteger(value) || value < least) throw new UsageError(`${flag} needs a whole number ≥ ${least}`);
      settings[numeric[flag] as keyof typeof settings] = value;
    } else if (arg in BENCHES) {
      if (!benches.includes(arg)) benches.push(arg);
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  if (settings.recipientRows > 10_000) throw new UsageError('--rows is at most 10000 (the AddRecipients limit)');
  // The seed's numbers are '+1' || 2000000000 + i: ten digits after +1 up to this many.
  if (settings.statsMessages > 7_999_999_999) throw new UsageError('--stats-messages is at most 7999999999');
  // The scheduler seed's numbers: due messages '+1' || 2000000000 + i (a fresh block per backlog
  // round), the backlog '+1' || 5000000000 + i.
  if (settings.schedulerMessages * (settings.rounds + 1) > 3_000_000_000) throw new UsageError('--scheduler-messages × (--rounds + 1) is at most 3000000000');
  if (settings.backlog > 4_999_999_999) throw new UsageError('--backlog is at most 4999999999');
  if (settings.claimBatch > 10_000) throw new UsageError('--claim-batch is at most 10000 (OUTREACH_CLAIM_BATCH\'s limit)');
  return { benches: benches.length > 0 ? benches : Object.keys(BENCHES), json, settings };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e: unknown) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  const log = (line: string): void => {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  };
  const cleanup = new Cleanup();
  const interrupted = cleanUpOnSignal(cleanup, log);

  const results: BenchResult[] = [];
  let failure: unknown;
  let context: Record<string, unknown> = {};
  try {
    const ctx = await setUp(cleanup, args.settings, log);
    context = {
      database: { source: ctx.db.source, server_version: ctx.db.serverVersion },
      settings: args.settings,
      tools: { pgbench: which('pgbench') ?? null, psql: which('psql') ?? null },
    };
    for (const name of args.benches) {
      log(`— ${name} —`);
      const bench = BENCHES[name] as (ctx: BenchContext) => Promise<BenchResult>;
      results.push(await bench(ctx));
    }
  } catch (e: unknown) {
    failure = e;
  } finally {
    if (!interrupted()) await cleanup.run();
  }
  if (interrupted()) return 130;

  printReport(args, results, failure, context);
  if (failure !== undefined) return 2;
  const judged = results.flatMap((r) => r.figures).filter((f) => f.pass !== undefined);
  return judged.every((f) => f.pass === true) ? 0 : 1;
}

/** A temp folder, a fresh database, a tenant, and the service started on them. */
async function setUp(cleanup: Cleanup, settings: BenchSettings, log: (line: string) => void): Promise<BenchContext> {
  const tmpDir = await tempFolder(cleanup, 'outreach-bench-', 'remove the temp folder');
  const db = await startBenchDatabase(cleanup, log);
  log(`database ready: PostgreSQL ${db.serverVersion}, ${db.source}`);
  const tenant = await createBenchTenant(db.url);
  const serviceDataDir = path.join(tmpDir, 'service');
  await fs.mkdir(serviceDataDir);
  const service = await startService(cleanup, {
    databaseUrl: db.url,
    dataDir: serviceDataDir,
    // The default tenant's key; the benches call as their own tenant below.
    apiKey: `bench_default_${randomBytes(16).toString('hex')}`,
  });
  log(`service up at ${service.url} (pid ${service.pid})`);
  return { cleanup, db, service, tenantId: tenant.tenantId, apiKey: tenant.apiKey, tmpDir, settings, log };
}

/** The table and notes on stdout, and with `--json` the JSON line after them. */
function printReport(args: Args, results: readonly BenchResult[], failure: unknown, context: Record<string, unknown>): void {
  const s = args.settings;
  const out: string[] = [
    '',
    `Outreach bench — ${new Date().toISOString()} — ${os.cpus().length} cores, Node ${process.version}`,
    `settings: ${s.connections} connections, ${s.warmupSeconds} s warm-up + ${s.durationSeconds} s timed per side ` +
      `(in ${s.rounds} interleaved rounds); ` +
      `AddRecipients ${s.recipientRows} rows × ${s.repeats} (median); ` +
      `GetCampaignStats on ${s.statsMessages} messages; ` +
      `scheduler ${s.schedulerMessages} messages (backlog ${s.backlog}, ${s.schedulers} scheduler(s), claimBatch ${s.claimBatch})`,
  ];
  if (results.length > 0) out.push('', renderTable(results), '', renderNotes(results));
  if (failure !== undefined) {
    out.push('', `BENCH FAILED: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (args.json) {
    const error = failure === undefined ? null : failure instanceof Error ? failure.message : String(failure);
    process.stdout.write(`${jsonSummary(results, { ...context, error })}\n`);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
