import { sql } from 'kysely';
import type { Db } from '../db/database';
import { numberArray, textArray, timestampArray } from '../db/pg-array';
import { recordMessageEvents } from '../webhooks/outbox.repository';

/**
 * The writes that move messages through the scheduler, each one statement over many messages.
 * The caller holds the rows (claimed with SKIP LOCKED, or locked by the outcome path). A dispatch
 * is recorded by its attempt row (key, caller id, start); every other change goes to
 * `message_history` with its machine-readable reason. Every change but a wait for a free line
 * writes its webhook event in the same transaction.
 */

/**
 * A batch's message ids, sent once as the CTE `ids` and read twice through `IDS`: by the unnest of
 * its rows and by `m.id = any(IDS)`. Knowing a batch of 2,000 ids, the planner would join the rows
 * alone to a seq scan of every message (a campaign of 50,000 cost a full scan per round); the
 * `any` lets it read them through the primary key.
 */
function withIds(ids: readonly string[]) {
  return sql`with ids as materialized (select ${textArray(ids)}::uuid[] as a)`;
}
const IDS = sql`(select a from ids)::uuid[]`;

/**
 * A dial about to be made: the attempt row is written, with its key, before any provider call.
 * The rest of the row (tenant, campaign, number dialed) is read from the message.
 */
export interface NewAttempt {
  readonly messageId: string;
  readonly number: number;
  readonly attemptKey: string;
  readonly callerId: string;
  readonly deadlineAt: Date;
  /** Someone listens to the message (its callback URL, its campaign's webhook_url): write its event. */
  readonly listened: boolean;
}

/**
 * Moves the messages to DISPATCHED and writes their attempt rows in one statement: the attempt's
 * tenant, campaign and number dialed come from the message row the update returns, so only what
 * differs per dial is sent.
 */
export async function startAttempts(db: Db, attempts: readonly NewAttempt[], now: Date): Promise<void> {
  if (attempts.length === 0) return;
  await sql`
    ${withIds(attempts.map((a) => a.messageId))}, u as (
      select * from unnest(${IDS}, ${numberArray(attempts.map((a) => a.number))}::int[],
        ${textArray(attempts.map((a) => a.attemptKey))}::text[], ${textArray(attempts.map((a) => a.callerId))}::text[],
        ${timestampArray(attempts.map((a) => a.deadlineAt))}::timestamptz[]) as u(id, number, attempt_key, caller_id, deadline_at)
    ), dispatched as (
      update messages m set status = 'DISPATCHED', attempt_count = u.number, next_attempt_at = null,
        last_reason = null, updated_at = ${now}::timestamptz
      from u where m.id = u.id and m.id = any(${IDS})
      returning m.id, m.tenant_id, m.campaign_id, m.phone_number
    )
    insert into attempts (message_id, tenant_id, campaign_id, number, attempt_key, caller_id, phone_number,
      started_at, deadline_at)
    select d.id, d.tenant_id, d.campaign_id, u.number, u.attempt_key, u.caller_id, d.phone_number,
      ${now}::timestamptz, u.deadline_at
    from dispatched d join u on u.id = d.id`.execute(db);
  // Only listened-to messages: the event statement would otherwise read every dialed message again.
  await recordMessageEvents(db, 'message.dispatched', attempts.filter((a) => a.listened).map((a) => a.messageId), now);
}

/** Queued again for later: rescheduled (window, gap, caps) or a retry after an outcome. */
export interface Requeue {
  readonly messageId: string;
  readonly at: Date;
  readonly reason: string;
  /** The last call's outcome, kept on a message queued for a retry; undefined leaves it as it is. */
  readonly disposition?: string;
  readonly kind: 'rescheduled' | 'retry_scheduled' | 'waiting';
}

export async function requeueMessages(db: Db, items: readonly Requeue[], now: Date): Promise<void> {
  if (items.length === 0) return;
  await sql`
    ${withIds(items.map((r) => r.messageId))}
    update messages m set status = 'QUEUED', next_attempt_at = u.at, last_reason = u.reason,
      disposition = coalesce(u.disposition, m.disposition), updated_at = ${now}::timestamptz
    from unnest(${IDS}, ${timestampArray(items.map((r) => r.at))}::timestamptz[], ${textArray(items.map((r) => r.reason))}::text[],
      ${textArray(items.map((r) => r.disposition ?? null))}::text[]) as u(id, at, reason, disposition)
    where m.id = u.id and m.id = any(${IDS})`.execute(db);
  // Waiting for a free line is not worth a history row (or a webhook) each second.
  const logged = items.filter((r) => r.kind !== 'waiting');
  await recordHistory(db, logged.map((r) => ({ messageId: r.messageId, kind: r.kind, reason: r.reason, detail: { at: r.at.toISOString() } })), now);
  const idsOf = (kind: Requeue['kind']) => items.filter((r) => r.kind === kind).map((r) => r.messageId);
  await recordMessageEvents(db, 'message.retry_scheduled', idsOf('retry_scheduled'), now);
  await recordMessageEvents(db, 'message.rescheduled', idsOf('rescheduled'), now);
}

/** Ended: succeeded, or failed with a disposition. */
export interface Finish {
  readonly messageId: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly disposition: string;
  readonly reason: string | null;
}

export async function finishMessages(db: Db, items: readonly Finish[], now: Date): Promise<void> {
  if (items.length === 0) return;
  await sql`
    ${withIds(items.map((f) => f.messageId))}
    update messages m set status = u.status, disposition = u.disposition, next_attempt_at = null,
      last_reason = u.reason, updated_at = ${now}::timestamptz
    from unnest(${IDS}, ${textArray(items.map((f) => f.status))}::text[], ${textArray(items.map((f) => f.disposition))}::text[],
      ${textArray(items.map((f) => f.reason))}::text[]) as u(id, status, disposition, reason)
    where m.id = u.id and m.id = any(${IDS})`.execute(db);
  await recordHistory(
    db,
    items.map((f) => ({ messageId: f.messageId, kind: f.status === 'SUCCEEDED' ? 'succeeded' : 'failed', reason: f.reason, detail: { disposition: f.disposition } })),
    now,
  );
  const idsOf = (status: Finish['status']) => items.filter((f) => f.status === status).map((f) => f.messageId);
  await recordMessageEvents(db, 'message.succeeded', idsOf('SUCCEEDED'), now);
  await recordMessageEvents(db, 'message.failed', idsOf('FAILED'), now);
}

interface HistoryEntry {
  readonly messageId: string;
  readonly kind: string;
  readonly reason: string | null;
  readonly detail: Record<string, unknown>;
}

async function recordHistory(db: Db, entries: readonly HistoryEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  await sql`
    insert into message_history (message_id, at, kind, reason, detail)
    select u.message_id, ${now}::timestamptz, u.kind, u.reason, u.detail
    from unnest(${entries.map((e) => e.messageId)}::uuid[], ${entries.map((e) => e.kind)}::text[],
      ${entries.map((e) => e.reason)}::text[], ${entries.map((e) => JSON.stringify(e.detail))}::jsonb[])
      as u(message_id, kind, reason, detail)`.execute(db);
}
