/**
 * What the scheduler bench asks of a side (our scheduler, pg-boss, graphile-worker) run in a child
 * process of its own, and what the child answers. Shared by `scheduler.ts` (the parent) and
 * `scheduler-child.ts`; no imports, so the parent does not load the peers' libraries.
 *
 * The exchange, over the fork's IPC channel: the parent forks the child with its `SideJob` in
 * the environment; the child connects, prepares (its pools opened, the peers' jobs inserted) and
 * sends `ready`; the parent takes a checkpoint and the start-up RSS and sends `go`; the child works
 * every message or job, times it, and sends `done` (or `failed`), then exits.
 */

/** Our scheduler: N `Scheduler`s, each on a pool of its own, calling `runRoundBesideDials()` in a loop. */
export interface OutreachJob {
  readonly side: 'outreach';
  readonly url: string;
  readonly campaignId: string;
  /** Messages due; the run ends when this many have been dialed. */
  readonly messages: number;
  readonly schedulers: number;
  readonly poolSize: number;
  readonly claimBatch: number;
  /** Longest the run may take before it is called stalled. */
  readonly timeoutMs: number;
}

/** pg-boss: a queue of no-op jobs inserted in batches, worked with a batch fetch. */
export interface PgBossJob {
  readonly side: 'pg-boss';
  readonly url: string;
  readonly schema: string;
  readonly queue: string;
  readonly jobs: number;
  readonly batchSize: number;
  readonly localConcurrency: number;
  readonly poolSize: number;
  readonly timeoutMs: number;
}

/** graphile-worker: no-op jobs added in bulk, worked with concurrency, local queue and batched completion. */
export interface GraphileJob {
  readonly side: 'graphile-worker';
  readonly url: string;
  readonly schema: string;
  readonly jobs: number;
  readonly concurrency: number;
  readonly localQueueSize: number;
  readonly completeJobBatchDelayMs: number;
  readonly poolSize: number;
  readonly timeoutMs: number;
}

export type SideJob = OutreachJob | PgBossJob | GraphileJob;
export type SideName = SideJob['side'];

/** Query time by statement kind (our side, from Kysely's query log). */
export interface QueryStat {
  readonly label: string;
  readonly count: number;
  /** Summed over every connection, so it may exceed the wall time when queries overlap. */
  readonly totalMs: number;
}

/** Where a round's time went (our side). */
export interface RoundPhases {
  readonly rounds: number;
  /** Rounds that claimed nothing (another scheduler held the campaign, or nothing was left), and their time. */
  readonly emptyRounds: number;
  readonly emptyRoundsMs: number;
  /**
   * Summed over the rounds that dialed: from the round's start to its first dial (reconcile,
   * housekeeping, claim, decide, record, commit). One campaign: these never overlap between
   * schedulers, since the claim holds the campaign row until the commit.
   */
  readonly beforeDialMs: number;
  /** Summed over rounds: from the first dial to the round's end (the dials and their provider-call-id updates). */
  readonly dialAndAfterMs: number;
  readonly queries: readonly QueryStat[];
}

/** What a child reports once every message or job is done. */
export interface SideResult {
  readonly side: SideName;
  /** Messages dialed or jobs completed. */
  readonly count: number;
  /** From `go` to the last one done as the database shows it. */
  readonly ms: number;
  /** From `go` to the first job handed to a handler (or the first dial). */
  readonly firstMs: number | null;
  /** Our side only. */
  readonly phases?: RoundPhases;
  /** The child's own RSS (process.memoryUsage) when it finished, before closing anything. */
  readonly rssAtDoneMb: number;
  /** Settings and facts worth a note. */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

export type ChildMessage =
  | { readonly type: 'ready'; readonly details: Readonly<Record<string, string | number | boolean>> }
  | { readonly type: 'done'; readonly result: SideResult }
  | { readonly type: 'failed'; readonly error: string };

/**
 * `go` starts the timed run; `close` comes once the parent has read the run's CPU, so the side's
 * database connections close after that reading rather than during it.
 */
export type ParentMessage = { readonly type: 'go' } | { readonly type: 'close' };

/** The environment variable the child reads its job from. */
export const SIDE_JOB_ENV = 'OUTREACH_BENCH_SIDE_JOB';
