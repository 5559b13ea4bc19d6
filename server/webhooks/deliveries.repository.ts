import { sql } from 'kysely';
import type { Db } from '../db/database';

/** A delivery claimed to be sent now, with what the request is made of. */
export interface DueDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly url: string;
  /** Failed tries so far. */
  readonly attempts: number;
  readonly createdAt: Date;
  readonly body: Record<string, unknown>;
  /** The tenant's webhook secret as it is now: a rotation signs the next try. */
  readonly secret: string;
}

/**
 * Claims up to `limit` due deliveries and leases them until `leaseUntil` (their next_attempt_at),
 * in one short transaction: a process that dies mid-send leaves them to be tried again when the
 * lease ends. `SKIP LOCKED` keeps processes apart. A delivery waits while an earlier one to the
 * same URL about the same message (or campaign) is pending, so each URL sees them in order.
 */
export async function claimDueDeliveries(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<DueDelivery[]> {
  const result = await sql<{
    id: string;
    event_id: string;
    url: string;
    attempts: number;
    created_at: Date;
    body: Record<string, unknown>;
    secret: string;
  }>`
    with due as (
      select d.id from webhook_deliveries d
      where d.state = 'PENDING' and d.next_attempt_at <= ${now}::timestamptz
        and not exists (
          select 1 from webhook_deliveries e
          where e.state = 'PENDING' and e.order_key = d.order_key and e.url = d.url and e.id < d.id)
      order by d.next_attempt_at
      limit ${limit}
      for update of d skip locked
    ),
    leased as (
      update webhook_deliveries d set next_attempt_at = ${leaseUntil}::timestamptz
      from due where d.id = due.id
      returning d.id, d.event_id, d.url, d.attempts, d.created_at, d.tenant_id
    )
    select l.id, l.event_id, l.url, l.attempts, l.created_at, e.body, t.webhook_secret as secret
    from leased l join webhook_events e on e.id = l.event_id join tenants t on t.id = l.tenant_id`.execute(db);
  return result.rows.map((r) => ({
    id: String(r.id),
    eventId: r.event_id,
    url: r.url,
    attempts: r.attempts,
    createdAt: r.created_at,
    body: r.body,
    secret: r.secret,
  }));
}

/** One try of a delivery, as the log keeps it. */
export interface DeliveryTry {
  readonly at: Date;
  readonly httpStatus: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

/** What a try leads to. */
export type DeliveryOutcome =
  | { readonly state: 'DELIVERED' }
  | { readonly state: 'PENDING'; readonly nextAttemptAt: Date }
  | { readonly state: 'DEAD'; readonly reason: string };

/** A try to record, with what it leads to. */
export interface TriedDelivery {
  /** The delivery as it was claimed: its id and its tries before this one. */
  readonly delivery: { readonly id: string; readonly attempts: number };
  readonly attempt: DeliveryTry;
  readonly outcome: DeliveryOutcome;
}

/**
 * Records tries and their outcomes in one statement. A try counts only if its delivery is still the
 * one its process leased (same number of tries, still pending): one that lost its lease to another
 * process records nothing. Answers, per try, whether it was recorded.
 */
export async function recordTries(db: Db, tries: readonly TriedDelivery[]): Promise<boolean[]> {
  if (tries.length === 0) return [];
  const col = <T>(pick: (t: TriedDelivery) => T): T[] => tries.map(pick);
  const result = await sql<{ delivery_id: string }>`
    with t as (
      select * from unnest(
        ${col((t) => t.delivery.id)}::bigint[], ${col((t) => t.delivery.attempts)}::int[], ${col((t) => t.outcome.state)}::text[],
        ${col((t) => (t.outcome.state === 'PENDING' ? t.outcome.nextAttemptAt : null))}::timestamptz[],
        ${col((t) => t.attempt.at)}::timestamptz[], ${col((t) => t.attempt.httpStatus)}::int[], ${col((t) => t.attempt.latencyMs)}::int[],
        ${col((t) => t.attempt.error)}::text[], ${col(lastError)}::text[])
        as t(id, attempts, state, next_attempt_at, at, http_status, latency_ms, error, last_error)
    ),
    moved as (
      update webhook_deliveries d set state = t.state, attempts = d.attempts + 1, next_attempt_at = t.next_attempt_at,
        last_attempt_at = t.at, last_http_status = t.http_status, last_error = t.last_error,
        delivered_at = case when t.state = 'DELIVERED' then t.at end
      from t where d.id = t.id and d.state = 'PENDING' and d.attempts = t.attempts
      returning d.id, d.attempts
    )
    insert into webhook_delivery_attempts (delivery_id, number, at, http_status, latency_ms, error)
    select m.id, m.attempts, t.at, t.http_status, t.latency_ms, t.error from moved m join t on t.id = m.id
    returning delivery_id`.execute(db);
  const recorded = new Set(result.rows.map((r) => String(r.delivery_id)));
  return tries.map((t) => recorded.has(t.delivery.id));
}

/** What the delivery shows as its last error: the try's, and for a dead one why it was given up. */
function lastError(t: TriedDelivery): string | null {
  if (t.outcome.state !== 'DEAD') return t.attempt.error;
  return [t.attempt.error, t.outcome.reason].filter((e) => e !== null).join('; ');
}

/** A delivery as ListWebhookDeliveries shows it. */
export interface DeliveryRecord {
  readonly id: string;
  readonly eventId: string;
  readonly type: string;
  readonly campaignId: string;
  readonly messageId: string | null;
  readonly url: string;
  readonly state: 'PENDING' | 'DELIVERED' | 'DEAD';
  readonly createdAt: Date;
  readonly nextAttemptAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly tries: readonly DeliveryTry[];
}

type DeliveryRow = {
  id: string;
  event_id: string;
  type: string;
  campaign_id: string;
  message_id: string | null;
  url: string;
  state: DeliveryRecord['state'];
  created_at: Date;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  tries: { at: string; http_status: number | null; latency_ms: number; error: string | null }[];
};

const DELIVERY_COLUMNS = sql`
  d.id, d.event_id, e.type, d.campaign_id, d.message_id, d.url, d.state, d.created_at, d.next_attempt_at, d.delivered_at,
  coalesce((select jsonb_agg(jsonb_build_object('at', a.at, 'http_status', a.http_status, 'latency_ms', a.latency_ms, 'error', a.error)
    order by a.number) from webhook_delivery_attempts a where a.delivery_id = d.id), '[]') as tries`;

const toRecord = (r: DeliveryRow): DeliveryRecord => ({
  id: String(r.id),
  eventId: r.event_id,
  type: r.type,
  campaignId: r.campaign_id,
  messageId: r.message_id,
  url: r.url,
  state: r.state,
  createdAt: r.created_at,
  nextAttemptAt: r.state === 'PENDING' ? r.next_attempt_at : null,
  deliveredAt: r.delivered_at,
  tries: r.tries.map((t) => ({ at: new Date(t.at), httpStatus: t.http_status, latencyMs: t.latency_ms, error: t.error })),
});

/** A tenant's deliveries of one message or one campaign, newest first, before `beforeId`. */
export async function listDeliveries(
  db: Db,
  tenantId: string,
  query: { messageId?: string; campaignId?: string; state?: DeliveryRecord['state']; beforeId?: string; limit: number },
): Promise<DeliveryRecord[]> {
  const about = query.messageId !== undefined ? sql`d.message_id = ${query.messageId}::uuid` : sql`d.campaign_id = ${query.campaignId ?? null}::uuid`;
  const result = await sql<DeliveryRow>`
    select ${DELIVERY_COLUMNS}
    from webhook_deliveries d join webhook_events e on e.id = d.event_id
    where d.tenant_id = ${tenantId}::uuid and ${about}
      and (${query.state ?? null}::text is null or d.state = ${query.state ?? null}::text)
      and (${query.beforeId ?? null}::bigint is null or d.id < ${query.beforeId ?? null}::bigint)
    order by d.id desc
    limit ${query.limit}`.execute(db);
  return result.rows.map(toRecord);
}

/**
 * New pending deliveries of a tenant's event, one per URL it was delivered to before, due now;
 * empty when the tenant has no such event. They queue behind any delivery about the same message
 * still pending to the same URL.
 */
export async function redeliver(db: Db, tenantId: string, eventId: string, now: Date): Promise<DeliveryRecord[]> {
  const result = await sql<DeliveryRow>`
    with created as (
      insert into webhook_deliveries (event_id, tenant_id, campaign_id, message_id, order_key, url, state, next_attempt_at, created_at)
      select distinct on (url) event_id, tenant_id, campaign_id, message_id, order_key, url, 'PENDING', ${now}::timestamptz, ${now}::timestamptz
      from webhook_deliveries where event_id = ${eventId}::uuid and tenant_id = ${tenantId}::uuid
      order by url
      returning *
    )
    select ${DELIVERY_COLUMNS} from created d join webhook_events e on e.id = d.event_id order by d.id`.execute(db);
  return result.rows.map(toRecord);
}
