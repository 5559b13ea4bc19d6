/**
 * The scheduler bench's campaign and messages, written by SQL with the counter triggers of
 * migration 0002 enabled (the claim reads the campaign's in-flight count from them): one RUNNING
 * campaign that may call at any instant, due QUEUED messages, and optionally a backlog of
 * messages not due for a year in the same campaign.
 */
import type pg from 'pg';
import { SEED_CHUNK } from './campaign-stats-seed';
import { messageIdSql } from './fixtures';

/** Every day of the week: with no daily start/end time the whole day is inside the window. */
const EVERY_DAY = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
/** Caller id of the campaign (SINGLE dialer). */
const CALLER_ID = '+14155550100';
/** Phone numbers: due messages from `+1` 2000000000 + i, the backlog from `+1` 5000000000 + i. */
const DUE_NUMBER_BASE = 2_000_000_000;
const BACKLOG_NUMBER_BASE = 5_000_000_000;
/** The backlog is due this far ahead, so it never becomes due during the bench. */
const BACKLOG_AHEAD = "interval '1 year'";

/**
 * A RUNNING campaign (timezone UTC, every day, no daily hours: always inside its window), one
 * call attempt per message, and a concurrency cap far above anything the bench puts in flight.
 */
export async function createSchedulerCampaign(client: pg.Client, tenantId: string, maxConcurrentCalls: number): Promise<string> {
  const result = await client.query<{ id: string }>(
    `insert into campaigns (tenant_id, name, status, type, channel, trigger, assistant_id, dialer_type, phone_number_id,
       start_logic, ring_duration_seconds, timezone, days_of_week, dnd_action, max_call_attempts, min_gap_minutes,
       max_concurrent_calls, started_at)
     values ($1::uuid, $2, 'RUNNING', 'OUTBOUND', 'VOICE', 'API', 'asst_bench', 'SINGLE', $3,
       'START_IMMEDIATELY', 30, 'UTC', $4::text[], 'RESCHEDULE', 1, 3, $5, now())
     returning id`,
    [tenantId, `bench scheduler ${Date.now()}`, CALLER_ID, EVERY_DAY, maxConcurrentCalls],
  );
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error('creating the scheduler campaign returned no id');
  return id;
}

/** `count` messages of the campaign, numbered from `first`, due at `dueAt` or `now() + ahead`. */
async function insertMessages(
  client: pg.Client,
  target: { tenantId: string; campaignId: string; first: number; count: number; numberBase: number; ahead: string | null },
  log: (line: string) => void,
  label: string,
): Promise<{ statements: number; ms: number }> {
  const { tenantId, campaignId, first, count, numberBase, ahead } = target;
  // Due messages are spread over the last minute, the backlog over the year after `ahead`.
  const at = ahead === null ? `now() - interval '1 minute' + (g - $4::bigint) * interval '1 microsecond'` : `now() + ${ahead} + g * interval '1 second'`;
  const t0 = performance.now();
  let statements = 0;
  for (let from = first; from < first + count; from += SEED_CHUNK) {
    const to = Math.min(first + count, from + SEED_CHUNK) - 1;
    const result = await client.query(
      `insert into messages (id, tenant_id, campaign_id, phone_number, status, scheduled_at, next_attempt_at, attempt_count)
       select ${messageIdSql('g', 'now()')}, $1::uuid, $2::uuid, '+1' || ($3::bigint + g), 'QUEUED', t, t, 0
       from (select g, ${at} as t from generate_series($4::bigint, $5::bigint) g) s`,
      [tenantId, campaignId, numberBase, from, to],
    );
    if (result.rowCount !== to - from + 1) throw new Error(`seed insert wrote ${result.rowCount} rows, expected ${to - from + 1}`);
    statements += 1;
    if (count > SEED_CHUNK) log(`scheduler: ${label}: ${to - first + 1} of ${count} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return { statements, ms: performance.now() - t0 };
}

/** `count` QUEUED messages due now (within the last minute), numbered from `first` (distinct per round). */
export function seedDueMessages(
  client: pg.Client,
  target: { tenantId: string; campaignId: string; first: number; count: number },
  log: (line: string) => void,
): Promise<{ statements: number; ms: number }> {
  return insertMessages(client, { ...target, numberBase: DUE_NUMBER_BASE, ahead: null }, log, 'due messages');
}

/** `count` QUEUED messages due a year from now and later, in statements of 100,000 rows. */
export function seedBacklog(
  client: pg.Client,
  target: { tenantId: string; campaignId: string; count: number },
  log: (line: string) => void,
): Promise<{ statements: number; ms: number }> {
  return insertMessages(client, { ...target, first: 0, numberBase: BACKLOG_NUMBER_BASE, ahead: BACKLOG_AHEAD }, log, 'backlog');
}

/**
 * `vacuum (analyze)` of the tables the scheduler reads and writes, then a checkpoint, so a run
 * starts with current statistics and set visibility bits and is not hit by a checkpoint.
 */
export async function settle(client: pg.Client): Promise<number> {
  const t0 = performance.now();
  await client.query('vacuum (analyze) messages, campaign_counts, attempts, provider_calls, message_history, campaigns');
  await client.query('checkpoint');
  return performance.now() - t0;
}

/** The campaign's messages by status, its attempt rows, and duplicates among them. */
export interface DispatchCheck {
  readonly dispatched: number;
  readonly queuedDue: number;
  readonly queuedLater: number;
  readonly other: number;
  readonly attempts: number;
  /** Messages with more than one attempt row, and attempt keys seen twice (both must be 0). */
  readonly duplicateAttempts: number;
  /** DISPATCHED messages of the round without exactly one attempt (must be 0). */
  readonly dispatchedWithoutAttempt: number;
  /** Attempts whose provider call id was not recorded (the no-op provider answers every dial). */
  readonly withoutProviderCallId: number;
  /** The counters GetCampaignStats reads: status:DISPATCHED as kept by the triggers. */
  readonly counterDispatched: number;
}

/** Counts the campaign's messages and attempts after a run, to check it did what it says. */
export async function checkDispatch(client: pg.Client, campaignId: string): Promise<DispatchCheck> {
  const row = (
    await client.query<Record<keyof DispatchCheck, string>>(
      `select
         (select count(*) from messages where campaign_id = $1 and status = 'DISPATCHED') as "dispatched",
         (select count(*) from messages where campaign_id = $1 and status = 'QUEUED' and next_attempt_at <= now()) as "queuedDue",
         (select count(*) from messages where campaign_id = $1 and status = 'QUEUED' and next_attempt_at > now()) as "queuedLater",
         (select count(*) from messages where campaign_id = $1 and status not in ('QUEUED', 'DISPATCHED')) as "other",
         (select count(*) from attempts where campaign_id = $1) as "attempts",
         (select count(*) from (select message_id from attempts where campaign_id = $1 group by message_id having count(*) > 1) d)
           + (select count(*) - count(distinct attempt_key) from attempts where campaign_id = $1) as "duplicateAttempts",
         (select count(*) from messages m where m.campaign_id = $1 and m.status = 'DISPATCHED'
            and (select count(*) from attempts a where a.message_id = m.id) <> 1) as "dispatchedWithoutAttempt",
         (select count(*) from attempts a where a.campaign_id = $1
            and not exists (select from provider_calls p where p.message_id = a.message_id and p.number = a.number)) as "withoutProviderCallId",
         (select coalesce(sum(n), 0) from campaign_counts where campaign_id = $1 and key = 'status:DISPATCHED') as "counterDispatched"`,
      [campaignId],
    )
  ).rows[0];
  if (row === undefined) throw new Error('the dispatch check returned no row');
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as DispatchCheck;
}
