import { sql, type Insertable, type Selectable } from 'kysely';
import type { CampaignsTable, Db } from '../db/database';
import { isUniqueViolation } from '../db/pg-errors';
import type {
  Campaign,
  CampaignSettings,
  CampaignStatus,
  Channel,
  DayOfWeek,
  DialerType,
  DndAction,
  RetryScenario,
  StartLogic,
  Trigger,
} from './campaign';

type CampaignRow = Selectable<CampaignsTable>;

/** Row → domain; the only place campaign rows are read. */
function rowToCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status as CampaignStatus,
    name: row.name,
    type: 'OUTBOUND',
    channel: row.channel as Channel,
    trigger: row.trigger as Trigger,
    assistantId: row.assistant_id,
    dialerType: row.dialer_type as DialerType,
    phoneNumberId: row.phone_number_id,
    phoneNumberPool: row.phone_number_pool,
    startLogic: row.start_logic as StartLogic,
    startDelaySeconds: row.start_delay_seconds,
    ringDurationSeconds: row.ring_duration_seconds,
    timezone: row.timezone,
    startDate: row.start_date,
    endDate: row.end_date,
    daysOfWeek: row.days_of_week as DayOfWeek[],
    dailyStartTime: row.daily_start_time,
    dailyEndTime: row.daily_end_time,
    businessHoursProfileId: row.business_hours_profile_id,
    dndAction: row.dnd_action as DndAction,
    maxCallAttempts: row.max_call_attempts,
    maxDailyAttempts: row.max_daily_attempts,
    minGapMinutes: row.min_gap_minutes,
    retryScenarios: row.retry_scenarios as RetryScenario[],
    retryDelays: row.retry_delays as Partial<Record<RetryScenario, number>>,
    considerVoicemailAsAnswered: row.consider_voicemail_as_answered,
    maxConcurrentCalls: row.max_concurrent_calls,
    recipientLocalTime: row.recipient_local_time,
    webhookUrl: row.webhook_url,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

/** Settings → the columns that hold them. */
function settingsToColumns(s: CampaignSettings): Omit<Insertable<CampaignsTable>, 'tenant_id'> {
  return {
    name: s.name,
    type: s.type,
    channel: s.channel,
    trigger: s.trigger,
    assistant_id: s.assistantId,
    dialer_type: s.dialerType,
    phone_number_id: s.phoneNumberId,
    phone_number_pool: [...s.phoneNumberPool],
    start_logic: s.startLogic,
    start_delay_seconds: s.startDelaySeconds,
    ring_duration_seconds: s.ringDurationSeconds,
    timezone: s.timezone,
    start_date: s.startDate,
    end_date: s.endDate,
    days_of_week: [...s.daysOfWeek],
    daily_start_time: s.dailyStartTime,
    daily_end_time: s.dailyEndTime,
    business_hours_profile_id: s.businessHoursProfileId,
    dnd_action: s.dndAction,
    max_call_attempts: s.maxCallAttempts,
    max_daily_attempts: s.maxDailyAttempts,
    min_gap_minutes: s.minGapMinutes,
    retry_scenarios: [...s.retryScenarios],
    retry_delays: JSON.stringify(s.retryDelays),
    consider_voicemail_as_answered: s.considerVoicemailAsAnswered,
    max_concurrent_calls: s.maxConcurrentCalls,
    recipient_local_time: s.recipientLocalTime,
    webhook_url: s.webhookUrl,
  };
}

/** Inserts a campaign in `DRAFT`; undefined when the tenant already has one of that name. */
export async function insertCampaign(db: Db, tenantId: string, settings: CampaignSettings): Promise<Campaign | undefined> {
  const row = await db
    .insertInto('campaigns')
    .values({ tenant_id: tenantId, ...settingsToColumns(settings) })
    // The only unique constraint a fresh uuid can meet is (tenant_id, lower(name)).
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToCampaign(row);
}

export async function findCampaign(db: Db, tenantId: string, id: string): Promise<Campaign | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToCampaign(row);
}

/** Several campaigns by id, whatever their tenant (for the scheduler, which works for all). */
export async function findCampaignsByIds(db: Db, ids: readonly string[]): Promise<Map<string, Campaign>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('campaigns').selectAll().where('id', 'in', [...ids]).execute();
  return new Map(rows.map((row) => [row.id, rowToCampaign(row)]));
}

/**
 * Reads a campaign and holds a share lock on it until the transaction ends: writers of its
 * messages run side by side, while a status change waits for them (and they for it).
 */
export async function findCampaignForShare(db: Db, tenantId: string, id: string): Promise<Campaign | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forShare()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToCampaign(row);
}

/** Reads a campaign and locks its row until the transaction ends, for read-modify-write. */
export async function findCampaignForUpdate(db: Db, tenantId: string, id: string): Promise<Campaign | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToCampaign(row);
}

export interface CampaignListQuery {
  readonly statuses: readonly CampaignStatus[];
  readonly assistantId: string | undefined;
  /** Only campaigns inserted before this sequence position (exclusive). */
  readonly beforeSeq: string | undefined;
  readonly limit: number;
}

/** One page, newest first, with each campaign's sequence position for the next token. */
export async function listCampaigns(
  db: Db,
  tenantId: string,
  query: CampaignListQuery,
): Promise<{ campaign: Campaign; seq: string }[]> {
  let select = db.selectFrom('campaigns').selectAll().where('tenant_id', '=', tenantId);
  if (query.statuses.length > 0) select = select.where('status', 'in', [...query.statuses]);
  if (query.assistantId !== undefined) select = select.where('assistant_id', '=', query.assistantId);
  if (query.beforeSeq !== undefined) select = select.where('seq', '<', query.beforeSeq as never);
  const rows = await select.orderBy('seq', 'desc').limit(query.limit).execute();
  return rows.map((row) => ({ campaign: rowToCampaign(row), seq: String(row.seq) }));
}

/** Writes new settings; the caller holds the row lock. A taken name raises 23505. */
export async function updateCampaignSettings(
  db: Db,
  tenantId: string,
  id: string,
  settings: CampaignSettings,
): Promise<Campaign> {
  const row = await db
    .updateTable('campaigns')
    .set({ ...settingsToColumns(settings), updated_at: sql<Date>`now()` as never })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToCampaign(row);
}

/**
 * Moves a campaign to `to` if, and only if, it is in one of `from` now. A single compare-and-set
 * UPDATE, so two concurrent transitions cannot both succeed from the same state.
 */
export async function compareAndSetStatus(
  db: Db,
  tenantId: string,
  id: string,
  from: readonly CampaignStatus[],
  to: CampaignStatus,
): Promise<Campaign | undefined> {
  const row = await db
    .updateTable('campaigns')
    .set({
      status: to,
      updated_at: sql<Date>`now()` as never,
      started_at: to === 'RUNNING' ? sql<Date>`coalesce(started_at, now())` : sql<Date>`started_at`,
      ended_at: to === 'COMPLETED' || to === 'CANCELLED' ? sql<Date>`now()` : sql<Date>`ended_at`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToCampaign(row);
}

/** Whether a database error is the unique (tenant, name) index refusing a duplicate name. */
export function isDuplicateCampaignName(e: unknown): boolean {
  return isUniqueViolation(e, 'campaigns_tenant_name_key');
}
