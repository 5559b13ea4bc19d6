import type { Selectable } from 'kysely';
import type { Db, TenantsTable } from '../db/database';
import type { Tenant } from './tenant';

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
