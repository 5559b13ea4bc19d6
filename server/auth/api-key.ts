import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of keys this service issues, so leaked keys are recognisable by secret scanners. */
const KEY_PREFIX = 'outreach_';

/** A new API key: 256 random bits. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** A new webhook signing secret: 256 random bits. */
export function generateWebhookSecret(): string {
  return 'whsec_' + randomBytes(32).toString('base64url');
}

/**
 * The stored form of a key. Keys are high-entropy, so one SHA-256 is enough: a slow password hash
 * protects guessable secrets, and these are not guessable.
 */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The part of a key that may be shown in listings and logs. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, storedHash: Buffer): boolean {
  const presented = hashApiKey(key);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}

/**
 * Constant-time comparison of two secrets given in plain (the admin key, a metrics token): over
 * their digests, so that their lengths leak nothing either.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(hashApiKey(presented), hashApiKey(expected));
}

const MAX_KEY_LENGTH = 512;

/**
 * The key in an `Authorization` header, in any of the three forms peers send: `Bearer <key>`,
 * `Token <key>` or the bare key. Undefined when there is none.
 */
export function keyFromAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '' || value.length > MAX_KEY_LENGTH) return undefined;
  const match = /^(bearer|token)\s+(\S+)$/i.exec(value);
  if (match !== null) return match[2];
  return /\s/.test(value) ? undefined : value;
}
