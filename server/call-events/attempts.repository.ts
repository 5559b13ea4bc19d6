import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database';
import { isUniqueViolation } from '../db/pg-errors';
import { numberArray, textArray } from '../db/pg-array';
import type { CallOutcome } from '../providers/provider';

/** An attempt as the outcome path reads it. */
export interface AttemptRecord {
  readonly messageId: string;
  readonly tenantId: string;
  readonly campaignId: string;
  readonly number: number;
  readonly attemptKey: string;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly outcome: CallOutcome | null;
}

/** How an attempt ended. */
export interface AttemptEnd {
  readonly outcome: CallOutcome;
  readonly durationSeconds: number;
  readonly answeredBy: string | null;
  readonly recordingUrl: string | null;
  readonly transcriptUrl: string | null;
}

type AttemptRow = {
  message_id: string;
  tenant_id: string;
  campaign_id: string;
  number: number;
  attempt_key: string;
  started_at: Date;
  ended_at: Date | null;
  outcome: string | null;
};

const toRecord = (r: AttemptRow): AttemptRecord => ({
  messageId: r.message_id,
  tenantId: r.tenant_id,
  campaignId: r.campaign_id,
  number: r.number,
  attemptKey: r.attempt_key,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outcome: r.outcome as CallOutcome | null,
});

/**
 * Records how an attempt ended, once: the `ended_at is null` guard makes a repeated report (or a
 * report racing the reconciler) change nothing. Undefined when the attempt was already closed or
 * does not exist for this tenant.
 */
export async function closeAttempt(
  db: Db,
  tenantId: string,
  ref: { attemptKey?: string; providerCallId?: string },
  end: AttemptEnd,
  now: Date,
): Promise<AttemptRecord | undefined> {
  const result = await sql<AttemptRow>`
    update attempts set ended_at = ${now}::timestamptz, outcome = ${end.outcome}, duration_seconds = ${end.durationSeconds},
      answered_by = ${end.answeredBy}, recording_url = ${end.recordingUrl}, transcript_url = ${end.transcriptUrl}
    where tenant_id = ${tenantId}::uuid and ended_at is null and ${refCondition(ref)}
    returning message_id, tenant_id, campaign_id, number, attempt_key, started_at, ended_at, outcome`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : toRecord(row);
}

export async function findAttempt(
  db: Db,
  tenantId: string,
  ref: { attemptKey?: string; providerCallId?: string },
): Promise<AttemptRecord | undefined> {
  const result = await sql<AttemptRow>`
    select message_id, tenant_id, campaign_id, number, attempt_key, started_at, ended_at, outcome
    from attempts where tenant_id = ${tenantId}::uuid and ${refCondition(ref)} limit 1`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : toRecord(row);
}

/**
 * The attempt a report names. An attempt key is `<message id>:<number>` (see the dispatch round),
 * so it is found through the primary key; a key of any other shape names no attempt. A provider's
 * call id is found through `provider_calls`.
 */
function refCondition(ref: { attemptKey?: string; providerCallId?: string }) {
  if (ref.attemptKey !== undefined && ref.attemptKey !== '') {
    const key = parseAttemptKey(ref.attemptKey);
    if (key === undefined) return sql`false`;
    return sql`message_id = ${key.messageId}::uuid and number = ${key.number}`;
  }
  return sql`(message_id, number) in (
    select p.message_id, p.number from provider_calls p
    where p.tenant_id = attempts.tenant_id and p.provider_call_id = ${ref.providerCallId ?? ''})`;
}

/** The attempt key of a message's nth dial: the provider's idempotency key, unique by construction. */
export function attemptKeyOf(messageId: string, number: number): string {
  return `${messageId}:${number}`;
}

const ATTEMPT_KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([1-9][0-9]{0,8})$/;

export function parseAttemptKey(key: string): { messageId: string; number: number } | undefined {
  const match = ATTEMPT_KEY.exec(key);
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined;
  return { messageId: match[1], number: Number(match[2]) };
}

/** A provider's id for the call it accepted for a message's nth attempt. */
export interface ProviderCall {
  readonly tenantId: string;
  readonly messageId: string;
  readonly number: number;
  readonly providerCallId: string;
}

/**
 * Remembers the providers' ids of calls they accepted: one insert for a whole round, into a narrow
 * table rather than an update of the attempt rows (a third of the cost). An id a provider hands
 * out twice keeps its first attempt: the plain insert then fails as a whole, and is made again
 * with `on conflict do nothing`, whose speculative insertion costs 70 % more per row (18.5 against
 * 10.8 ms for 2,000 rows), so only a round with a repeated id pays for it.
 */
export async function recordProviderCallIds(db: Db, calls: readonly ProviderCall[]): Promise<void> {
  if (calls.length === 0) return;
  const tenants = textArray(calls.map((c) => c.tenantId));
  const callIds = textArray(calls.map((c) => c.providerCallId));
  const messages = textArray(calls.map((c) => c.messageId));
  const numbers = numberArray(calls.map((c) => c.number));
  const insert = (onConflict: RawBuilder<unknown>) => sql`
    insert into provider_calls (tenant_id, provider_call_id, message_id, number)
    select * from unnest(${tenants}::uuid[], ${callIds}::text[], ${messages}::uuid[], ${numbers}::int[])
    ${onConflict}`;
  try {
    await insert(sql``).execute(db);
  } catch (e: unknown) {
    if (!isUniqueViolation(e, 'provider_calls_pkey')) throw e;
    await insert(sql`on conflict do nothing`).execute(db);
  }
}

/** Attempts whose outcome never arrived by their deadline, oldest first (for the reconciler). */
export async function overdueAttempts(db: Db, now: Date, limit: number): Promise<{ tenantId: string; attemptKey: string }[]> {
  const result = await sql<{ tenant_id: string; attempt_key: string }>`
    select tenant_id, attempt_key from attempts
    where ended_at is null and deadline_at <= ${now}::timestamptz
    order by deadline_at limit ${limit}`.execute(db);
  return result.rows.map((r) => ({ tenantId: r.tenant_id, attemptKey: r.attempt_key }));
}

/** Every attempt of a message, oldest first (GetMessage's history). */
export async function attemptsOfMessage(db: Db, messageId: string) {
  return db
    .selectFrom('attempts as a')
    .leftJoin('provider_calls as p', (join) => join.onRef('p.message_id', '=', 'a.message_id').onRef('p.number', '=', 'a.number'))
    .select(['a.number', 'a.started_at', 'a.ended_at', 'a.outcome', 'p.provider_call_id', 'a.duration_seconds'])
    .where('a.message_id', '=', messageId)
    .orderBy('a.number')
    .execute();
}

/** Calls of a message started at or after `since` (today's, for `max_daily_attempts`). */
export async function countAttemptsSince(db: Db, messageId: string, since: Date): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from attempts where message_id = ${messageId}::uuid and started_at >= ${since}::timestamptz`.execute(db);
  return result.rows[0]?.n ?? 0;
}
