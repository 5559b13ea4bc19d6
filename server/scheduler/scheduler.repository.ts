import { sql } from 'kysely';
import type { Db } from '../db/database';
import { suppressedSql } from '../do-not-call/do-not-call.repository';

/** A due message claimed for a decision, with what the decision reads. */
export interface ClaimedMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly campaignId: string;
  readonly phoneNumber: string;
  readonly timezone: string | null;
  readonly variables: Record<string, string>;
  /** The message has a callback URL: its changes are webhook events. */
  readonly hasCallback: boolean;
  readonly bypassCallingWindow: boolean;
  readonly attemptCount: number;
  readonly nextAttemptAt: Date;
  /** The last call's outcome, kept while a retry is queued. */
  readonly disposition: string | null;
  /** Call slots its campaign reserved for the round: the most of its messages the round may dial. */
  readonly reservedSlots: number;
  /** Its number is on the tenant's do-not-call list now (it may have joined after the message was queued). */
  readonly suppressed: boolean;
}

/** What a round asks to reserve. */
export interface ReserveOptions {
  readonly now: Date;
  /** Most slots one campaign gives to a round. */
  readonly perCampaign: number;
  readonly maxCampaigns: number;
  /** Campaigns after this id are visited first (round robin). */
  readonly afterCampaign: string;
  /** How long a reservation outlives a process that died before its round committed. */
  readonly leaseSeconds: number;
}

/** Call slots of one campaign held by a round. */
export interface Reservation {
  readonly id: string;
  readonly campaignId: string;
  readonly slots: number;
}

/**
 * Reserves call slots, fairly across campaigns, in one call of `reserve_dispatch_slots` (migration
 * 0007) as a transaction of its own: RUNNING campaigns with a message due are locked (`FOR NO KEY
 * UPDATE SKIP LOCKED`, visited from `afterCampaign` on, wrapping round); then a second statement —
 * with a snapshot taken after the locks, so it sees every reservation committed before them —
 * counts each one's free slots (max_concurrent_calls − in flight − unexpired reservations) and
 * reserves up to `perCampaign` of them. Several processes may then claim from one campaign at
 * once, and together they never exceed its cap. The function keeps the two statements in one
 * round trip; its commit does not wait for the disk (a reservation lost with a crash of the
 * database costs nothing: its round rolls back too). Called outside any transaction, since that
 * setting would otherwise reach the caller's commit.
 */
export async function reserveSlots(db: Db, options: ReserveOptions): Promise<Reservation[]> {
  const { now, perCampaign, maxCampaigns, afterCampaign, leaseSeconds } = options;
  const result = await sql<{ id: string; campaign_id: string; slots: number }>`
    select id, campaign_id, slots from reserve_dispatch_slots(${now}::timestamptz, ${perCampaign}::int, ${maxCampaigns}::int,
      ${afterCampaign}::uuid, ${leaseSeconds}::int)`.execute(db);
  return result.rows.map((r) => ({ id: String(r.id), campaignId: r.campaign_id, slots: r.slots }));
}

/** Gives reserved slots back: in the round's transaction, so its dials count as in flight at once. */
export async function releaseReservations(db: Db, reservations: readonly Reservation[]): Promise<void> {
  if (reservations.length === 0) return;
  await sql`delete from dispatch_reservations where id = any(${reservations.map((r) => r.id)}::bigint[])`.execute(db);
}

/** Drops reservations of processes that died before their round committed. */
export async function dropExpiredReservations(db: Db, now: Date): Promise<number> {
  const result = await sql`delete from dispatch_reservations where expires_at <= ${now}::timestamptz`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

interface ClaimRow {
  id: string;
  tenant_id: string;
  campaign_id: string;
  phone_number: string;
  timezone: string | null;
  variables: Record<string, string>;
  has_callback: boolean;
  bypass_calling_window: boolean;
  attempt_count: number;
  next_attempt_at: Date;
  disposition: string | null;
  suppressed: boolean;
}

function claimQuery(now: Date, reservations: readonly Reservation[]) {
  return sql<ClaimRow>`
    select m.id, m.tenant_id, m.campaign_id, m.phone_number, m.timezone, m.variables, m.callback_url is not null as has_callback,
      m.bypass_calling_window, m.attempt_count, m.next_attempt_at, m.disposition,
      -- Read with the claim, so the check fails closed: if it cannot be read, nothing is claimed.
      ${suppressedSql('m.tenant_id', 'm.phone_number', now)} as suppressed
    from unnest(${reservations.map((r) => r.campaignId)}::uuid[], ${reservations.map((r) => r.slots)}::int[]) as p(id, slots)
    cross join lateral (
      select m.* from message_queue q join messages m on m.id = q.message_id
      where q.campaign_id = p.id and q.due_at <= ${now}::timestamptz
        -- Checked again on the locked row: a message changed since the snapshot (dispatched,
        -- cancelled, moved) by a transaction that committed meanwhile is skipped, not claimed.
        and m.status = 'QUEUED' and m.next_attempt_at <= ${now}::timestamptz
      order by q.due_at
      limit p.slots
      for update of m skip locked
    ) m`;
}

/** The plan PostgreSQL picks for the claim (EXPLAIN, JSON), for the test that guards its index. */
export async function explainClaim(db: Db, now: Date, reservations: readonly Reservation[]): Promise<unknown> {
  const result = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${claimQuery(now, reservations)}`.execute(db);
  return result.rows[0]?.['QUERY PLAN'];
}

/**
 * Claims due messages of the reserved campaigns, at most a reservation's slots from each, and
 * locks them until the transaction ends (`FOR UPDATE SKIP LOCKED`: rounds of other processes
 * claiming from the same campaign take other messages). The cost follows the claimed rows, not the
 * messages waiting: the lateral scan walks the due queue's primary key `message_queue_pkey`
 * (campaign, due_at, message) and stops at the first message not yet due. The queue row is left
 * to the trigger that removes it when the message stops being QUEUED, in the round's own commit.
 */
export async function claimDueMessages(db: Db, now: Date, reservations: readonly Reservation[]): Promise<ClaimedMessage[]> {
  if (reservations.length === 0) return [];
  const slots = new Map(reservations.map((r) => [r.campaignId, r.slots]));
  const result = await claimQuery(now, reservations).execute(db);
  return result.rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    campaignId: r.campaign_id,
    phoneNumber: r.phone_number,
    timezone: r.timezone,
    variables: r.variables,
    hasCallback: r.has_callback,
    bypassCallingWindow: r.bypass_calling_window,
    attemptCount: r.attempt_count,
    nextAttemptAt: r.next_attempt_at,
    disposition: r.disposition,
    reservedSlots: slots.get(r.campaign_id) ?? 0,
    suppressed: r.suppressed,
  }));
}

/** Past attempts of these messages since `since` (for min gap, daily cap), one query. */
export async function recentAttempts(
  db: Db,
  messageIds: readonly string[],
  since: Date,
): Promise<Map<string, { lastStartedAt: Date; startedSince: Date[] }>> {
  if (messageIds.length === 0) return new Map();
  const result = await sql<{ message_id: string; started_at: Date }>`
    select message_id, started_at from attempts
    where message_id = any(${[...messageIds]}::uuid[]) and started_at >= ${since}::timestamptz
    order by started_at`.execute(db);
  const byMessage = new Map<string, { lastStartedAt: Date; startedSince: Date[] }>();
  for (const row of result.rows) {
    const entry = byMessage.get(row.message_id) ?? { lastStartedAt: row.started_at, startedSince: [] };
    entry.startedSince.push(row.started_at);
    entry.lastStartedAt = row.started_at;
    byMessage.set(row.message_id, entry);
  }
  return byMessage;
}

/**
 * Calls per number across the tenant's campaigns after `since`, with the oldest (the frequency
 * cap: a call exactly a window old has left the window).
 */
export async function callsToNumbers(
  db: Db,
  tenantId: string,
  phoneNumbers: readonly string[],
  since: Date,
): Promise<Map<string, { count: number; oldest: Date }>> {
  if (phoneNumbers.length === 0) return new Map();
  const result = await sql<{ phone_number: string; n: number; oldest: Date }>`
    select phone_number, count(*)::int as n, min(started_at) as oldest from attempts
    where tenant_id = ${tenantId}::uuid and phone_number = any(${[...phoneNumbers]}::text[])
      and started_at > ${since}::timestamptz
    group by phone_number`.execute(db);
  return new Map(result.rows.map((r) => [r.phone_number, { count: r.n, oldest: r.oldest }]));
}

/** Calls in flight per caller id, across every campaign (the carrier limit of a number). */
export async function inFlightByCallerId(db: Db, callerIds: readonly string[]): Promise<Map<string, number>> {
  if (callerIds.length === 0) return new Map();
  const result = await sql<{ caller_id: string; n: number }>`
    select caller_id, count(*)::int as n from attempts
    where ended_at is null and caller_id = any(${[...callerIds]}::text[])
    group by caller_id`.execute(db);
  return new Map(result.rows.map((r) => [r.caller_id, r.n]));
}
