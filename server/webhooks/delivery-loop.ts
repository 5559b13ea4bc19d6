import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { coerceError } from '../errors';
import type { Logger } from '../logger';
import type { Clock } from '../shared/clock';
import { claimDueDeliveries, recordTry, type DeliveryOutcome, type DueDelivery } from './deliveries.repository';
import { afterFailure } from './retry-schedule';
import { signatureHeader } from './signature';
import { postWebhook, type SendResult } from './webhook-sender';

/** How the delivery loop paces itself. */
export interface DeliveryOptions {
  /** Most deliveries claimed (and sent at once) per round. */
  readonly batch: number;
  /** Idle wait between rounds when nothing was due. */
  readonly pollIntervalMs: number;
  /** Longest a receiver gets to answer. */
  readonly timeoutMs: number;
  /** Private, loopback and link-local receivers are allowed (development only). */
  readonly allowPrivate: boolean;
}

export interface DeliveryDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly options: DeliveryOptions;
  /** The POST; the real one unless a test replaces it. */
  readonly send?: typeof postWebhook;
  /** A draw in [0, 1) for the retry jitter. */
  readonly random?: () => number;
}

/** The body as sent: the event id first, then the event. */
export function deliveryBody(delivery: Pick<DueDelivery, 'eventId' | 'body'>): string {
  return JSON.stringify({ event_id: delivery.eventId, ...delivery.body });
}

/**
 * The loop that POSTs pending webhook deliveries (the scheduler's shape): claim a batch with a
 * lease, send them at once, record each try with what follows it — delivered, tried again later
 * with backoff, or dead — and re-arm at once while batches come back full. Any number of processes
 * may run it on one database; a delivery is sent at least once and, barring a crash mid-send,
 * exactly once.
 */
export class DeliveryLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private consecutiveErrors = 0;

  constructor(private readonly deps: DeliveryDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm(0);
  }

  /** Stops re-arming and waits for the round in progress (its sends end within the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let sent = 0;
    try {
      sent = await this.runOnce();
      this.consecutiveErrors = 0;
    } catch (e: unknown) {
      this.consecutiveErrors += 1;
      this.deps.log.error({ err: coerceError(e), consecutive_errors: this.consecutiveErrors }, 'webhook round failed');
    }
    const { options } = this.deps;
    const backoff = Math.min(30_000, 100 * 2 ** this.consecutiveErrors);
    this.arm(this.consecutiveErrors > 0 ? backoff : sent >= options.batch ? 0 : options.pollIntervalMs);
  }

  /** One round by hand, for tests that drive the clock: returns how many deliveries were tried. */
  async runOnce(): Promise<number> {
    const { db, clock, options } = this.deps;
    const now = clock.now();
    // The lease outlasts the send (its timeout) with as long again, and a second, for recording it.
    const leaseUntil = new Date(now.getTime() + 2 * options.timeoutMs + 1_000);
    const due = await claimDueDeliveries(db, now, leaseUntil, options.batch);
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const { clock, options, log } = this.deps;
    const send = this.deps.send ?? postWebhook;
    const at = clock.now();
    const body = deliveryBody(delivery);
    const result: SendResult = await send({
      url: delivery.url,
      body,
      headers: {
        'Outreach-Signature': signatureHeader(delivery.secret, body, at),
        'Outreach-Event-Id': delivery.eventId,
        'User-Agent': 'Outreach-Webhooks/1',
      },
      timeoutMs: options.timeoutMs,
      allowPrivate: options.allowPrivate,
    });
    const outcome = this.outcomeOf(delivery, result);
    const recorded = await recordTry(this.deps.db, delivery, { at, ...result }, outcome);
    if (!recorded) log.warn({ delivery: delivery.id }, 'webhook delivery changed while it was sent; its try is not recorded');
    else if (outcome.state === 'DEAD') log.warn({ delivery: delivery.id, url: delivery.url, reason: outcome.reason }, 'webhook delivery dead');
  }

  private outcomeOf(delivery: DueDelivery, result: SendResult): DeliveryOutcome {
    if (result.ok) return { state: 'DELIVERED' };
    const next = afterFailure({
      failures: delivery.attempts + 1,
      createdAt: delivery.createdAt,
      now: this.deps.clock.now(),
      httpStatus: result.httpStatus,
      random: (this.deps.random ?? Math.random)(),
    });
    return next.kind === 'retry' ? { state: 'PENDING', nextAttemptAt: next.at } : { state: 'DEAD', reason: next.reason };
  }
}
