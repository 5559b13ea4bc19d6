import type { Kysely } from 'kysely';
import { generateWebhookSecret } from '../auth/api-key';
import { issueApiKey, type IssuedApiKey } from '../auth/auth.service';
import type { Database } from '../db/database';
import { alreadyExists, invalidArgument, notFound } from '../errors';
import { isUuid, requireId } from '../shared/ids';
import type { Tenant } from './tenant';
import { validateTenantPolicy, type TenantPolicy, type TenantPolicyInput } from './tenant-policy';
import {
  findDefaultTenant,
  findTenantById,
  findTenantPolicy,
  insertTenant,
  updateTenantPolicy,
  updateWebhookSecret,
} from './tenants.repository';

const MAX_NAME_LENGTH = 200;
const DEFAULT_TENANT_NAME = 'default';

/** Creates a tenant and its first API key in one transaction. */
export async function createTenant(
  db: Kysely<Database>,
  name: string,
): Promise<{ tenant: Tenant; key: IssuedApiKey }> {
  const trimmed = name.trim();
  if (trimmed === '') throw invalidArgument('name', 'name is required');
  if (trimmed.length > MAX_NAME_LENGTH) throw invalidArgument('name', `name must be at most ${MAX_NAME_LENGTH} characters`);
  return db.transaction().execute(async (trx) => {
    const tenant = await insertTenant(trx, { name: trimmed, webhookSecret: generateWebhookSecret() });
    if (tenant === undefined) throw alreadyExists(`a tenant named "${trimmed}" already exists`, { argument: 'name' });
    const key = await issueApiKey(trx, tenant.id, 'created with the tenant');
    return { tenant, key };
  });
}

/** The tenant an admin call names, or `not_found`. */
export async function requireTenant(db: Kysely<Database>, tenantId: string, field = 'tenant_id'): Promise<Tenant> {
  if (tenantId.trim() === '') throw invalidArgument(field, `${field} is required`);
  const tenant = isUuid(tenantId) ? await findTenantById(db, tenantId) : undefined;
  if (tenant === undefined) throw notFound('no such tenant');
  return tenant;
}

export async function rotateWebhookSecret(db: Kysely<Database>, tenantId: string): Promise<string> {
  await requireTenant(db, tenantId);
  const secret = generateWebhookSecret();
  if (!(await updateWebhookSecret(db, tenantId, secret))) throw notFound('no such tenant');
  return secret;
}

/** Replaces a tenant's calling policy after validating it; an unknown tenant is `not_found`. */
export async function setTenantPolicy(db: Kysely<Database>, input: TenantPolicyInput): Promise<TenantPolicy> {
  const tenantId = requireTenantId(input.tenantId);
  const policy = validateTenantPolicy({ ...input, tenantId });
  const stored = await updateTenantPolicy(db, policy);
  if (stored === undefined) throw notFound('no such tenant');
  return stored;
}

/** A tenant's calling policy (the defaults until one is set); an unknown tenant is `not_found`. */
export async function getTenantPolicy(db: Kysely<Database>, tenantId: string): Promise<TenantPolicy> {
  const policy = await findTenantPolicy(db, requireTenantId(tenantId));
  if (policy === undefined) throw notFound('no such tenant');
  return policy;
}

/** A tenant id an admin call gives: required; one that is not a UUID names no tenant. */
function requireTenantId(value: string): string {
  return requireId(value, 'tenant_id', () => notFound('no such tenant'));
}

/**
 * The default tenant (the one OUTREACH_API_KEY belongs to), created on first start. A configured
 * webhook secret replaces the stored one, so OUTREACH_WEBHOOK_SECRET is always the one in force.
 */
export async function ensureDefaultTenant(db: Kysely<Database>, webhookSecret: string | undefined): Promise<Tenant> {
  const existing = await findDefaultTenant(db);
  if (existing !== undefined) {
    if (webhookSecret !== undefined && existing.webhookSecret !== webhookSecret) {
      await updateWebhookSecret(db, existing.id, webhookSecret);
      return { ...existing, webhookSecret };
    }
    return existing;
  }
  const created = await insertTenant(db, {
    name: DEFAULT_TENANT_NAME,
    webhookSecret: webhookSecret ?? generateWebhookSecret(),
    isDefault: true,
  });
  if (created !== undefined) return created;
  // Another process created it at the same moment, or a tenant already uses the name.
  const raced = await findDefaultTenant(db);
  if (raced === undefined) throw new Error(`cannot create the default tenant: the name "${DEFAULT_TENANT_NAME}" is taken`);
  return raced;
}
