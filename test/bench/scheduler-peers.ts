/**
 * The peers of the scheduler bench, run in the child process, each through its documented API as
 * installed (node_modules/pg-boss/dist/index.d.ts and types.d.ts, node_modules/graphile-worker/
 * dist/index.d.ts and interfaces.d.ts), each in a schema of its own in the bench database, each
 * configured for throughput rather than left at its defaults:
 *
 * - pg-boss 12: a queue, N no-op jobs inserted with `insert()` in batches before the clock
 *   starts; `work()` with a batch fetch (`batchSize`), several workers (`localConcurrency`), and
 *   `burstWhenBatchFull` so a worker fetches again at once while batches come back full; the
 *   batch handler resolves at once and pg-boss completes the whole batch in one `complete()`.
 * - graphile-worker 0.17: N no-op jobs added with `addJobs()` in batches before the clock starts;
 *   `run()` with `concurrency`, the local queue (`preset.worker.localQueue.size`: jobs fetched and
 *   locked in batches) and batched completion (`preset.worker.completeJobBatchDelay`), prepared
 *   statements (the default) and database time (the default, `useNodeTime: false`).
 *
 * Each run is timed from `go` (the jobs already in the table, the library started where its API
 * allows) to the moment the database shows every job done.
 */
import pg from 'pg';
import type { GraphileJob, PgBossJob, SideResult } from './scheduler-sides';

/** Rows per insert()/addJobs() call while preparing (not timed). */
const INSERT_CHUNK = 10_000;
/** How often the database is asked whether everything is done, once the handlers have seen every job. */
const DONE_POLL_MS = 5;

interface Prepared {
  readonly run: () => Promise<SideResult>;
  readonly close: () => Promise<void>;
  readonly details: Record<string, string | number | boolean>;
}

/** Polls `count()` until it returns `want`, or throws after the deadline. */
async function waitForCount(count: () => Promise<number>, want: number, deadline: number, what: string): Promise<void> {
  for (;;) {
    const n = await count();
    if (n === want) return;
    if (performance.now() > deadline) throw new Error(`stalled: ${what} ${n}, expected ${want}`);
    await new Promise((resolve) => setTimeout(resolve, DONE_POLL_MS));
  }
}

/** Waits until `handled()` reaches `want` (checked every few ms), or throws after the deadline. */
async function waitForHandled(handled: () => number, want: number, deadline: number, what: string): Promise<void> {
  while (handled() < want) {
    if (performance.now() > deadline) throw new Error(`stalled: ${what} ${handled()} of ${want}`);
    await new Promise((resolve) => setTimeout(resolve, DONE_POLL_MS));
  }
}

export async function preparePgBoss(job: PgBossJob): Promise<Prepared> {
  // pg-boss is an ES module; import() loads it from this CommonJS file.
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({
    connectionString: job.url,
    schema: job.schema,
    max: job.poolSize,
    application_name: 'bench-pg-boss',
    // No cron and no maintenance/monitoring passes during a run of a few seconds.
    schedule: false,
    supervise: false,
  });
  const errors: string[] = [];
  boss.on('error', (e: unknown) => errors.push(e instanceof Error ? e.message : String(e)));
  await boss.start();
  await boss.createQueue(job.queue);
  for (let i = 0; i < job.jobs; i += INSERT_CHUNK) {
    const n = Math.min(INSERT_CHUNK, job.jobs - i);
    await boss.insert(job.queue, Array.from({ length: n }, (_, k) => ({ data: { i: i + k } })));
  }
  const probe = new pg.Client({ connectionString: job.url });
  await probe.connect();
  const table = await pgBossTable(probe, job.schema, job.queue);
  const countState = async (state: string): Promise<number> =>
    Number((await probe.query<{ n: string }>(`select count(*) as n from ${table} where name = $1 and state = $2`, [job.queue, state])).rows[0]?.n ?? -1);
  const created = await countState('created');
  if (created !== job.jobs) throw new Error(`pg-boss holds ${created} created jobs, expected ${job.jobs}`);
  const options = { batchSize: job.batchSize, localConcurrency: job.localConcurrency, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 };

  const run = async (): Promise<SideResult> => {
    const t0 = performance.now();
    const deadline = t0 + job.timeoutMs;
    let handled = 0;
    let firstAt: number | undefined;
    await boss.work(job.queue, options, async (jobs) => {
      firstAt ??= performance.now();
      handled += jobs.length;
    });
    await waitForHandled(() => handled, job.jobs, deadline, 'pg-boss jobs handled');
    await waitForCount(() => countState('completed'), job.jobs, deadline, 'pg-boss jobs completed');
    const ms = performance.now() - t0;
    await boss.offWork(job.queue);
    if (errors.length > 0) throw new Error(`pg-boss reported errors: ${errors.slice(0, 3).join('; ')}`);
    return {
      side: 'pg-boss',
      count: job.jobs,
      ms,
      firstMs: firstAt === undefined ? null : firstAt - t0,
      rssAtDoneMb: process.memoryUsage().rss / 1048576,
      details: { ...options, max: job.poolSize, handled, table },
    };
  };
  const close = async (): Promise<void> => {
    await probe.end().catch(() => undefined);
    await boss.stop({ graceful: false, close: true, timeout: 5_000 });
  };
  return { run, close, details: { ...options, max: job.poolSize, table } };
}

/** The table pg-boss keeps the queue's jobs in (its partition, or the shared job table). */
async function pgBossTable(client: pg.Client, schema: string, queue: string): Promise<string> {
  const quoted = `"${schema.replace(/"/g, '""')}"`;
  try {
    const row = (await client.query<{ table_name: string }>(`select table_name from ${quoted}.queue where name = $1`, [queue])).rows[0];
    if (row?.table_name) return `${quoted}."${row.table_name.replace(/"/g, '""')}"`;
  } catch {
    // Older layouts: one job table.
  }
  return `${quoted}.job`;
}

export async function prepareGraphile(job: GraphileJob): Promise<Prepared> {
  const { makeWorkerUtils, run: runWorker, Logger } = await import('graphile-worker');
  // Quiet: the bench reports errors itself.
  const logger = new Logger(() => (level: string, message: string) => {
    if (level === 'error') process.stderr.write(`graphile-worker: ${message}\n`);
  });
  const utils = await makeWorkerUtils({ connectionString: job.url, schema: job.schema, logger });
  await utils.migrate();
  for (let i = 0; i < job.jobs; i += INSERT_CHUNK) {
    const n = Math.min(INSERT_CHUNK, job.jobs - i);
    await utils.addJobs(Array.from({ length: n }, (_, k) => ({ identifier: 'noop', payload: { i: i + k } })));
  }
  const jobsTable = `"${job.schema.replace(/"/g, '""')}"._private_jobs`;
  const probe = new pg.Client({ connectionString: job.url });
  await probe.connect();
  const remaining = async (): Promise<number> => Number((await probe.query<{ n: string }>(`select count(*) as n from ${jobsTable}`)).rows[0]?.n ?? -1);
  const queued = await remaining();
  if (queued !== job.jobs) throw new Error(`graphile-worker holds ${queued} jobs, expected ${job.jobs}`);
  const settings = {
    concurrency: job.concurrency,
    maxPoolSize: job.poolSize,
    localQueueSize: job.localQueueSize,
    completeJobBatchDelay: job.completeJobBatchDelayMs,
    preparedStatements: true,
    useNodeTime: false,
  };
  let runner: Awaited<ReturnType<typeof runWorker>> | undefined;

  const run = async (): Promise<SideResult> => {
    const t0 = performance.now();
    const deadline = t0 + job.timeoutMs;
    let handled = 0;
    let firstAt: number | undefined;
    runner = await runWorker({
      connectionString: job.url,
      schema: job.schema,
      concurrency: job.concurrency,
      maxPoolSize: job.poolSize,
      noHandleSignals: true,
      logger,
      taskList: {
        noop: async () => {
          firstAt ??= performance.now();
          handled += 1;
        },
      },
      // No crontab file: pass an empty one rather than have it look for ./crontab.
      crontab: '',
      preset: {
        worker: {
          localQueue: { size: job.localQueueSize },
          completeJobBatchDelay: job.completeJobBatchDelayMs,
          preparedStatements: true,
          useNodeTime: false,
        },
      },
    });
    const startedMs = performance.now() - t0;
    await waitForHandled(() => handled, job.jobs, deadline, 'graphile-worker jobs handled');
    // A completed job is deleted; batched completion deletes them a little later.
    await waitForCount(remaining, 0, deadline, 'graphile-worker jobs left');
    const ms = performance.now() - t0;
    return {
      side: 'graphile-worker',
      count: job.jobs,
      ms,
      firstMs: firstAt === undefined ? null : firstAt - t0,
      rssAtDoneMb: process.memoryUsage().rss / 1048576,
      details: { ...settings, handled, runStartedMs: Math.round(startedMs) },
    };
  };
  const close = async (): Promise<void> => {
    await runner?.stop().catch(() => undefined);
    await probe.end().catch(() => undefined);
    await utils.release();
  };
  return { run, close, details: settings };
}
