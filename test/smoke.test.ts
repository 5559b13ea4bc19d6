import { useHarness } from './support/harness';
import { rpc } from './support/rpc';

const h = useHarness('smoke');

it('creates and reads back a campaign over real HTTP', async () => {
  const created = await rpc(h.url, 'Campaign', 'CreateCampaign', {
    name: 'smoke',
    assistant_id: 'a1',
    phone_number_id: '+14155550100',
    timezone: 'America/New_York',
  }, { key: h.apiKey });
  expect(created.status).toBe(200);
  const got = await rpc(h.url, 'Campaign', 'GetCampaign', { campaign_id: created.body.campaign_id }, { key: h.apiKey });
  expect(got.body).toEqual(created.body);
});
