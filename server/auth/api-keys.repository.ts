import type { Db } from '../db/database';

/** A stored key, never the key itself. */
export interface StoredApiKey {
  readonly id: string;
  readonly tenantId: string;
  readonly keyHash: Buffer;
  readonly keyPrefix: string;
  readonly revokedAt: Date | null;
}

export async function insertApiKey(
  db: Db,
  values: { tenantId: string; keyHash: Buffer; keyPrefix: string; label: string },
): Promise<StoredApiKey> {
  const row = await db
    .insertInto('api_keys')
    .values({ tenant_id: values.tenantId, key_hash: values.keyHash, key_prefix: values.keyPrefix, label: values.label })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .returning(['id', 'tenant_id', 'key_hash', 'key_prefix', 'revoked_at'])
    .executeTakeFirst();
  if (row !== undefined) return toStored(row);
  // The same key was stored before (OUTREACH_API_KEY on a restart): return that row.
  const existing = await findApiKeyByHash(db, values.keyHash);
  if (existing === undefined) throw new Error('api key vanished between insert and select');
  return existing;
}

export async function findApiKeyByHash(db: Db, keyHash: Buffer): Promise<StoredApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'tenant_id', 'key_hash', 'key_prefix', 'revoked_at'])
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
  return row === undefined ? undefined : toStored(row);
}

/** The stored keys among these hashes, in one query. */
export async function findApiKeysByHashes(db: Db, keyHashes: readonly Buffer[]): Promise<StoredApiKey[]> {
  if (keyHashes.length === 0) return [];
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'tenant_id', 'key_hash', 'key_prefix', 'revoked_at'])
    .where('key_hash', 'in', [...keyHashes])
    .execute();
  return rows.map(toStored);
}

/** Marks a key revoked once; a second revocation keeps the first time. */
export async function revokeApiKeyByHash(db: Db, keyHash: Buffer): Promise<StoredApiKey | undefined> {
  const row = await db
    .updateTable('api_keys')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.fn<Date>('now')) }))
    .where('key_hash', '=', keyHash)
    .returning(['id', 'tenant_id', 'key_hash', 'key_prefix', 'revoked_at'])
    .executeTakeFirst();
  return row === undefined ? undefined : toStored(row);
}

function toStored(row: {
  id: string;
  tenant_id: string;
  key_hash: Buffer;
  key_prefix: string;
  revoked_at: Date | null;
}): StoredApiKey {
  return { id: row.id, tenantId: row.tenant_id, keyHash: row.key_hash, keyPrefix: row.key_prefix, revokedAt: row.revoked_at };
}
