import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import {
  RFC3339,
  addDoNotCall,
  campaignIn,
  e164,
  getMessageOk,
  listAll,
  messageRows,
  okBody,
  phone,
  row,
  sendBody,
  sendOk,
  type MessageJson,
} from './support/message-fixtures';

const h = useHarness('messages-read');
const { call } = h;

async function sendMany(campaignId: string, count: number, series = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await sendOk(call, sendBody(campaignId, phone(i, series)))).message_id);
  return ids;
}

describe('GetMessage', () => {
  it('unknown, non-UUID and empty ids', async () => {
    expectTwirpError(await call('GetMessage', { message_id: randomUUID() }), { status: 404, code: 'not_found' });
    expectTwirpError(await call('GetMessage', { message_id: 'msg-1' }), { status: 404, code: 'not_found' });
    expectTwirpError(await call('GetMessage', { message_id: '' }), { status: 400, code: 'invalid_argument', argument: 'message_id' });
  });

  it('accepts the id in upper case', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(1, 1)));
    expect((await getMessageOk(call, sent.message_id.toUpperCase())).message_id).toBe(sent.message_id);
  });
});

describe('ListMessages', () => {
  it('lists oldest first, with the same fields as GetMessage apart from the attempt history', async () => {
    const campaignId = await campaignIn(call, h.db);
    const ids = await sendMany(campaignId, 5);
    const page = okBody(await call('ListMessages', { campaign_id: campaignId }));
    expect(page.next_page_token).toBe('');
    expect(page.messages.map((m: MessageJson) => m.message_id)).toEqual(ids);
    expect(page.messages.map((m: MessageJson) => m.phone_number)).toEqual(ids.map((_, i) => e164(phone(i))));
    const got = await getMessageOk(call, ids[2]!);
    expect(page.messages[2]).toEqual({ ...got, attempts: [] });
    const created = page.messages.map((m: MessageJson) => Date.parse(m.created_at));
    expect(created).toEqual([...created].sort((x, y) => x - y));
  });

  it('filters by status', async () => {
    const campaignId = await campaignIn(call, h.db);
    const ids = await sendMany(campaignId, 6, 1);
    for (const id of [ids[1]!, ids[4]!]) okBody(await call('CancelMessage', { message_id: id }));
    await sql`update messages set status = 'DISPATCHED', attempt_count = 1 where id = ${ids[2]!}`.execute(h.db);
    const list = async (status: unknown): Promise<string[]> =>
      (okBody(await call('ListMessages', { campaign_id: campaignId, status })).messages as MessageJson[]).map((m) => m.message_id);
    expect(await list(['FAILED'])).toEqual([ids[1], ids[4]]);
    expect(await list(['QUEUED'])).toEqual([ids[0], ids[3], ids[5]]);
    expect(await list(['DISPATCHED'])).toEqual([ids[2]]);
    expect(await list(['QUEUED', 'FAILED'])).toEqual([ids[0], ids[1], ids[3], ids[4], ids[5]]);
    expect(await list(['SUCCEEDED'])).toEqual([]);
    expect(await list([])).toEqual(ids);
    expectTwirpError(await call('ListMessages', { campaign_id: campaignId, status: ['DONE'] }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'status[0]',
    });
  });

  it('pages over more than 100 messages with an opaque cursor, each exactly once', async () => {
    const campaignId = await campaignIn(call, h.db);
    const rows = Array.from({ length: 250 }, (_, i) => row(phone(i, 2)));
    expect(okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: rows })).accepted).toBe(250);
    const inDb = (await messageRows(h.db, campaignId)).map((r) => r.id);

    for (const pageSize of [0, 7, 100, 1_000]) {
      const seen: string[] = [];
      let token = '';
      let pages = 0;
      do {
        const page = okBody(await call('ListMessages', { campaign_id: campaignId, page_size: pageSize, page_token: token }));
        expect(page.messages.length).toBeLessThanOrEqual(pageSize === 0 ? 50 : Math.min(pageSize, 100));
        seen.push(...page.messages.map((m: MessageJson) => m.message_id));
        token = page.next_page_token;
        if (token !== '') expect(token).not.toMatch(/^\d+$/);
        pages += 1;
      } while (token !== '' && pages < 100);
      expect({ pageSize, count: seen.length, unique: new Set(seen).size }).toEqual({ pageSize, count: 250, unique: 250 });
      expect(seen).toEqual(inDb);
    }
  });

  it('returns every message that existed when paging began exactly once while others are added', async () => {
    const campaignId = await campaignIn(call, h.db);
    const before = await sendMany(campaignId, 30, 3);
    const seen: string[] = [];
    let token = '';
    let added = 0;
    do {
      const page = okBody(await call('ListMessages', { campaign_id: campaignId, page_size: 7, page_token: token }));
      seen.push(...page.messages.map((m: MessageJson) => m.message_id));
      token = page.next_page_token;
      await sendOk(call, sendBody(campaignId, phone(100 + added++, 3)));
    } while (token !== '');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, before.length)).toEqual(before);
  });

  it('pages within a status filter', async () => {
    const campaignId = await campaignIn(call, h.db);
    await addDoNotCall(h.db, h.tenantId, Array.from({ length: 120 }, (_, i) => phone(i * 2, 4)));
    const rows = Array.from({ length: 240 }, (_, i) => row(phone(i, 4)));
    expect(okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: rows }))).toMatchObject({ accepted: 120, suppressed: 120 });
    const failed = await listAll(call, campaignId, { status: ['FAILED'] });
    expect(failed).toHaveLength(120);
    expect(failed.every((m) => m.status === 'FAILED' && m.disposition === 'OPTED_OUT')).toBe(true);
    expect(new Set(failed.map((m) => m.message_id)).size).toBe(120);
  });

  it('refuses a token it did not issue', async () => {
    const campaignId = await campaignIn(call, h.db);
    const campaigns = okBody(await call('ListCampaigns', { page_size: 1 }));
    for (const token of ['garbage', '!!!', 'bWVzc2FnZXM6LTE', Buffer.from('messages:abc').toString('base64url'), campaigns.next_page_token || 'x']) {
      expectTwirpError(await call('ListMessages', { campaign_id: campaignId, page_token: token }), {
        status: 400,
        code: 'invalid_argument',
        argument: 'page_token',
      });
    }
  });

  it('requires campaign_id; an unknown campaign is not_found', async () => {
    expectTwirpError(await call('ListMessages', {}), { status: 400, code: 'invalid_argument', argument: 'campaign_id' });
    expectTwirpError(await call('ListMessages', { campaign_id: randomUUID() }), { status: 404, code: 'not_found' });
    expectTwirpError(await call('ListMessages', { campaign_id: 'abc' }), { status: 404, code: 'not_found' });
  });

  it('an empty campaign lists nothing', async () => {
    const campaignId = await campaignIn(call, h.db);
    expect(okBody(await call('ListMessages', { campaign_id: campaignId }))).toEqual({ messages: [], next_page_token: '' });
  });
});

describe('CancelMessage', () => {
  it('a QUEUED message ends FAILED/CANCELLED, and GetMessage agrees', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(1, 5), { ScheduledAt: { Time: '2099-01-01T00:00:00Z' } }));
    const before = await getMessageOk(call, sent.message_id);
    const cancelled = okBody(await call('CancelMessage', { message_id: sent.message_id }));
    expect(cancelled).toMatchObject({
      message_id: sent.message_id,
      status: 'FAILED',
      disposition: 'CANCELLED',
      next_attempt_at: '',
      updated_at: expect.stringMatching(RFC3339),
    });
    expect(Date.parse(cancelled.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    expect(await getMessageOk(call, sent.message_id)).toEqual(cancelled);
    expect(await messageRows(h.db, campaignId)).toEqual([expect.objectContaining({ status: 'FAILED', disposition: 'CANCELLED' })]);
  });

  it.each([
    ['FAILED (cancelled)', `status = 'FAILED', disposition = 'CANCELLED'`],
    ['FAILED (opted out)', `status = 'FAILED', disposition = 'OPTED_OUT'`],
    ['DISPATCHED', `status = 'DISPATCHED', attempt_count = 1`],
    ['SUCCEEDED', `status = 'SUCCEEDED', disposition = 'COMPLETED', attempt_count = 1`],
  ])('a %s message → 412 failed_precondition, unchanged', async (_, set) => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(2, 5)));
    await sql`update messages set ${sql.raw(set)} where id = ${sent.message_id}`.execute(h.db);
    const before = await getMessageOk(call, sent.message_id);
    expectTwirpError(await call('CancelMessage', { message_id: sent.message_id }), { status: 412, code: 'failed_precondition' });
    expect(await getMessageOk(call, sent.message_id)).toEqual(before);
  });

  it('cancelling twice: the second answers failed_precondition', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(3, 5)));
    okBody(await call('CancelMessage', { message_id: sent.message_id }));
    expectTwirpError(await call('CancelMessage', { message_id: sent.message_id }), { status: 412, code: 'failed_precondition' });
  });

  it('10 simultaneous cancels of one message: exactly one succeeds', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(4, 5)));
    const results = await Promise.all(Array.from({ length: 10 }, () => call('CancelMessage', { message_id: sent.message_id })));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(412)]);
  });

  it('unknown, non-UUID and empty ids', async () => {
    expectTwirpError(await call('CancelMessage', { message_id: randomUUID() }), { status: 404, code: 'not_found' });
    expectTwirpError(await call('CancelMessage', { message_id: 'nope' }), { status: 404, code: 'not_found' });
    expectTwirpError(await call('CancelMessage', {}), { status: 400, code: 'invalid_argument', argument: 'message_id' });
  });
});
