import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/database';
import { campaignCaller, type CampaignCall } from './campaign-fixtures';
import { createTestDatabase, type TestDatabase } from './database';
import { createTestTenant, startTestServer, type TestServer } from './server';

/** What most test files need: their own database, the real server over it, and one tenant. */
export interface Harness {
  readonly database: TestDatabase;
  readonly db: Kysely<Database>;
  readonly server: TestServer;
  readonly url: string;
  readonly tenantId: string;
  readonly apiKey: string;
  /** The Campaign service as this harness's tenant; usable from module scope (it reads url and key when called). */
  readonly call: CampaignCall;
}

/**
 * Registers `beforeAll`/`afterAll` that set up and tear down a harness for the calling test file;
 * its fields are there from the first test on.
 */
export function useHarness(tenantName: string, serverOptions: Parameters<typeof startTestServer>[1] = {}): Harness {
  const harness = {} as { -readonly [K in keyof Harness]: Harness[K] };
  harness.call = (method, body, options) => campaignCaller(harness.url, harness.apiKey)(method, body, options);
  beforeAll(async () => {
    harness.database = await createTestDatabase();
    harness.db = harness.database.db;
    harness.server = await startTestServer(harness.db, serverOptions);
    harness.url = harness.server.url;
    const tenant = await createTestTenant(harness.db, tenantName);
    harness.tenantId = tenant.tenantId;
    harness.apiKey = tenant.apiKey;
  });
  afterAll(async () => {
    await harness.server?.close();
    await harness.database?.drop();
  });
  return harness;
}
