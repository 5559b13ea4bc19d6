import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { CallOutcome } from '../providers/provider';

/** An attempt as the outcome path reads it. */
export interface AttemptRecord {
  readonly id: string;
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
  id: string;
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
  id: r.id,
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
    returning id, message_id, tenant_id, campaign_id, number, attempt_key, started_at, ended_at, outcome`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : toRecord(row);
}

export async function findAttempt(
  db: Db,
  tenantId: string,
  ref: { attemptKey?: string; providerCallId?: string },
): Promise<AttemptRecord | undefined> {
  const result = await sql<AttemptRow>`
    select id, message_id, tenant_id, campaign_id, number, attempt_key, started_at, ended_at, outcome
    from attempts where tenant_id = ${tenantId}::uuid and ${refCondition(ref)} limit 1`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : toRecord(row);
}

function refCondition(ref: { attemptKey?: string; providerCallId?: string }) {
  if (ref.attemptKey !== undefined && ref.attemptKey !== '') return sql`attempt_key = ${ref.attemptKey}`;
  return sql`provider_call_id = ${ref.providerCallId ?? ''}`;
}

/** Remembers the providers' ids of calls they accepted: one statement for a whole round. */
export async function setProviderCallIds(db: Db, ids: readonly { attemptKey: string; providerCallId: string }[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update attempts a set provider_call_id = u.provider_call_id
    from unnest(${ids.map((i) => i.attemptKey)}::text[], ${ids.map((i) => i.providerCallId)}::text[]) as u(attempt_key, provider_call_id)
    where a.attempt_key = u.attempt_key`.execute(db);
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
    .selectFrom('attempts')
    .select(['number', 'started_at', 'ended_at', 'outcome', 'provider_call_id', 'duration_seconds'])
    .where('message_id', '=', messageId)
    .orderBy('number')
    .execute();
}

/** Calls of a message started at or after `since` (today's, for `max_daily_attempts`). */
export async function countAttemptsSince(db: Db, messageId: string, since: Date): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from attempts where message_id = ${messageId}::uuid and started_at >= ${since}::timestamptz`.execute(db);
  return result.rows[0]?.n ?? 0;
}
