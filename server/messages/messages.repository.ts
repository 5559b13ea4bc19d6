import { sql, type Selectable } from 'kysely';
import type { Db, MessagesTable } from '../db/database';
import { inForceSql } from '../do-not-call/do-not-call.repository';
import type { Disposition, JsonValue, Message, MessageStatus, NewMessage, WriteOutcome } from './message';

type MessageRow = Selectable<MessagesTable>;

/** Row → domain; the only place message rows are read. */
function rowToMessage(row: MessageRow): Message {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    campaignId: row.campaign_id,
    phoneNumber: row.phone_number,
    status: row.status as MessageStatus,
    disposition: row.disposition as Disposition | null,
    variables: row.variables,
    callbackUrl: row.callback_url,
    callbackState: row.callback_state === null ? undefined : (row.callback_state as JsonValue),
    scheduledAt: row.scheduled_at,
    bypassCallingWindow: row.bypass_calling_window,
    allowDuplicates: row.allow_duplicates,
    nextAttemptAt: row.next_attempt_at,
    attemptCount: row.attempt_count,
    externalId: row.external_id,
    language: row.language,
    metadata: row.metadata,
    timezone: row.timezone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Writes many messages in one statement and tells, per message, whether it was written and how.
 *
 * Safe under concurrency without any read-then-write: the campaign must exist for the tenant and
 * not be finished (join), a number on the tenant's do-not-call list is written as FAILED/OPTED_OUT
 * (left join), and `on conflict do nothing` lets the unique indexes decide duplicates — one queued
 * or in-flight message per number and campaign (unless allow_duplicates), one message per
 * external id. A message that is not written is explained by the caller afterwards.
 */
export async function insertMessages(db: Db, messages: readonly NewMessage[], now: Date): Promise<WriteOutcome[]> {
  if (messages.length === 0) return [];
  const column = <T>(pick: (m: NewMessage) => T): T[] => messages.map(pick);
  const result = await sql<{ id: string; status: MessageStatus; disposition: Disposition | null }>`
    insert into messages (
      id, tenant_id, campaign_id, phone_number, status, disposition, variables, callback_url, callback_state,
      scheduled_at, bypass_calling_window, allow_duplicates, next_attempt_at, external_id, language, metadata,
      timezone, created_at, updated_at)
    select
      i.id, i.tenant_id, i.campaign_id, i.phone_number,
      case when d.phone_number is null then 'QUEUED' else 'FAILED' end,
      case when d.phone_number is null then null else 'OPTED_OUT' end,
      i.variables, i.callback_url, i.callback_state, coalesce(i.scheduled_at, ${now}::timestamptz),
      i.bypass, i.allow_duplicates,
      case when d.phone_number is null then coalesce(i.scheduled_at, ${now}::timestamptz) end,
      i.external_id, i.language, i.metadata, i.timezone, ${now}::timestamptz, ${now}::timestamptz
    from unnest(
      ${column((m) => m.id)}::uuid[], ${column((m) => m.tenantId)}::uuid[], ${column((m) => m.campaignId)}::uuid[],
      ${column((m) => m.phoneNumber)}::text[], ${column((m) => JSON.stringify(m.variables))}::jsonb[],
      ${column((m) => m.callbackUrl)}::text[],
      ${column((m) => (m.callbackState === undefined ? null : JSON.stringify(m.callbackState)))}::jsonb[],
      ${column((m) => m.scheduledAt)}::timestamptz[], ${column((m) => m.bypassCallingWindow)}::boolean[],
      ${column((m) => m.allowDuplicates)}::boolean[], ${column((m) => m.externalId)}::text[],
      ${column((m) => m.language)}::text[], ${column((m) => JSON.stringify(m.metadata))}::jsonb[],
      ${column((m) => m.timezone)}::text[]
    ) with ordinality as i(id, tenant_id, campaign_id, phone_number, variables, callback_url, callback_state,
      scheduled_at, bypass, allow_duplicates, external_id, language, metadata, timezone, ord)
    join campaigns c on c.id = i.campaign_id and c.tenant_id = i.tenant_id and c.status in ('DRAFT', 'RUNNING', 'PAUSED')
    left join do_not_call d on d.tenant_id = i.tenant_id and d.phone_number = i.phone_number
      and ${inForceSql('d', now)}
    -- Without AllowDuplicates, a queued or in-flight message sent with it blocks too. (Those
    -- without it are refused by the unique index, which also settles races between them.)
    where i.allow_duplicates or not exists (
      select 1 from messages m
      where m.campaign_id = i.campaign_id and m.phone_number = i.phone_number
        and m.active and m.allow_duplicates)
    order by i.ord
    on conflict do nothing
    returning id, status, disposition`.execute(db);
  const written = new Map(result.rows.map((row) => [row.id, row]));
  return messages.map((m): WriteOutcome => {
    const row = written.get(m.id);
    return row === undefined ? { written: false } : { written: true, status: row.status, disposition: row.disposition };
  });
}

export async function findMessage(db: Db, tenantId: string, id: string): Promise<Message | undefined> {
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToMessage(row);
}

/** A message by id, locked until the transaction ends (the outcome path's read-modify-write). */
export async function findMessageForUpdate(db: Db, id: string): Promise<Message | undefined> {
  const row = await db.selectFrom('messages').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : rowToMessage(row);
}

export async function findMessageByExternalId(db: Db, campaignId: string, externalId: string): Promise<Message | undefined> {
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToMessage(row);
}

/**
 * The lookup of the queued or in-flight message to a number, spelled as the two partial indexes'
 * predicates so that both serve it (`active` alone matches neither, and scanned the table).
 * Exported for the test that checks its plan.
 */
export function activeMessageQuery(db: Db, campaignId: string, phoneNumber: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('phone_number', '=', phoneNumber)
    .where(sql<boolean>`((active and not allow_duplicates) or (active and allow_duplicates))`)
    .orderBy('created_at');
}

/** The queued or in-flight message that blocks a new one to the same number, if any. */
export async function findActiveMessage(db: Db, campaignId: string, phoneNumber: string): Promise<Message | undefined> {
  const row = await activeMessageQuery(db, campaignId, phoneNumber).executeTakeFirst();
  return row === undefined ? undefined : rowToMessage(row);
}

/** Which of these external ids the campaign already has. */
export async function existingExternalIds(db: Db, campaignId: string, externalIds: readonly string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('messages')
    .select('external_id')
    .where('campaign_id', '=', campaignId)
    .where('external_id', '=', sql<string>`any(${[...externalIds]}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.external_id ?? ''));
}

export interface MessageListQuery {
  readonly statuses: readonly MessageStatus[];
  /** Only messages inserted after this sequence position (exclusive). */
  readonly afterSeq: string | undefined;
  readonly limit: number;
}

/** One page of a campaign's messages, oldest first, with each one's position for the next token. */
export async function listMessages(
  db: Db,
  campaignId: string,
  query: MessageListQuery,
): Promise<{ message: Message; seq: string }[]> {
  let select = db.selectFrom('messages').selectAll().where('campaign_id', '=', campaignId);
  if (query.statuses.length > 0) {
    // The index orders by phase: QUEUED and DISPATCHED share ACTIVE, so that a dispatch leaves the
    // row's index entries alone (migration 0006); the status is then read from the rows.
    select = select.where('phase', 'in', [...new Set(query.statuses.map(phaseOf))]).where('status', 'in', [...query.statuses]);
  }
  if (query.afterSeq !== undefined) select = select.where('seq', '>', query.afterSeq as never);
  const rows = await select.orderBy('seq', 'asc').limit(query.limit).execute();
  return rows.map((row) => ({ message: rowToMessage(row), seq: String(row.seq) }));
}

/**
 * Ends a QUEUED message as FAILED/CANCELLED with one compare-and-set: a message the scheduler
 * claims at the same moment is either cancelled first or dialed first, never both.
 */
export async function cancelQueuedMessage(db: Db, tenantId: string, id: string): Promise<Message | undefined> {
  const row = await db
    .updateTable('messages')
    .set({ status: 'FAILED', disposition: 'CANCELLED', next_attempt_at: null, updated_at: sql<Date>`now()` as never })
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'QUEUED')
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToMessage(row);
}

function phaseOf(status: MessageStatus): string {
  return status === 'QUEUED' || status === 'DISPATCHED' ? 'ACTIVE' : status;
}
