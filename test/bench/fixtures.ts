/** What the benches run against: a tenant, its campaigns, and distinct phone numbers. */
import { randomBytes } from 'node:crypto';
import { createDb } from '../../server/db/pool';
import { createTenant } from '../../server/tenants/tenants.service';
import { callRpc } from './rpc-client';

/** A tenant and its API key, made through the service as the Admin RPC would. */
export async function createBenchTenant(url: string): Promise<{ tenantId: string; apiKey: string }> {
  const { db } = createDb({ connectionString: url, max: 1, statementTimeoutMs: 30_000, connectTimeoutMs: 10_000 });
  try {
    const { tenant, key } = await createTenant(db, `bench ${randomBytes(4).toString('hex')}`);
    return { tenantId: tenant.id, apiKey: key.apiKey };
  } finally {
    await db.destroy();
  }
}

/** A campaign made through the API, started when asked. */
export async function createCampaign(
  serviceUrl: string,
  apiKey: string,
  options: { name: string; trigger: 'API' | 'BULK'; start: boolean },
): Promise<string> {
  const created = await callRpc<{ campaign_id: string }>(serviceUrl, apiKey, 'CreateCampaign', {
    name: options.name,
    trigger: options.trigger,
    assistant_id: 'asst_bench',
    phone_number_id: '+14155550100',
    timezone: 'America/New_York',
  });
  if (options.start) await callRpc(serviceUrl, apiKey, 'StartCampaign', { campaign_id: created.campaign_id });
  return created.campaign_id;
}

/**
 * The i-th of a block of distinct valid US numbers: `+1415` and a seven-digit local number from
 * 2000000 (every 415 exchange from 200 to 999 is valid for libphonenumber-js), i < 8,000,000.
 */
export function phoneNumber(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= 8_000_000) throw new RangeError(`phone number index ${i} out of range`);
  return `+1415${2_000_000 + i}`;
}

/**
 * A SQL expression for a message id of the kind the service makes (server/shared/uuid7.ts): a
 * version 7 UUID whose first 48 bits are the milliseconds of `clock`, then `counter` (under 2^28)
 * in the counter's bits, then 32 random bits. Rows seeded with a rising counter sort as the
 * service's ids made one after another do, so seeded tables and their indexes have the same shape
 * as written ones.
 */
export function messageIdSql(counter: string, clock = 'clock_timestamp()'): string {
  return (
    `(lpad(to_hex((extract(epoch from ${clock}) * 1000)::bigint), 12, '0') || '7000' || '8' ` +
    `|| lpad(to_hex((${counter})::int & 268435455), 7, '0') || lpad(to_hex((random() * 4294967295)::bigint), 8, '0'))::uuid`
  );
}
