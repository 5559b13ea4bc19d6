import type { Selectable } from 'kysely';
import type { Db, TenantsTable } from '../db/database';
import type { Tenant } from './tenant';
import type { TenantPolicy } from './tenant-policy';

function rowToTenant(row: Selectable<TenantsTable>): Tenant {
  return {
    id: row.id,
    name: row.name,
    webhookSecret: row.webhook_secret,
    isDefault: row.is_default,
    createdAt: row.created_at,
  };
}

/**
 * Inserts a tenant; undefined when the name is taken (names are unique without regard to case) or,
 * for a default tenant, when one exists already.
 */
export async function insertTenant(
  db: Db,
  values: { name: string; webhookSecret: string; isDefault?: boolean },
): Promise<Tenant | undefined> {
  const row = await db
    .insertInto('tenants')
    .values({ name: values.name, webhook_secret: values.webhookSecret, is_default: values.isDefault ?? false })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToTenant(row);
}

export async function findTenantById(db: Db, id: string): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : rowToTenant(row);
}

export async function findDefaultTenant(db: Db): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('is_default', '=', true).executeTakeFirst();
  return row === undefined ? undefined : rowToTenant(row);
}

export async function updateWebhookSecret(db: Db, id: string, secret: string): Promise<boolean> {
  const result = await db.updateTable('tenants').set({ webhook_secret: secret }).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

type PolicyRow = Pick<
  Selectable<TenantsTable>,
  | 'id'
  | 'quiet_hours_start'
  | 'quiet_hours_end'
  | 'bypass_may_override_quiet_hours'
  | 'max_calls_per_number'
  | 'frequency_window_days'
>;

const POLICY_COLUMNS = [
  'id',
  'quiet_hours_start',
  'quiet_hours_end',
  'bypass_may_override_quiet_hours',
  'max_calls_per_number',
  'frequency_window_days',
] as const;

/** Row → policy; `time` columns arrive as `HH:MM:SS` text, and quiet hours need both. */
function rowToPolicy(row: PolicyRow): TenantPolicy {
  const start = row.quiet_hours_start;
  const end = row.quiet_hours_end;
  return {
    tenantId: row.id,
    quietHours: start === null || end === null ? null : { start, end },
    bypassMayOverrideQuietHours: row.bypass_may_override_quiet_hours,
    maxCallsPerNumber: row.max_calls_per_number,
    frequencyWindowDays: row.frequency_window_days,
  };
}

export async function findTenantPolicy(db: Db, tenantId: string): Promise<TenantPolicy | undefined> {
  const row = await db.selectFrom('tenants').select(POLICY_COLUMNS).where('id', '=', tenantId).executeTakeFirst();
  return row === undefined ? undefined : rowToPolicy(row);
}

/** The policies of these tenants, by tenant id, in one query (for the scheduler's batches). */
export async function findTenantPolicies(db: Db, tenantIds: readonly string[]): Promise<Map<string, TenantPolicy>> {
  const ids = [...new Set(tenantIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('tenants')
    .select(POLICY_COLUMNS)
    .where('id', '=', (eb) => eb.fn.any(eb.val(ids)))
    .execute();
  return new Map(rows.map((row) => [row.id, rowToPolicy(row)]));
}

/** Replaces a tenant's whole policy; undefined when there is no such tenant. */
export async function updateTenantPolicy(db: Db, policy: TenantPolicy): Promise<TenantPolicy | undefined> {
  const row = await db
    .updateTable('tenants')
    .set({
      quiet_hours_start: policy.quietHours?.start ?? null,
      quiet_hours_end: policy.quietHours?.end ?? null,
      bypass_may_override_quiet_hours: policy.bypassMayOverrideQuietHours,
      max_calls_per_number: policy.maxCallsPerNumber,
      frequency_window_days: policy.frequencyWindowDays,
    })
    .where('id', '=', policy.tenantId)
    .returning(POLICY_COLUMNS)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToPolicy(row);
}
