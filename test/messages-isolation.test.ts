import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { campaignCaller, expectTwirpError, type CampaignCall } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import {
  addDoNotCall,
  campaignIn,
  listAll,
  okBody,
  phone,
  row,
  sendBody,
  sendOk,
  statsOk,
  type MessageJson,
  type StatsTruth,
} from './support/message-fixtures';
import type { RpcResponse } from './support/rpc';
import { createTestTenant } from './support/server';

const h = useHarness('messages-isolation-a');
let callA: CampaignCall;
let callB: CampaignCall;
let tenantB: string;
let campaignA: string;
let queuedA: string;
let cancelledA: string;

/** Everything of tenant A's campaign as the database holds it, to prove B changed nothing. */
async function snapshotA(): Promise<unknown[]> {
  const result = await sql`select * from messages where campaign_id = ${campaignA} order by seq`.execute(h.db);
  return result.rows;
}

beforeAll(async () => {
  callA = campaignCaller(h.url, h.apiKey);
  const b = await createTestTenant(h.db, 'messages-isolation-b');
  tenantB = b.tenantId;
  callB = campaignCaller(h.url, b.apiKey);
  campaignA = await campaignIn(callA, h.db);
  queuedA = (await sendOk(callA, sendBody(campaignA, phone(1), { ExternalID: 'ext-a', Variables: { secret: 'a-only' } }))).message_id;
  cancelledA = (await sendOk(callA, sendBody(campaignA, phone(2)))).message_id;
  okBody(await callA('CancelMessage', { message_id: cancelledA }));
  okBody(await callA('AddRecipients', { campaign_id: campaignA, recipients: [row(phone(3)), row(phone(4))] }));
});

/** B's answer for A's id must be the very answer for an id that does not exist. */
function expectSameAs(foreign: RpcResponse, unknown: RpcResponse, expected: { status: number; code: string; argument?: string }): void {
  expectTwirpError(foreign, expected);
  expect({ status: foreign.status, body: foreign.body }).toEqual({ status: unknown.status, body: unknown.body });
  expect(foreign.text).not.toContain('a-only');
  expect(foreign.text).not.toContain(phone(1));
}

describe('tenant B never reaches tenant A’s messages', () => {
  let before: unknown[];
  let statsBefore: StatsTruth;
  beforeEach(async () => {
    before = await snapshotA();
    statsBefore = await statsOk(callA, campaignA);
  });
  afterEach(async () => {
    expect(await snapshotA()).toEqual(before);
    expect(await statsOk(callA, campaignA)).toEqual(statsBefore);
  });

  it('GetMessage → not_found', async () => {
    for (const id of [queuedA, cancelledA]) {
      expectSameAs(await callB('GetMessage', { message_id: id }), await callB('GetMessage', { message_id: randomUUID() }), {
        status: 404,
        code: 'not_found',
      });
    }
  });

  it('ListMessages → not_found, with and without filters and tokens', async () => {
    const unknown = await callB('ListMessages', { campaign_id: randomUUID() });
    expectSameAs(await callB('ListMessages', { campaign_id: campaignA }), unknown, { status: 404, code: 'not_found' });
    expectSameAs(await callB('ListMessages', { campaign_id: campaignA, status: ['QUEUED'] }), unknown, { status: 404, code: 'not_found' });
    const tokenA = okBody(await callA('ListMessages', { campaign_id: campaignA, page_size: 1 })).next_page_token;
    expect(tokenA).not.toBe('');
    expectSameAs(await callB('ListMessages', { campaign_id: campaignA, page_token: tokenA }), unknown, { status: 404, code: 'not_found' });
  });

  it('CancelMessage → not_found, and A’s message stays QUEUED', async () => {
    expectSameAs(await callB('CancelMessage', { message_id: queuedA }), await callB('CancelMessage', { message_id: randomUUID() }), {
      status: 404,
      code: 'not_found',
    });
    // A cancelled message must not answer failed_precondition either: that would reveal it.
    expectSameAs(await callB('CancelMessage', { message_id: cancelledA }), await callB('CancelMessage', { message_id: randomUUID() }), {
      status: 404,
      code: 'not_found',
    });
  });

  it('GetCampaignStats → not_found', async () => {
    expectSameAs(
      await callB('GetCampaignStats', { campaign_id: campaignA }),
      await callB('GetCampaignStats', { campaign_id: randomUUID() }),
      { status: 404, code: 'not_found' },
    );
  });

  it('SendMessage into A’s campaign → invalid_argument CampaignID, as for an unknown campaign', async () => {
    for (const extra of [{}, { ExternalID: 'ext-a' }, { AllowDuplicates: true }]) {
      expectSameAs(
        await callB('SendMessage', sendBody(campaignA, phone(1), extra)),
        await callB('SendMessage', sendBody(randomUUID(), phone(1), extra)),
        { status: 400, code: 'invalid_argument', argument: 'CampaignID' },
      );
    }
    // Not a 409 about A's queued message, not a replay of A's external id.
  });

  it('AddRecipients into A’s campaign → invalid_argument campaign_id, as for an unknown campaign', async () => {
    const recipients = [row(phone(1)), row(phone(9), { external_id: 'ext-a' })];
    expectSameAs(
      await callB('AddRecipients', { campaign_id: campaignA, recipients }),
      await callB('AddRecipients', { campaign_id: randomUUID(), recipients }),
      { status: 400, code: 'invalid_argument', argument: 'campaign_id' },
    );
  });
});

describe('each tenant’s data stays its own', () => {
  it('the same number and external id in B’s campaign make B’s own message, counted only for B', async () => {
    const campaignB = await campaignIn(callB, h.db);
    const sentB = await sendOk(callB, sendBody(campaignB, phone(1), { ExternalID: 'ext-a' }));
    expect(sentB).toMatchObject({ status: 'QUEUED', replayed: false });
    expect(sentB.message_id).not.toBe(queuedA);
    const listedB = await listAll(callB, campaignB);
    expect(listedB.map((m: MessageJson) => m.message_id)).toEqual([sentB.message_id]);
    expect(await statsOk(callB, campaignB)).toMatchObject({ total: 1, queued: 1 });
    expect((await listAll(callA, campaignA)).map((m: MessageJson) => m.message_id)).not.toContain(sentB.message_id);
    expectTwirpError(await callA('GetMessage', { message_id: sentB.message_id }), { status: 404, code: 'not_found' });
  });

  it('B’s do-not-call list suppresses only B’s messages', async () => {
    await addDoNotCall(h.db, tenantB, [phone(50)]);
    const campaignB = await campaignIn(callB, h.db);
    expect(await sendOk(callB, sendBody(campaignB, phone(50)))).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT' });
    expect(await sendOk(callA, sendBody(campaignA, phone(50)))).toMatchObject({ status: 'QUEUED' });
  });
});
