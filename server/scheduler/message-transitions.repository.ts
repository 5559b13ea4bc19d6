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
 *
 * The update names its rows by `id = any(ids)` besides the join: knowing a batch of 2,000 ids, the
 * planner would otherwise join them to a seq scan of every message (a campaign of 50,000 cost a
 * full scan per round) rather than read them through the primary key. The ids are sent once and
 * read twice through the `ids` CTE.
 */
export async function startAttempts(db: Db, attempts: readonly NewAttempt[], now: Date): Promise<void> {
  if (attempts.length === 0) return;
  await sql`
    with ids as materialized (select ${textArray(attempts.map((a) => a.messageId))}::uuid[] as a), u as (
      select * from unnest((select a from ids)::uuid[], ${numberArray(attempts.map((a) => a.number))}::int[],
        ${textArray(attempts.map((a) => a.attemptKey))}::text[], ${textArray(attempts.map((a) => a.callerId))}::text[],
        ${timestampArray(attempts.map((a) => a.deadlineAt))}::timestamptz[]) as u(id, number, attempt_key, caller_id, deadline_at)
    ), dispatched as (
      update messages m set status = 'DISPATCHED', attempt_count = u.number, next_attempt_at = null,
        last_reason = null, updated_at = ${now}::timestamptz
      from u where m.id = u.id and m.id = any((select a from ids)::uuid[])
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

/** Names its rows by `id = any(ids)` as well, as startAttempts does. */
export async function requeueMessages(db: Db, items: readonly Requeue[], now: Date): Promise<void> {
  if (items.length === 0) return;
  const col = <T>(pick: (r: Requeue) => T): T[] => items.map(pick);
  await sql`
    update messages m set status = 'QUEUED', next_attempt_at = u.at, last_reason = u.reason,
      disposition = coalesce(u.disposition, m.disposition), updated_at = ${now}::timestamptz
    from unnest(${col((r) => r.messageId)}::uuid[], ${col((r) => r.at)}::timestamptz[], ${col((r) => r.reason)}::text[],
      ${col((r) => r.disposition ?? null)}::text[]) as u(id, at, reason, disposition)
    where m.id = u.id and m.id = any(${col((r) => r.messageId)}::uuid[])`.execute(db);
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

/** Names its rows by `id = any(ids)` as well, as startAttempts does. */
export async function finishMessages(db: Db, items: readonly Finish[], now: Date): Promise<void> {
  if (items.length === 0) return;
  const col = <T>(pick: (f: Finish) => T): T[] => items.map(pick);
  await sql`
    update messages m set status = u.status, disposition = u.disposition, next_attempt_at = null,
      last_reason = u.reason, updated_at = ${now}::timestamptz
    from unnest(${col((f) => f.messageId)}::uuid[], ${col((f) => f.status)}::text[], ${col((f) => f.disposition)}::text[],
      ${col((f) => f.reason)}::text[]) as u(id, status, disposition, reason)
    where m.id = u.id and m.id = any(${col((f) => f.messageId)}::uuid[])`.execute(db);
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
