import { sql, type Selectable } from 'kysely';
import type { CampaignStatus } from '../campaigns/campaign';
import type { BusinessHoursProfilesTable, Db } from '../db/database';
import { isUniqueViolation } from '../db/pg-errors';
import type { BusinessHoursProfile, BusinessHoursSettings, DayOfWeek } from './business-hours';

/** SQL of business-hours profiles. Every statement is scoped to one tenant. */

type ProfileRow = Selectable<BusinessHoursProfilesTable>;

/** Row → domain; the only place profile rows are read. */
function rowToProfile(row: ProfileRow): BusinessHoursProfile {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    timezone: row.timezone,
    intervals: row.intervals.map((i) => ({ day: i.day as DayOfWeek, start: i.start, end: i.end })),
    holidays: row.holidays,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function settingsToColumns(s: BusinessHoursSettings) {
  return {
    name: s.name,
    timezone: s.timezone,
    intervals: JSON.stringify(s.intervals.map((i) => ({ day: i.day, start: i.start, end: i.end }))),
    holidays: [...s.holidays],
  };
}

/** Inserts a profile; undefined when the tenant already has one of that name (in any case). */
export async function insertProfile(
  db: Db,
  tenantId: string,
  settings: BusinessHoursSettings,
): Promise<BusinessHoursProfile | undefined> {
  const row = await db
    .insertInto('business_hours_profiles')
    .values({ tenant_id: tenantId, ...settingsToColumns(settings) })
    // The only unique constraint a fresh uuid can meet is (tenant_id, lower(name)).
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToProfile(row);
}

export async function findProfile(db: Db, tenantId: string, id: string): Promise<BusinessHoursProfile | undefined> {
  const row = await db
    .selectFrom('business_hours_profiles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToProfile(row);
}

/** The tenant's profiles among `ids`, in one query. */
export async function findProfilesByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<BusinessHoursProfile[]> {
  const rows = await db
    .selectFrom('business_hours_profiles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', (eb) => eb.fn.any(eb.val([...ids])))
    .execute();
  return rows.map(rowToProfile);
}

/**
 * Whether the tenant has this profile, holding a key-share lock on it until the transaction ends:
 * a campaign that starts to refer to the profile in that transaction and a delete of the profile
 * (which locks it FOR UPDATE) then wait for each other, so no campaign is left naming a deleted
 * profile. Outside a transaction it is a plain existence check.
 */
export async function lockProfileForReference(db: Db, tenantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('business_hours_profiles')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forKeyShare()
    .executeTakeFirst();
  return row !== undefined;
}

/** Locks a profile until the transaction ends, for a delete that must not race new references. */
export async function lockProfileForDelete(db: Db, tenantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('business_hours_profiles')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * One page of the tenant's profiles by name (case-insensitively, as names are unique), after the
 * profile named `afterName` when given. The unique index (tenant_id, lower(name)) serves both the
 * keyset condition and the order.
 */
export async function listProfiles(
  db: Db,
  tenantId: string,
  query: { readonly afterName: string | undefined; readonly limit: number },
): Promise<BusinessHoursProfile[]> {
  let select = db.selectFrom('business_hours_profiles').selectAll().where('tenant_id', '=', tenantId);
  if (query.afterName !== undefined) select = select.where(sql`lower(name)`, '>', sql`lower(${query.afterName})`);
  const rows = await select.orderBy(sql`lower(name)`).limit(query.limit).execute();
  return rows.map(rowToProfile);
}

/** Replaces a profile's settings; undefined when the tenant has no such profile. A taken name raises 23505. */
export async function updateProfile(
  db: Db,
  tenantId: string,
  id: string,
  settings: BusinessHoursSettings,
): Promise<BusinessHoursProfile | undefined> {
  const row = await db
    .updateTable('business_hours_profiles')
    .set({ ...settingsToColumns(settings), updated_at: sql<Date>`now()` as never })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToProfile(row);
}

/** Deletes a profile; whether it was there. */
export async function deleteProfile(db: Db, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('business_hours_profiles')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * The id of one campaign of the tenant in one of `statuses` that uses the profile, if any.
 * Campaigns name their profile without a foreign key (the column predates the table), so this is
 * the check that stands in for one.
 */
export async function findCampaignUsingProfile(
  db: Db,
  tenantId: string,
  profileId: string,
  statuses: readonly CampaignStatus[],
): Promise<string | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('business_hours_profile_id', '=', profileId)
    .where('status', 'in', [...statuses])
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Whether a database error is the unique (tenant, lower(name)) index refusing a duplicate name. */
export function isDuplicateProfileName(e: unknown): boolean {
  return isUniqueViolation(e, 'business_hours_profiles_tenant_name_key');
}
