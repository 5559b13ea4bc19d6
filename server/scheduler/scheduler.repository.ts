import { sql } from 'kysely';
import type { Db } from '../db/database';

/** A due message claimed for a decision, with what the decision reads. */
export interface ClaimedMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly campaignId: string;
  readonly phoneNumber: string;
  readonly timezone: string | null;
  readonly variables: Record<string, string>;
  readonly scheduledAt: Date;
  readonly bypassCallingWindow: boolean;
  readonly attemptCount: number;
  readonly nextAttemptAt: Date;
  /** The last call's outcome, kept while a retry is queued. */
  readonly disposition: string | null;
  /** Free call slots of its campaign when claimed (max_concurrent_calls − in flight). */
  readonly campaignFreeSlots: number;
}

/** What one claim asks for. */
export interface ClaimOptions {
  readonly now: Date;
  readonly perCampaign: number;
  readonly maxCampaigns: number;
  /** Campaigns after this id are visited first (round robin). */
  readonly afterCampaign: string;
}

interface ClaimRow {
  id: string;
  tenant_id: string;
  campaign_id: string;
  phone_number: string;
  timezone: string | null;
  variables: Record<string, string>;
  scheduled_at: Date;
  bypass_calling_window: boolean;
  attempt_count: number;
  next_attempt_at: Date;
  disposition: string | null;
  free: number;
}

function claimQuery({ now, perCampaign, maxCampaigns, afterCampaign }: ClaimOptions) {
  return sql<ClaimRow>`
    with claimable as (
      select c.id, c.max_concurrent_calls - coalesce((
        select sum(k.n) from campaign_counts k where k.campaign_id = c.id and k.key = 'status:DISPATCHED'), 0)::int as free
      from campaigns c
      where c.status = 'RUNNING'
        -- The earliest due time of the campaign's queue: one read of the due index's first entry.
        and (select min(m.next_attempt_at) from messages m where m.campaign_id = c.id and m.status = 'QUEUED')
          <= ${now}::timestamptz
      order by (c.id > ${afterCampaign}::uuid) desc, c.id
      limit ${maxCampaigns}
      -- NO KEY UPDATE: one claimer per campaign, yet foreign-key checks (FOR KEY SHARE) of the
      -- outcome path's writes are not blocked, which would deadlock with the round's own writes.
      for no key update of c skip locked
    )
    select m.id, m.tenant_id, m.campaign_id, m.phone_number, m.timezone, m.variables, m.scheduled_at,
      m.bypass_calling_window, m.attempt_count, m.next_attempt_at, m.disposition, p.free
    from claimable p
    cross join lateral (
      select * from messages m
      where m.campaign_id = p.id and m.status = 'QUEUED' and m.next_attempt_at <= ${now}::timestamptz
      order by m.next_attempt_at
      limit least(greatest(p.free, 0), ${perCampaign})
      for update of m skip locked
    ) m`;
}

/** The plan PostgreSQL picks for the claim (EXPLAIN, JSON), for the test that guards its index. */
export async function explainClaim(db: Db, options: ClaimOptions): Promise<unknown> {
  const result = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${claimQuery(options)}`.execute(db);
  return result.rows[0]?.['QUERY PLAN'];
}

/**
 * Claims due messages, fairly across campaigns, and locks them until the transaction ends.
 *
 * Safe with any number of processes: each RUNNING campaign with due messages is locked with
 * `FOR NO KEY UPDATE SKIP LOCKED`, so one process at a time claims for a campaign (and sees its in-flight
 * count settle); its messages are locked with `SKIP LOCKED` too. Each campaign gives at most its
 * free call slots and `perCampaign` messages, so a campaign with a million due messages cannot
 * crowd out another's single one. Campaigns are visited from `afterCampaign` on, wrapping round,
 * so a large number of campaigns is served in turn. The cost follows the claimed rows and the
 * running campaigns, not the messages waiting: the lateral scan walks
 * `messages_campaign_due_idx` (campaign, next_attempt_at) for queued messages and stops at the
 * first not yet due.
 */
export async function claimDueMessages(db: Db, options: ClaimOptions): Promise<ClaimedMessage[]> {
  const result = await claimQuery(options).execute(db);
  return result.rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    campaignId: r.campaign_id,
    phoneNumber: r.phone_number,
    timezone: r.timezone,
    variables: r.variables,
    scheduledAt: r.scheduled_at,
    bypassCallingWindow: r.bypass_calling_window,
    attemptCount: r.attempt_count,
    nextAttemptAt: r.next_attempt_at,
    disposition: r.disposition,
    campaignFreeSlots: r.free,
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
