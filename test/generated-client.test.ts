import { FetchRPC, NodeHttpRPC, TwirpError } from 'twirp-ts';
import { CreateCampaignRequest } from '../generated/outreach/v1/campaign';
import { CampaignClientJSON, CampaignClientProtobuf, type CampaignClient } from '../generated/outreach/v1/campaign.twirp';
import { CampaignInfo_Status } from '../generated/outreach/v1/campaign';
import { createTestDatabase, type TestDatabase } from './support/database';
import { createTestTenant, startTestServer, type TestServer } from './support/server';

/** The generated TypeScript clients, as internal services use them, against the real server. */
let database: TestDatabase;
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  ({ apiKey } = await createTestTenant(database.db, 'generated-clients'));
});

afterAll(async () => {
  await server.close();
  await database.drop();
});

const clients: [string, () => CampaignClient][] = [
  ['JSON over fetch', () => new CampaignClientJSON(FetchRPC({ baseUrl: `${server.url}/twirp`, headers: { authorization: `Bearer ${apiKey}` } }))],
  ['protobuf over node:http', () => new CampaignClientProtobuf(NodeHttpRPC({ baseUrl: `${server.url}/twirp`, headers: { authorization: `Token ${apiKey}` } }))],
];

describe.each(clients)('the generated %s client', (label, make) => {
  it('creates, starts and reads back a campaign', async () => {
    const client = make();
    const created = await client.CreateCampaign(
      CreateCampaignRequest.create({
        name: `client ${label}`,
        assistantId: 'asst_1',
        phoneNumberId: '918123002929',
        timezone: 'Asia/Kolkata',
        maxCallAttempts: 3,
      }),
    );
    expect(created.phoneNumberId).toBe('+918123002929');
    const started = await client.StartCampaign({ campaignId: created.campaignId });
    expect(started.status).toBe(CampaignInfo_Status.RUNNING);
    const listed = await client.ListCampaigns({ status: [CampaignInfo_Status.RUNNING], assistantId: '', pageSize: 10, pageToken: '' });
    expect(listed.campaigns.map((c) => c.campaignId)).toContain(created.campaignId);
  });

  it('surfaces errors as TwirpError with code and meta', async () => {
    const client = make();
    const failure = await client
      .CreateCampaign(CreateCampaignRequest.create({ name: 'x', assistantId: 'a', phoneNumberId: '+14155550100', timezone: 'Nowhere/Land' }))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TwirpError);
    expect((failure as TwirpError).code).toBe('invalid_argument');
    expect((failure as TwirpError).meta).toEqual({ argument: 'timezone' });
  });
});
