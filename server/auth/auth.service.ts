import type { Db } from '../db/database';
import { DomainError, invalidArgument, notFound, unauthenticated } from '../errors';
import type { TenantPrincipal } from '../tenants/tenant';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey, keyFromAuthorization, secretsEqual } from './api-key';
import { Batcher } from '../shared/batcher';
import {
  findApiKeyByHash,
  findApiKeysByHashes,
  insertApiKey,
  revokeApiKeyByHash,
  type StoredApiKey,
} from './api-keys.repository';

/** Finds the stored key of a hash; see `createKeyLookup`. */
export type KeyLookup = (keyHash: Buffer) => Promise<StoredApiKey | undefined>;

/**
 * Key lookups of concurrent requests share one query (`key_hash in (…)`), so authentication
 * costs one round trip per batch instead of one per request. Nothing is cached: a lookup that
 * starts after a revocation commits sees it.
 */
export function createKeyLookup(db: Db): KeyLookup {
  const batcher = new Batcher<Buffer, StoredApiKey | undefined>(
    async (hashes) => {
      const found = new Map((await findApiKeysByHashes(db, hashes)).map((k) => [k.keyHash.toString('hex'), k]));
      return hashes.map((hash) => found.get(hash.toString('hex')));
    },
    500,
    2,
  );
  return (keyHash) => batcher.submit(keyHash);
}

/**
 * The tenant an `Authorization` header speaks for. A missing, unknown or revoked key throws
 * `unauthenticated`; a revocation holds from the next request on.
 */
export async function authenticateTenant(lookup: KeyLookup, authorization: string | undefined): Promise<TenantPrincipal> {
  const key = keyFromAuthorization(authorization);
  if (key === undefined) throw unauthenticated();
  const stored = await lookup(hashApiKey(key));
  if (stored === undefined || stored.revokedAt !== null || !apiKeyMatches(key, stored.keyHash)) {
    throw unauthenticated();
  }
  return { tenantId: stored.tenantId, keyId: stored.id };
}

/**
 * Checks the operator's admin key. A tenant key is recognised and refused with
 * `permission_denied`; anything else, or no admin key configured, is `unauthenticated`.
 */
export async function authenticateAdmin(
  db: Db,
  adminKey: string | undefined,
  authorization: string | undefined,
): Promise<void> {
  const key = keyFromAuthorization(authorization);
  if (key === undefined) throw unauthenticated();
  if (adminKey !== undefined && secretsEqual(key, adminKey)) return;
  const stored = await findApiKeyByHash(db, hashApiKey(key));
  if (stored !== undefined && stored.revokedAt === null) {
    throw new DomainError('permission_denied', 'this call needs the admin key, not a tenant API key');
  }
  throw unauthenticated();
}

/** A freshly issued key; the plain key exists only in this value. */
export interface IssuedApiKey {
  readonly apiKey: string;
  readonly keyId: string;
  readonly keyPrefix: string;
}

const MAX_LABEL_LENGTH = 200;

export async function issueApiKey(db: Db, tenantId: string, label: string): Promise<IssuedApiKey> {
  if (label.length > MAX_LABEL_LENGTH) {
    throw invalidArgument('label', `label must be at most ${MAX_LABEL_LENGTH} characters`);
  }
  const apiKey = generateApiKey();
  const stored = await insertApiKey(db, { tenantId, keyHash: hashApiKey(apiKey), keyPrefix: apiKeyPrefix(apiKey), label });
  return { apiKey, keyId: stored.id, keyPrefix: stored.keyPrefix };
}

/** Revokes a key; revoking it again is harmless and reports the first revocation. */
export async function revokeApiKey(db: Db, apiKey: string): Promise<{ keyId: string; revokedAt: Date }> {
  if (apiKey.trim() === '') throw invalidArgument('api_key', 'api_key is required');
  const revoked = await revokeApiKeyByHash(db, hashApiKey(apiKey.trim()));
  if (revoked === undefined || revoked.revokedAt === null) throw notFound('no such API key');
  return { keyId: revoked.id, revokedAt: revoked.revokedAt };
}

/** What `ensureConfiguredApiKey` found or did, for the start-up log. */
export type EnsureKeyOutcome = 'created' | 'present' | 'revoked';

/**
 * Makes sure a configured key (OUTREACH_API_KEY) exists for a tenant. A key an operator revoked
 * stays revoked; a key that belongs to another tenant is a configuration error.
 */
export async function ensureConfiguredApiKey(db: Db, tenantId: string, apiKey: string): Promise<EnsureKeyOutcome> {
  const keyHash = hashApiKey(apiKey);
  const existing = await findApiKeyByHash(db, keyHash);
  if (existing !== undefined) {
    if (existing.tenantId !== tenantId) {
      throw new Error('OUTREACH_API_KEY belongs to another tenant than the default one');
    }
    return existing.revokedAt === null ? 'present' : 'revoked';
  }
  await insertApiKey(db, { tenantId, keyHash, keyPrefix: apiKeyPrefix(apiKey), label: 'OUTREACH_API_KEY' });
  return 'created';
}
