import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { coerceError } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { Provider } from '../providers/provider';
import type { Clock } from '../shared/clock';
import { completeDoneBulkCampaigns, completeEndedCampaigns } from './campaign-housekeeping.repository';
import { dialClaimed } from './dial-claimed';
import { runDispatchRound, type DispatchOptions } from './dispatch-round';
import { reconcileOverdueAttempts } from './reconciler';
import { dropExpiredReservations } from './scheduler.repository';

/** How the loop paces itself. */
export interface SchedulerOptions extends DispatchOptions {
  /** Idle wait between rounds when nothing was due. */
  readonly pollIntervalMs: number;
  /** How often overdue attempts are reconciled and campaigns checked for completion and end dates. */
  readonly housekeepingIntervalMs: number;
  /** Longest wait after repeated errors. */
  readonly maxBackoffMs: number;
}

export interface SchedulerDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly provider: Provider;
  readonly log: Logger;
  readonly options: SchedulerOptions;
  /** Counts rounds, claims, dials and failed rounds (and, through the outcome path, outcomes). */
  readonly metrics?: Metrics;
}

/**
 * The in-process loop (graphile-worker's worker shape): claim a batch of due messages, decide and
 * record in one transaction, dial after it commits, and re-arm a timer — at once while batches come
 * back full, after `pollIntervalMs` when idle, with a growing backoff after errors. Nothing it
 * keeps in memory is needed by another process: every decision is in the database.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private consecutiveErrors = 0;
  private lastHousekeeping = 0;
  private reconcileBacklog = false;
  private readonly cursor = { afterCampaign: '00000000-0000-0000-0000-000000000000', rotation: 0 };

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm(0);
  }

  /** Asks for a round soon (a message became due now); harmless when one is running. */
  nudge(): void {
    if (!this.stopped && this.running === undefined) this.arm(0);
  }

  /** Stops re-arming and waits for the round in progress; dials already made run on. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
  }

  /** One round; never throws out of the timer. */
  private async tick(): Promise<void> {
    let full = false;
    try {
      full = await this.round();
      this.consecutiveErrors = 0;
    } catch (e: unknown) {
      this.consecutiveErrors += 1;
      this.deps.log.error({ err: coerceError(e), consecutive_errors: this.consecutiveErrors }, 'scheduler round failed');
    }
    const { options } = this.deps;
    const backoff = Math.min(options.maxBackoffMs, 100 * 2 ** this.consecutiveErrors);
    this.arm(this.consecutiveErrors > 0 ? backoff : full ? 0 : options.pollIntervalMs);
  }

  /**
   * One round by hand — reconcile, housekeeping, claim, decide, record, dial — for tests that
   * drive the clock. Returns true when the claim came back full.
   */
  runRound(): Promise<boolean> {
    return this.round();
  }

  /** Returns true when the claim came back full, so the next round should follow at once. */
  private async round(): Promise<boolean> {
    const started = performance.now();
    try {
      const result = await this.dispatch();
      this.deps.metrics?.schedulerRound({ claimed: result.claimed, dials: result.dials, seconds: (performance.now() - started) / 1000 });
      return result.claimed >= this.deps.options.claimBatch;
    } catch (e: unknown) {
      this.deps.metrics?.schedulerRoundFailed();
      throw e;
    }
  }

  /** Reconciling and housekeeping when they are due, then one dispatch round and its dials. */
  private async dispatch(): Promise<{ claimed: number; dials: number }> {
    const { db, clock, options, log } = this.deps;
    const now = clock.now();
    // Deadlines lie minutes ahead, so overdue attempts are looked for with the housekeeping, not
    // every round — and again at once while a batch comes back full.
    if (this.reconcileBacklog || now.getTime() - this.lastHousekeeping >= options.housekeepingIntervalMs) {
      this.lastHousekeeping = now.getTime();
      this.reconcileBacklog = (await reconcileOverdueAttempts(this.deps, options.claimBatch)) >= options.claimBatch;
      await dropExpiredReservations(db, now);
      const completed = [...(await completeDoneBulkCampaigns(db, now)), ...(await completeEndedCampaigns(db, now))];
      if (completed.length > 0) log.info({ campaigns: completed }, 'campaigns completed');
    }
    const result = await runDispatchRound(this.deps, this.cursor, now);
    this.deps.metrics?.schedulerDecisions(result.decisions);
    await dialClaimed(this.deps, result.dials);
    return { claimed: result.claimed, dials: result.dials.length };
  }
}
