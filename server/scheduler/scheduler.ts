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
 * Rounds whose dials may still be running (and their provider call ids being recorded) while the
 * next round claims: enough to keep claiming past one slow provider request, few enough that the
 * dial requests held in memory stay bounded (this many rounds of `claimBatch`).
 */
const DIAL_BATCHES_IN_FLIGHT = 4;

/**
 * The most a round claims after a round that came back short (idle, or a campaign's slots used
 * up). Each round that comes back full doubles it, up to `claimBatch`: a burst of due messages has
 * its first calls dialed after a round of this size rather than of the whole batch (in the bench,
 * the first dial 64–107 ms after the start against 420–474 ms with rounds of 5,000 from the
 * start), and large batches still carry the steady flow.
 */
export const FIRST_ROUND_BATCH = 250;

/**
 * The in-process loop (graphile-worker's worker shape): claim a batch of due messages, decide and
 * record in one transaction, dial after it commits, and re-arm a timer — at once while batches come
 * back full, after `pollIntervalMs` when idle, with a growing backoff after errors. A round's dials
 * run beside the next round (at most `DIAL_BATCHES_IN_FLIGHT` rounds of them), so a slow provider
 * does not hold the claiming back. Nothing it keeps in memory is needed by another process: every
 * decision, and every attempt, is in the database before its dial starts.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private consecutiveErrors = 0;
  private lastHousekeeping = 0;
  private reconcileBacklog = false;
  /** The most the next round claims (see FIRST_ROUND_BATCH). */
  private roundBatch = FIRST_ROUND_BATCH;
  private readonly cursor = { afterCampaign: '00000000-0000-0000-0000-000000000000', rotation: 0 };
  /** Dial batches of past rounds still running: each dials, then records the provider call ids. */
  private readonly dialing = new Set<Promise<void>>();

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

  /** Stops re-arming and waits for the round in progress and the dials of past rounds. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.settled();
  }

  /** Resolves once the dials of every round so far have been made and their results recorded. */
  async settled(): Promise<void> {
    while (this.dialing.size > 0) await Promise.all(this.dialing);
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
  async runRound(): Promise<boolean> {
    const full = await this.round();
    await this.settled();
    return full;
  }

  /**
   * One round as the loop runs it: its dials still running when it returns (see `settled`). For
   * a driver of its own, such as the bench.
   */
  runRoundBesideDials(): Promise<boolean> {
    return this.round();
  }

  /** Returns true when the claim came back full, so the next round should follow at once. */
  private async round(): Promise<boolean> {
    const started = performance.now();
    const { claimBatch, perCampaign } = this.deps.options;
    const batch = Math.min(claimBatch, this.roundBatch);
    try {
      const result = await this.dispatch({ claimBatch: batch, perCampaign: Math.min(perCampaign, batch) });
      this.deps.metrics?.schedulerRound({ claimed: result.claimed, dials: result.dials, seconds: (performance.now() - started) / 1000 });
      const full = result.claimed >= batch;
      this.roundBatch = full ? Math.min(claimBatch, batch * 2) : FIRST_ROUND_BATCH;
      return full;
    } catch (e: unknown) {
      this.roundBatch = FIRST_ROUND_BATCH;
      this.deps.metrics?.schedulerRoundFailed();
      throw e;
    }
  }

  /** Reconciling and housekeeping when they are due, then one dispatch round of `size` and its dials. */
  private async dispatch(size: Pick<SchedulerOptions, 'claimBatch' | 'perCampaign'>): Promise<{ claimed: number; dials: number }> {
    const { db, clock, options, log } = this.deps;
    // Bounded: a provider slower than the rounds holds the claiming back at this many batches.
    while (this.dialing.size >= DIAL_BATCHES_IN_FLIGHT) await Promise.race(this.dialing);
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
    const result = await runDispatchRound({ ...this.deps, options: { ...options, ...size } }, this.cursor, now);
    this.deps.metrics?.schedulerDecisions(result.decisions);
    if (result.dials.length > 0) this.dialBeside(result.dials);
    return { claimed: result.claimed, dials: result.dials.length };
  }

  /**
   * Dials a committed round's attempts while the next round runs. A failure to record the results
   * costs what a crash at that point costs: the attempts stay open for the reconciler.
   */
  private dialBeside(dials: Parameters<typeof dialClaimed>[1]): void {
    const batch: Promise<void> = dialClaimed(this.deps, dials)
      .catch((e: unknown) => this.deps.log.error({ err: coerceError(e), dials: dials.length }, 'recording dial results failed'))
      .finally(() => this.dialing.delete(batch));
    this.dialing.add(batch);
  }
}
