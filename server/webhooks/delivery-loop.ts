import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { coerceError } from '../errors';
import type { Logger } from '../logger';
import type { Metrics, WebhookTryResult } from '../metrics/metrics';
import type { Clock } from '../shared/clock';
import { Batcher } from '../shared/batcher';
import { claimDueDeliveries, recordTries, type DeliveryOutcome, type DueDelivery, type TriedDelivery } from './deliveries.repository';
import { afterFailure } from './retry-schedule';
import { signatureHeader } from './signature';
import { postWebhook, type SendResult } from './webhook-sender';

/** How the delivery loop paces itself. */
export interface DeliveryOptions {
  /** Most deliveries on the wire at once (and claimed at once). */
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
  /** Counts every recorded try by result. */
  readonly metrics?: Metrics;
}

const TRY_RESULT: Readonly<Record<DeliveryOutcome['state'], WebhookTryResult>> = { DELIVERED: 'delivered', PENDING: 'retry', DEAD: 'dead' };

/** The body as sent: the event id first, then the event. */
export function deliveryBody(delivery: Pick<DueDelivery, 'eventId' | 'body'>): string {
  return JSON.stringify({ event_id: delivery.eventId, ...delivery.body });
}

/**
 * The loop that POSTs pending webhook deliveries. It keeps up to `batch` of them on the wire: it
 * claims as many as there is room for (with a lease), sends each on its own, and claims again as
 * sends finish, so a slow receiver holds one slot, not the loop. Each try is recorded with what
 * follows it — delivered, tried again later with backoff, or dead — and the records of tries that
 * end together go in one statement. Any number of processes may run it on one database; a
 * delivery is sent at least once and, barring a crash mid-send, exactly once.
 */
export class DeliveryLoop {
  private timer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private stopped = true;
  private consecutiveErrors = 0;
  private readonly sending = new Set<Promise<void>>();
  private readonly recorder: Batcher<TriedDelivery, boolean>;

  constructor(private readonly deps: DeliveryDeps) {
    this.recorder = new Batcher((tries) => recordTries(deps.db, tries), 500, 2);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm(0);
  }

  /** Stops claiming and waits for the sends in progress (each ends within the timeout) to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.claiming;
    await Promise.all([...this.sending]);
  }

  private arm(delayMs: number): void {
    if (this.stopped || this.claiming !== undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.claiming = this.tick().finally(() => {
        this.claiming = undefined;
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const { options, log } = this.deps;
    const room = options.batch - this.sending.size;
    if (room <= 0) return; // A send that ends claims again.
    let claimed = 0;
    try {
      const due = await this.claim(room);
      claimed = due.length;
      for (const delivery of due) this.track(this.deliver(delivery));
      this.consecutiveErrors = 0;
    } catch (e: unknown) {
      this.consecutiveErrors += 1;
      log.error({ err: coerceError(e), consecutive_errors: this.consecutiveErrors }, 'claiming webhook deliveries failed');
    }
    const backoff = Math.min(30_000, 100 * 2 ** this.consecutiveErrors);
    // More may be due when the claim came back full; otherwise wait, unless a send ends first.
    setImmediate(() => this.arm(this.consecutiveErrors > 0 ? backoff : claimed === room ? 0 : options.pollIntervalMs));
  }

  private track(send: Promise<void>): void {
    this.sending.add(send);
    void send.finally(() => {
      this.sending.delete(send);
      // Half the slots are free: claim again now rather than at the next poll.
      if (this.sending.size <= this.deps.options.batch / 2) this.arm(0);
    });
  }

  /** One round by hand, for tests that drive the clock: claims, sends and records; returns how many were tried. */
  async runOnce(): Promise<number> {
    const due = await this.claim(this.deps.options.batch);
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private claim(limit: number): Promise<DueDelivery[]> {
    const now = this.deps.clock.now();
    // The lease outlasts the send (its timeout) with as long again, and a second, for recording it.
    const leaseUntil = new Date(now.getTime() + 2 * this.deps.options.timeoutMs + 1_000);
    return claimDueDeliveries(this.deps.db, now, leaseUntil, limit);
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
    try {
      const recorded = await this.recorder.submit({ delivery, attempt: { at, ...result }, outcome });
      if (!recorded) return log.warn({ delivery: delivery.id }, 'webhook delivery changed while it was sent; its try is not recorded');
      this.deps.metrics?.webhookTry(TRY_RESULT[outcome.state], result.latencyMs / 1000);
      if (outcome.state === 'DEAD') log.warn({ delivery: delivery.id, url: delivery.url, reason: outcome.reason }, 'webhook delivery dead');
    } catch (e: unknown) {
      // Unrecorded, the delivery is tried again when its lease ends.
      log.error({ err: coerceError(e), delivery: delivery.id }, 'recording a webhook try failed');
    }
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
