import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { generateApiKey } from './auth/api-key';
import { ensureConfiguredApiKey } from './auth/auth.service';
import type { Config } from './config';
import type { Database } from './db/database';
import type { Logger } from './logger';
import { ensureDefaultTenant } from './tenants/tenants.service';

/** The keys in force after start-up, and whether they were made up for development. */
export interface StartupCredentials {
  readonly apiKey: string | undefined;
  readonly adminKey: string | undefined;
  /** True when the keys come from the development credentials file, so they may be printed. */
  readonly development: boolean;
}

interface DevCredentials {
  apiKey: string;
  adminKey: string;
}

/**
 * Makes sure the default tenant exists with OUTREACH_API_KEY and OUTREACH_WEBHOOK_SECRET. Outside
 * production, keys that are not configured are generated once and kept in the data folder, so the
 * key printed at start keeps working across restarts. In production nothing is made up: without
 * OUTREACH_ADMIN_KEY the Admin service refuses every call.
 */
export async function bootstrapTenancy(db: Kysely<Database>, config: Config, log: Logger): Promise<StartupCredentials> {
  const tenant = await ensureDefaultTenant(db, config.webhookSecret);
  const dev = config.nodeEnv === 'production' ? undefined : await loadDevCredentials(config.dataDir);
  const apiKey = config.apiKey ?? dev?.apiKey;
  if (apiKey !== undefined) {
    const outcome = await ensureConfiguredApiKey(db, tenant.id, apiKey);
    if (outcome === 'revoked') log.warn('the configured API key was revoked; it stays revoked');
  }
  return {
    apiKey,
    adminKey: config.adminKey ?? dev?.adminKey,
    development: dev !== undefined,
  };
}

async function loadDevCredentials(dataDir: string): Promise<DevCredentials> {
  const file = path.join(dataDir, 'dev-credentials.json');
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<DevCredentials>;
    if (typeof parsed.apiKey === 'string' && typeof parsed.adminKey === 'string') {
      return { apiKey: parsed.apiKey, adminKey: parsed.adminKey };
    }
  } catch {
    // First start: created below.
  }
  const created = { apiKey: generateApiKey(), adminKey: `admin_${generateApiKey()}` };
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, JSON.stringify(created, null, 2), { mode: 0o600 });
  return created;
}
