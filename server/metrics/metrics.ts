import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database';
import type { Clock } from '../shared/clock';
import { countDueMessages } from './metrics.repository';

/** The connection counts of a pg `Pool`, read at each scrape. */
export interface PoolStats {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** What a `Metrics` watches besides what it is told. */
export interface MetricsOptions {
  /** The database and clock for `outreach_messages_due`; the gauge is absent without them. */
  readonly db?: Kysely<Database>;
  readonly clock?: Clock;
  /** The pool behind `db`, for `outreach_db_pool_connections`. */
  readonly pool?: PoolStats;
  /**
   * prom-client's process and Node.js metrics (CPU, memory, file descriptors, GC, event-loop lag),
   * prefixed `outreach_`. One registry per process should have them: they install observers
   * that live as long as the process.
   */
  readonly processMetrics?: boolean;
  /** The most due messages counted (default `DUE_MESSAGES_CAP`). */
  readonly dueCap?: number;
}

/** How one webhook try ended: delivered, failed and tried again later, or failed for good. */
export type WebhookTryResult = 'delivered' | 'retry' | 'dead';

/** How many claimed messages a round decided one way, for `outreach_scheduler_decisions_total`. */
export interface DecisionRecord {
  readonly kind: string;
  readonly reason: string | null;
  readonly count: number;
}

/**
 * The service's Prometheus metrics: one registry per app (never prom-client's global one, so that
 * many apps can live in one process), told what happens by the HTTP layer, the scheduler, the
 * outcome path and the webhook loop, and reading the due backlog and the pool at each scrape.
 */
export interface Metrics {
  /** The `Content-Type` of `render()`'s text. */
  readonly contentType: string;
  /** Every metric in the Prometheus text exposition format. */
  render(): Promise<string>;
  /** One RPC answered: its service and method (`unknown` for an unknown route), its Twirp code or `ok`, and how long it took. */
  observeRpc(service: string, method: string, code: string, seconds: number): void;
  /** A scheduler round that committed: how many messages it claimed and how many it dialed. */
  schedulerRound(round: { readonly claimed: number; readonly dials: number; readonly seconds: number }): void;
  /** A scheduler round that failed (and rolled back). */
  schedulerRoundFailed(): void;
  /** The decisions a round made, counted by kind and reason. */
  schedulerDecisions(decisions: Iterable<DecisionRecord>): void;
  /** An attempt's outcome recorded (not a repeated report): the outcome and the message's status after it. */
  callOutcome(outcome: string, status: string): void;
  /** A webhook try made and recorded. */
  webhookTry(result: WebhookTryResult, seconds: number): void;
}

/** The backlog `outreach_messages_due` counts up to: past it the gauge reads the cap. */
export const DUE_MESSAGES_CAP = 100_000;
/** A scrape does not wait longer than this for the due count. */
const DUE_COUNT_TIMEOUT_MS = 2_000;
const PREFIX = 'outreach_';
const RPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ROUND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A fresh registry with every Outreach metric in it. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics === true) collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const scrapeErrors = new Counter({
    name: `${PREFIX}metrics_collect_errors_total`,
    help: 'Scrapes in which a collected metric could not be read (it is left out of that scrape).',
    labelNames: ['metric'],
    registers,
  });
  const rpc = rpcMetrics(registers);
  const scheduler = schedulerMetrics(registers);
  const outcomes = new Counter({
    name: `${PREFIX}call_outcomes_total`,
    help: 'Call outcomes recorded (reported by the provider or reconciled), by outcome and the status of the message after it; repeated reports are not counted.',
    labelNames: ['outcome', 'status'],
    registers,
  });
  const webhooks = webhookMetrics(registers);
  // The pool is read first, before the due count takes a connection from it: a scrape does not see itself.
  if (options.pool !== undefined) watchPool(registers, options.pool);
  watchDueMessages(registers, options, scrapeErrors);
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeRpc: rpc,
    schedulerRound: ({ claimed, dials, seconds }) => {
      scheduler.rounds.inc();
      scheduler.claimed.inc(claimed);
      scheduler.dials.inc(dials);
      scheduler.duration.observe(seconds);
    },
    schedulerRoundFailed: () => {
      scheduler.rounds.inc();
      scheduler.errors.inc();
    },
    schedulerDecisions: (decisions) => {
      for (const d of decisions) scheduler.decisions.inc({ decision: d.kind, reason: d.reason ?? '' }, d.count);
    },
    callOutcome: (outcome, status) => outcomes.inc({ outcome, status }),
    webhookTry: (result, seconds) => {
      webhooks.tries.inc({ result });
      webhooks.duration.observe(seconds);
    },
  };
}

/**
 * `outreach_rpc_requests_total` and `outreach_rpc_duration_seconds`. The labelled children are
 * kept per label set (the set is bounded: the route table's methods and Twirp's codes), so an RPC
 * costs two increments, not a label lookup each.
 */
function rpcMetrics(registers: Registry[]): Metrics['observeRpc'] {
  const requests = new Counter({
    name: `${PREFIX}rpc_requests_total`,
    help: 'RPCs answered, by service, method and Twirp error code ("ok" for success); unknown routes count as service and method "unknown".',
    labelNames: ['service', 'method', 'code'],
    registers,
  });
  const duration = new Histogram({
    name: `${PREFIX}rpc_duration_seconds`,
    help: 'Time from the request line to the answer written, by service and method.',
    labelNames: ['service', 'method'],
    buckets: RPC_BUCKETS,
    registers,
  });
  const children = new Map<string, { count: Counter.Internal; time: Histogram.Internal<string> }>();
  return (service, method, code, seconds) => {
    const key = `${service}/${method}/${code}`;
    let child = children.get(key);
    if (child === undefined) {
      child = { count: requests.labels({ service, method, code }), time: duration.labels({ service, method }) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  };
}

function schedulerMetrics(registers: Registry[]) {
  return {
    rounds: new Counter({ name: `${PREFIX}scheduler_rounds_total`, help: 'Scheduler rounds run, failed ones included.', registers }),
    errors: new Counter({ name: `${PREFIX}scheduler_round_errors_total`, help: 'Scheduler rounds that failed and rolled back.', registers }),
    claimed: new Counter({ name: `${PREFIX}scheduler_claimed_total`, help: 'Due messages claimed by scheduler rounds.', registers }),
    dials: new Counter({ name: `${PREFIX}scheduler_dials_total`, help: 'Dials handed to the provider (one per attempt).', registers }),
    decisions: new Counter({
      name: `${PREFIX}scheduler_decisions_total`,
      help: 'Scheduler decisions on claimed messages, by decision (dial, reschedule, wait, discard, expire, cancel, fail, hold) and machine-readable reason.',
      labelNames: ['decision', 'reason'],
      registers,
    }),
    duration: new Histogram({
      name: `${PREFIX}scheduler_round_duration_seconds`,
      help: 'Time a committed scheduler round took, from reconciling to the dials handed over.',
      buckets: ROUND_BUCKETS,
      registers,
    }),
  };
}

function webhookMetrics(registers: Registry[]) {
  return {
    tries: new Counter({
      name: `${PREFIX}webhook_deliveries_total`,
      help: 'Webhook delivery tries, by result: delivered (2xx), retry (failed, tried again later), dead (failed for good).',
      labelNames: ['result'],
      registers,
    }),
    duration: new Histogram({
      name: `${PREFIX}webhook_delivery_duration_seconds`,
      help: 'Time a webhook receiver took to answer (or to fail).',
      buckets: RPC_BUCKETS,
      registers,
    }),
  };
}

/**
 * `outreach_messages_due`, counted at each scrape with one bounded, index-walking query. A scrape
 * whose count fails or is slow leaves the gauge out and counts the failure.
 */
function watchDueMessages(registers: Registry[], options: MetricsOptions, errors: Counter): void {
  const { db, clock } = options;
  if (db === undefined || clock === undefined) return;
  const cap = options.dueCap ?? DUE_MESSAGES_CAP;
  new Gauge({
    name: `${PREFIX}messages_due`,
    help: `Messages due now (QUEUED, of a RUNNING campaign, next attempt at or before now), counted up to ${cap}.`,
    registers,
    async collect() {
      try {
        this.set(await withTimeout(countDueMessages(db, clock.now(), cap), DUE_COUNT_TIMEOUT_MS));
      } catch {
        this.reset();
        errors.inc({ metric: `${PREFIX}messages_due` });
      }
    },
  });
}

function watchPool(registers: Registry[], pool: PoolStats): void {
  new Gauge({
    name: `${PREFIX}db_pool_connections`,
    help: 'Database pool connections: total open, idle, and requests waiting for one.',
    labelNames: ['state'],
    registers,
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
