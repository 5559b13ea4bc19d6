import { sql, type Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { reportOutcome } from '../../server/call-events/call-events.service';
import type { Database } from '../../server/db/database';
import { createLogger } from '../../server/logger';
import type { DialRequest, OutcomeReport, Provider } from '../../server/providers/provider';
import { SimulatedProvider, type SimulatedProviderOptions } from '../../server/providers/simulated-provider';
import { Scheduler, type SchedulerOptions } from '../../server/scheduler/scheduler';
import { ManualClock } from '../../server/shared/clock';
import { callOk, createOk, minimalCampaign, type CampaignCall } from './campaign-fixtures';
import { useHarness, type Harness } from './harness';
import { okBody, sendBody, statsOk, statsTruth, type MessageJson } from './message-fixtures';
import { rpc, type RpcResponse } from './rpc';

/**
 * Scheduler integration tests build their own scheduler over the test database, with a
 * `ManualClock`, and drive it round by round with `runRound()`; the test server runs none.
 */

export const SCHEDULER_OPTIONS: SchedulerOptions = Object.freeze({
  claimBatch: 500,
  perCampaign: 100,
  callerIdCap: 0,
  maxCallSeconds: 60,
  reconcileGraceSeconds: 10,
  concurrencyRetryMs: 1000,
  pollIntervalMs: 50,
  housekeepingIntervalMs: 0,
  maxBackoffMs: 1000,
});

/** The zone most tests' campaigns use. */
export const NY = 'America/New_York';

/** A wall time in a zone (`2027-01-04T10:00`) as an instant. */
export function at(local: string, zone = NY): Date {
  const parsed = DateTime.fromISO(local, { zone });
  if (!parsed.isValid) throw new Error(`not a local time: ${local}`);
  return parsed.toJSDate();
}

export const MINUTE = 60_000;

/** Polls `condition` until it holds; never a fixed sleep. */
export async function sleepUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A provider that records every dial and never reports an outcome (a lost call). */
export class SilentProvider implements Provider {
  readonly name = 'silent';
  readonly dials: DialRequest[] = [];

  async dial(request: DialRequest): Promise<{ providerCallId: string }> {
    this.dials.push(request);
    return { providerCallId: `silent_${request.attemptKey}` };
  }

  async close(): Promise<void> {}
}

/** A scheduler, its clock and its provider, driven by hand. */
export interface SchedulerRig {
  readonly clock: ManualClock;
  readonly scheduler: Scheduler;
  /** Attempt keys dialed, in order. */
  dialedKeys(): string[];
  /** The dial requests, in order. */
  dials(): DialRequest[];
  /** One round, then `settle()`. */
  round(): Promise<void>;
  /** Waits until the provider has recorded every outcome it owes (simulated provider; else at once). */
  settle(): Promise<void>;
  /** Outcome reports that threw (the outcome path failed). */
  readonly reportErrors: unknown[];
  close(): Promise<void>;
}

const rigs: SchedulerRig[] = [];

/** Closes every rig built so far (call from `afterEach`). */
export async function closeRigs(): Promise<void> {
  for (const rig of rigs.splice(0)) await rig.close();
}

function buildScheduler(db: Kysely<Database>, clock: ManualClock, provider: Provider, options: Partial<SchedulerOptions>): Scheduler {
  return new Scheduler({ db, clock, provider, log: logger(), options: { ...SCHEDULER_OPTIONS, ...options } });
}

const logger = () => createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

/**
 * The simulated provider with `callSeconds: 0`: every dial reports right after a 0 ms timer
 * through the real outcome path (`reportOutcome`) with this rig's clock.
 */
export function simulatedRig(
  db: Kysely<Database>,
  start: Date,
  options: { scheduler?: Partial<SchedulerOptions>; outcomeByDigit?: SimulatedProviderOptions['outcomeByDigit'] } = {},
): SchedulerRig {
  const clock = new ManualClock(start);
  const reportErrors: unknown[] = [];
  let reported = 0;
  const report = async (r: OutcomeReport): Promise<unknown> => {
    try {
      return await reportOutcome({ db, clock }, r);
    } catch (e: unknown) {
      reportErrors.push(e);
      throw e;
    } finally {
      reported += 1;
    }
  };
  const provider = new SimulatedProvider({ callSeconds: 0, report, log: logger(), outcomeByDigit: options.outcomeByDigit });
  const scheduler = buildScheduler(db, clock, provider, options.scheduler ?? {});
  const order: DialRequest[] = [];
  const originalDial = provider.dial.bind(provider);
  provider.dial = async (request) => {
    order.push(request);
    return originalDial(request);
  };
  const dialed = (): number => [...provider.dialCounts().values()].reduce((a, b) => a + b, 0);
  const rig: SchedulerRig = {
    clock,
    scheduler,
    reportErrors,
    dialedKeys: () => order.map((d) => d.attemptKey),
    dials: () => [...order],
    settle: () => sleepUntil(() => reported >= dialed(), 'the simulated outcomes to be recorded'),
    round: async () => {
      await scheduler.runRound();
      await rig.settle();
    },
    close: () => provider.close(),
  };
  rigs.push(rig);
  return rig;
}

/** A rig over any provider that reports by itself never (or only through the test). */
export function providerRig<P extends Provider>(
  db: Kysely<Database>,
  start: Date,
  provider: P,
  options: { scheduler?: Partial<SchedulerOptions> } = {},
): SchedulerRig & { provider: P } {
  const clock = new ManualClock(start);
  const scheduler = buildScheduler(db, clock, provider, options.scheduler ?? {});
  const requests: DialRequest[] = [];
  const dial = provider.dial.bind(provider);
  provider.dial = async (request) => {
    requests.push(request);
    return dial(request);
  };
  const rig = {
    clock,
    scheduler,
    provider,
    reportErrors: [],
    dialedKeys: () => requests.map((d) => d.attemptKey),
    dials: () => [...requests],
    settle: async () => {},
    round: async () => {
      await scheduler.runRound();
    },
    close: () => provider.close(),
  };
  rigs.push(rig);
  return rig;
}

/** A provider that never reports: calls stay in flight until reported over RPC or reconciled. */
export function silentRig(db: Kysely<Database>, start: Date, options: { scheduler?: Partial<SchedulerOptions> } = {}): SchedulerRig & { provider: SilentProvider } {
  return providerRig(db, start, new SilentProvider(), options);
}

/**
 * A scheduler test file's harness: `useHarness`, and after each test every rig closed and every
 * campaign retired, so the next test's scheduler sees none of them.
 */
export function useSchedulerHarness(tenantName: string): Harness {
  const h = useHarness(tenantName);
  afterEach(async () => {
    await closeRigs();
    await retireEverything(h.db);
  });
  return h;
}

/**
 * Teardown between tests of one file: campaigns left running are cancelled and calls left in
 * flight closed (in SQL), so a later test's scheduler sees none of them.
 */
export async function retireEverything(db: Kysely<Database>): Promise<void> {
  await sql`update campaigns set status = 'CANCELLED' where status in ('RUNNING', 'PAUSED', 'DRAFT')`.execute(db);
  await sql`update attempts set ended_at = now(), outcome = 'FAILED', answered_by = 'test_teardown' where ended_at is null`.execute(db);
}

let campaignNo = 0;

/** A campaign in New York time, created and started over HTTP; answers its id. */
export async function runningCampaign(call: CampaignCall, overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await createOk(call, minimalCampaign(`scheduler ${++campaignNo}`, { timezone: NY, ...overrides }));
  const id = created.campaign_id as string;
  await callOk(call, 'StartCampaign', { campaign_id: id });
  return id;
}

/** SendMessage due at `when` (explicit, in the rig clock's frame); answers the message id. */
export async function sendAt(
  call: CampaignCall,
  campaignId: string,
  number: string,
  when: Date,
  options: { bypass?: boolean; extra?: Record<string, unknown> } = {},
): Promise<string> {
  const scheduledAt: Record<string, unknown> = { Time: when.toISOString() };
  if (options.bypass === true) scheduledAt.BypassCallingWindow = true;
  const res = await call('SendMessage', sendBody(campaignId, number, { ScheduledAt: scheduledAt, ...options.extra }));
  const body = okBody(res, 'SendMessage');
  expect(body.status).toBe('QUEUED');
  return body.message_id as string;
}

/** A message as the database holds it. */
export interface MessageState {
  status: string;
  disposition: string | null;
  attempt_count: number;
  next_attempt_at: Date | null;
  last_reason: string | null;
}

export async function messageState(db: Kysely<Database>, messageId: string): Promise<MessageState> {
  const result = await sql<MessageState>`
    select status, disposition, attempt_count, next_attempt_at, last_reason from messages where id = ${messageId}`.execute(db);
  const row = result.rows[0];
  if (row === undefined) throw new Error(`no message ${messageId}`);
  return row;
}

export async function historyOf(db: Kysely<Database>, messageId: string): Promise<{ kind: string; reason: string | null; detail: any }[]> {
  const result = await sql<{ kind: string; reason: string | null; detail: any }>`
    select kind, reason, detail from message_history where message_id = ${messageId} order by id`.execute(db);
  return result.rows;
}

export interface AttemptRow {
  number: number;
  attempt_key: string;
  caller_id: string | null;
  outcome: string | null;
  answered_by: string | null;
  started_at: Date;
  ended_at: Date | null;
  provider_call_id: string | null;
}

export async function attemptsOf(db: Kysely<Database>, messageId: string): Promise<AttemptRow[]> {
  const result = await sql<AttemptRow>`
    select a.number, a.attempt_key, a.caller_id, a.outcome, a.answered_by, a.started_at, a.ended_at, p.provider_call_id
    from attempts a left join provider_calls p on p.message_id = a.message_id and p.number = a.number
    where a.message_id = ${messageId} order by a.number`.execute(db);
  return result.rows;
}

/** Messages of a campaign per status, from the rows. */
export async function statusCounts(db: Kysely<Database>, campaignId: string): Promise<Record<string, number>> {
  const result = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from messages where campaign_id = ${campaignId} group by status`.execute(db);
  return Object.fromEntries(result.rows.map((r) => [r.status, r.n]));
}

export async function campaignStatus(db: Kysely<Database>, campaignId: string): Promise<string> {
  const result = await sql<{ status: string }>`select status from campaigns where id = ${campaignId}`.execute(db);
  return result.rows[0]?.status ?? 'missing';
}

/**
 * GetCampaignStats equals the counts taken from the messages themselves, and its total is the
 * sum of its statuses. Answers the stats.
 */
export async function expectCountersExact(call: CampaignCall, db: Kysely<Database>, campaignId: string): Promise<Record<string, any>> {
  const stats = await statsOk(call, campaignId);
  expect(stats).toEqual(await statsTruth(db, campaignId));
  expect(stats.total).toBe(stats.queued + stats.dispatched + stats.succeeded + stats.failed);
  return stats;
}

/** CallEvents.ReportCallOutcome over HTTP with a tenant's key. */
export function reportOverRpc(baseUrl: string, apiKey: string, body: Record<string, unknown>): Promise<RpcResponse> {
  return rpc(baseUrl, 'CallEvents', 'ReportCallOutcome', body, { key: apiKey });
}

export async function getMessage(call: CampaignCall, messageId: string): Promise<MessageJson> {
  return okBody(await call('GetMessage', { message_id: messageId }), 'GetMessage');
}
