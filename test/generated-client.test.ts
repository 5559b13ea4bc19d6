import { FetchRPC, NodeHttpRPC, TwirpError } from 'twirp-ts';
import { CreateCampaignRequest } from '../generated/outreach/v1/campaign';
import { CampaignClientJSON, CampaignClientProtobuf, type CampaignClient } from '../generated/outreach/v1/campaign.twirp';
import { CampaignInfo_Status } from '../generated/outreach/v1/campaign';
import { useHarness } from './support/harness';

/** The generated TypeScript clients, as internal services use them, against the real server. */
const h = useHarness('generated-clients');

const clients: [string, () => CampaignClient][] = [
  ['JSON over fetch', () => new CampaignClientJSON(FetchRPC({ baseUrl: `${h.url}/twirp`, headers: { authorization: `Bearer ${h.apiKey}` } }))],
  ['protobuf over node:http', () => new CampaignClientProtobuf(NodeHttpRPC({ baseUrl: `${h.url}/twirp`, headers: { authorization: `Token ${h.apiKey}` } }))],
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
