/**
 * Our side of the scheduler bench, run in the child process: the real `Scheduler` of
 * server/scheduler with a no-op provider (every dial accepted at once, no outcome ever reported),
 * `runRoundBesideDials()` called in a loop as the service's loop runs rounds — claim, decide,
 * record attempts and status in one transaction, dial after the commit beside the next round —
 * until every due message has been dialed and every dial's result recorded. Several schedulers may run side
 * by side, each on a pool of its own, as separate processes would.
 *
 * Every query goes through Kysely's query log, so the notes can say where the time went.
 */
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import type { Database } from '../../server/db/database';
import { createDb } from '../../server/db/pool';
import { createLogger } from '../../server/logger';
import type { DialRequest, Provider } from '../../server/providers/provider';
import { Scheduler } from '../../server/scheduler/scheduler';
import { systemClock } from '../../server/shared/clock';
import type { OutreachJob, QueryStat, RoundPhases, SideResult } from './scheduler-sides';

/** Options of the loop as a process of the service would run it, tuned for throughput. */
export function schedulerOptions(claimBatch: number) {
  return {
    claimBatch,
    // One campaign: let it fill the whole batch.
    perCampaign: claimBatch,
    // No per-caller-id cap: the one caller id of the campaign would otherwise pace it.
    callerIdCap: 0,
    maxCallSeconds: 900,
    reconcileGraceSeconds: 60,
    concurrencyRetryMs: 1_000,
    // As start-scheduler.ts sets them; the bench loop does not wait between rounds.
    pollIntervalMs: 1_000,
    housekeepingIntervalMs: 5_000,
    maxBackoffMs: 30_000,
  };
}

/** Accepts every dial at once and never reports an outcome. */
class NoopProvider implements Provider {
  readonly name = 'noop';
  dials = 0;
  firstDialAt: number | undefined;
  async dial(request: DialRequest): Promise<{ providerCallId: string }> {
    this.dials += 1;
    this.firstDialAt ??= performance.now();
    return { providerCallId: `noop-${request.attemptKey}` };
  }

  async close(): Promise<void> {}
}

/** A provider per scheduler that counts into the shared one and notes its round's first dial. */
function perScheduler(shared: NoopProvider, onDial: () => void): Provider {
  return {
    name: 'noop',
    dial: (request) => {
      onDial();
      return shared.dial(request);
    },
    close: async () => undefined,
  };
}

/** Query time by statement kind. */
class QueryLog {
  private readonly stats = new Map<string, { count: number; totalMs: number }>();

  readonly log = (event: LogEvent): void => {
    const label = classify(event.query.sql);
    const entry = this.stats.get(label) ?? { count: 0, totalMs: 0 };
    entry.count += 1;
    entry.totalMs += event.queryDurationMillis;
    this.stats.set(label, entry);
  };

  snapshot(): QueryStat[] {
    return [...this.stats].map(([label, s]) => ({ label, ...s })).sort((a, b) => b.totalMs - a.totalMs);
  }
}

/** What a statement of the scheduler does, from its text. */
function classify(sqlText: string): string {
  const s = sqlText.replace(/\s+/g, ' ').trim().toLowerCase();
  if (s === 'begin' || s.startsWith('start transaction')) return 'begin';
  if (s === 'commit') return 'commit';
  if (s === 'rollback') return 'rollback';
  if (s.includes('cross join lateral')) return 'claim (FOR UPDATE SKIP LOCKED)';
  if (s.includes('from reserve_dispatch_slots(')) return 'reserve slots';
  if (s.startsWith('delete from dispatch_reservations')) return 'release slots';
  if (s.includes('from "campaigns"') || s.startsWith('select * from campaigns') || s.includes('from campaigns where id')) return 'decide: load campaigns';
  if (s.includes('business_hours_profiles')) return 'decide: load profiles';
  if (s.includes('from "tenants"') || s.includes('from tenants')) return 'decide: load tenant policies';
  if (s.includes('from attempts where message_id = any')) return 'decide: recent attempts';
  if (s.includes('from attempts where ended_at is null and caller_id')) return 'decide: in flight by caller id';
  if (s.includes('from attempts where tenant_id') && s.includes('group by phone_number')) return 'decide: frequency cap';
  if (s.includes('do_not_call')) return 'decide: do-not-call check';
  if (s.includes('dispatched as ( update messages') && s.includes('insert into attempts')) return 'record: messages → DISPATCHED and their attempts';
  if (s.startsWith('insert into message_history')) return 'record: insert history';
  if (s.startsWith('insert into provider_calls')) return 'after dial: insert provider call ids';
  if (s.includes('deadline_at <=')) return 'reconcile: overdue attempts';
  if (s.startsWith('update campaigns') || s.includes('from campaigns c')) return 'housekeeping';
  return `other: ${s.slice(0, 60)}`;
}

/** One scheduler with its pool. */
interface Worker {
  readonly id: string;
  readonly scheduler: Scheduler;
  readonly db: Kysely<Database>;
}

/** Prepares the schedulers (pools opened), then returns the function that runs them. */
export async function prepareOutreach(job: OutreachJob): Promise<{ run: () => Promise<SideResult>; close: () => Promise<void>; details: Record<string, string | number> }> {
  const provider = new NoopProvider();
  const queries = new QueryLog();
  const log = createLogger('warn', process.stderr);
  const workers: Worker[] = [];
  const firstDial = new Map<string, number>();
  for (let i = 0; i < job.schedulers; i += 1) {
    const id = `s${i + 1}`;
    // The service's pool (createDb), with Kysely's query log on it.
    const { pool } = createDb({ connectionString: job.url, max: job.poolSize, statementTimeoutMs: 120_000, connectTimeoutMs: 10_000, applicationName: `bench-scheduler-${id}` });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queries.log });
    // Open every connection now, so the timed run does not pay for it.
    await Promise.all(Array.from({ length: job.poolSize }, () => pool.query('select 1')));
    const scheduler = new Scheduler({
      db,
      clock: systemClock,
      provider: perScheduler(provider, () => {
        if (!firstDial.has(id)) firstDial.set(id, performance.now());
      }),
      log: log.child({ component: `scheduler-${id}` }),
      options: schedulerOptions(job.claimBatch),
    });
    workers.push({ id, scheduler, db });
  }

  const run = async (): Promise<SideResult> => {
    const t0 = performance.now();
    const deadline = t0 + job.timeoutMs;
    let rounds = 0;
    let emptyRounds = 0;
    let emptyRoundsMs = 0;
    let beforeDialMs = 0;
    let dialAndAfterMs = 0;
    const loop = async (w: Worker): Promise<void> => {
      let idle = 0;
      while (provider.dials < job.messages) {
        if (performance.now() > deadline) throw new Error(`stalled: ${provider.dials} of ${job.messages} dialed after ${job.timeoutMs} ms`);
        const start = performance.now();
        firstDial.delete(w.id);
        const before = provider.dials;
        // As the service's loop runs rounds: the dials (and the INSERT of their provider call ids)
        // run beside the next round; the clock stops once every scheduler has settled them.
        await w.scheduler.runRoundBesideDials();
        const end = performance.now();
        rounds += 1;
        const dialed = provider.dials - before;
        const first = firstDial.get(w.id);
        if (first === undefined) {
          emptyRounds += 1;
          emptyRoundsMs += end - start;
        } else {
          beforeDialMs += first - start;
          dialAndAfterMs += end - first;
        }
        // Nothing claimable for this scheduler (another one holds the campaign, or it is done):
        // yield briefly rather than spin on the database.
        if (dialed === 0) {
          idle += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.min(5, idle)));
        } else idle = 0;
      }
    };
    await Promise.all(workers.map(loop));
    await Promise.all(workers.map((w) => w.scheduler.settled()));
    const ms = performance.now() - t0;
    const phases: RoundPhases = { rounds, emptyRounds, emptyRoundsMs, beforeDialMs, dialAndAfterMs, queries: queries.snapshot() };
    return {
      side: 'outreach',
      count: provider.dials,
      ms,
      firstMs: provider.firstDialAt === undefined ? null : provider.firstDialAt - t0,
      phases,
      rssAtDoneMb: process.memoryUsage().rss / 1048576,
      details: { schedulers: job.schedulers, poolSize: job.poolSize, claimBatch: job.claimBatch },
    };
  };

  const close = async (): Promise<void> => {
    for (const w of workers) {
      await w.scheduler.stop();
      await w.db.destroy();
    }
  };
  return { run, close, details: { schedulers: job.schedulers, poolSize: job.poolSize, claimBatch: job.claimBatch } };
}
