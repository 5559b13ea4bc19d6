import { createTestDatabase, type TestDatabase } from './support/database';
import { rpc } from './support/rpc';
import { createTestTenant, startTestServer, type TestServer } from './support/server';

let database: TestDatabase;
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  ({ apiKey } = await createTestTenant(database.db, 'smoke'));
});

afterAll(async () => {
  await server.close();
  await database.drop();
});

it('creates and reads back a campaign over real HTTP', async () => {
  const created = await rpc(server.url, 'Campaign', 'CreateCampaign', {
    name: 'smoke',
    assistant_id: 'a1',
    phone_number_id: '+14155550100',
    timezone: 'America/New_York',
  }, { key: apiKey });
  expect(created.status).toBe(200);
  const got = await rpc(server.url, 'Campaign', 'GetCampaign', { campaign_id: created.body.campaign_id }, { key: apiKey });
  expect(got.body).toEqual(created.body);
});
