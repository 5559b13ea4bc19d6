import { ManualClock } from '../server/shared/clock';
import { expectTwirpError } from './support/campaign-fixtures';
import { createTestDatabase, type TestDatabase } from './support/database';
import { rpc } from './support/rpc';
import { ADMIN_KEY, createTestTenant, startTestServer, type TestServer } from './support/server';

/**
 * Per-key rate limits over real HTTP with a driven clock: a key past its burst gets 429
 * `resource_exhausted` with `meta.retry_after_ms` and `Retry-After`, other keys and the admin key
 * are unaffected, and the allowance refills with time.
 */
let database: TestDatabase;
let server: TestServer;
const clock = new ManualClock(new Date('2027-01-04T10:00:00Z'));

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db, { rateLimit: { perSecond: 2, burst: 3 }, clock });
});

afterAll(async () => {
  await server.close();
  await database.drop();
});

const list = (key: string) => rpc(server.url, 'Campaign', 'ListCampaigns', {}, { key });

it('answers 429 past the burst with a retry hint, per key, and refills with time', async () => {
  const a = await createTestTenant(database.db, 'limited a');
  const b = await createTestTenant(database.db, 'limited b');
  for (let i = 0; i < 3; i++) expect((await list(a.apiKey)).status).toBe(200);

  const refused = await list(a.apiKey);
  expectTwirpError(refused, { status: 429, code: 'resource_exhausted' });
  expect(refused.body.meta).toEqual({ retry_after_ms: '500' });
  expect(refused.headers.get('retry-after')).toBe('1');

  expect((await list(b.apiKey)).status).toBe(200);
  expect((await rpc(server.url, 'Admin', 'CreateTenant', { name: 'admin is not limited' }, { key: ADMIN_KEY })).status).toBe(200);

  clock.set(new Date(clock.now().getTime() + 500));
  expect((await list(a.apiKey)).status).toBe(200);
  expect((await list(a.apiKey)).status).toBe(429);
});
