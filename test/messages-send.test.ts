import { sql } from 'kysely';
import { expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import {
  RFC3339,
  UUID,
  campaignIn,
  e164,
  getMessageOk,
  messageRows,
  okBody,
  phone,
  sendBody,
  sendOk,
  type CampaignState,
} from './support/message-fixtures';
import { rpc } from './support/rpc';

const h = useHarness('messages-send');
const { call } = h;

/** The request of DESIGN.md §1, word for word apart from the ids and the callback host. */
function designRequest(campaignId: string): Record<string, unknown> {
  return {
    CampaignID: campaignId,
    To: { PhoneNumber: '918123002929' },
    Variables: { customer_id: 'c1' },
    Callback: { URL: 'https://hooks.example.com/outreach/callback', State: { order_id: '12345' } },
    ScheduledAt: { Time: '2026-03-04T11:52:30+05:30', BypassCallingWindow: true },
    AllowDuplicates: false,
  };
}

describe('SendMessage as the established API sends it', () => {
  it('accepts the DESIGN.md request verbatim on /api/v1/Campaign/SendMessage with the bare key header', async () => {
    const campaignId = await campaignIn(call, h.db);
    const res = await rpc(h.url, 'Campaign', 'SendMessage', designRequest(campaignId), {
      route: 'compat',
      authorization: h.apiKey,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      message_id: expect.stringMatching(UUID),
      status: 'QUEUED',
      disposition: 'DISPOSITION_UNSPECIFIED',
      replayed: false,
    });
    const rows = await messageRows(h.db, campaignId);
    expect(rows).toEqual([expect.objectContaining({ id: res.body.message_id, phone_number: '+918123002929', status: 'QUEUED' })]);
  });

  it('GetMessage returns every DESIGN.md field as stored', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, designRequest(campaignId));
    const message = await getMessageOk(call, sent.message_id);
    expect(message).toMatchObject({
      message_id: sent.message_id,
      campaign_id: campaignId,
      phone_number: '+918123002929',
      variables: { customer_id: 'c1' },
      callback: { url: 'https://hooks.example.com/outreach/callback', state: { order_id: '12345' } },
      scheduled_at: expect.stringMatching(RFC3339),
      bypass_calling_window: true,
      status: 'QUEUED',
      attempt_count: 0,
      next_attempt_at: expect.stringMatching(RFC3339),
      attempts: [],
      created_at: expect.stringMatching(RFC3339),
      updated_at: expect.stringMatching(RFC3339),
    });
    expect(message.disposition).toBe('DISPOSITION_UNSPECIFIED');
    expect(new Date(message.scheduled_at).toISOString()).toBe('2026-03-04T06:22:30.000Z');
    expect(new Date(message.next_attempt_at).getTime()).toBe(new Date(message.scheduled_at).getTime());
    expect(Date.parse(message.updated_at)).toBeGreaterThanOrEqual(Date.parse(message.created_at));
  });

  it('accepts the same request in snake_case on the twirp route', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, {
      campaign_id: campaignId,
      to: { phone_number: '+918123002929' },
      variables: { customer_id: 'c2' },
      callback: { url: 'https://hooks.example.com/snake', state: { order_id: '777' } },
      scheduled_at: { time: '2026-03-04T06:22:30Z', bypass_calling_window: true },
      allow_duplicates: false,
      external_id: 'snake-1',
    });
    expect(sent).toMatchObject({ message_id: expect.stringMatching(UUID), status: 'QUEUED', replayed: false });
    const message = await getMessageOk(call, sent.message_id);
    expect(message).toMatchObject({
      phone_number: '+918123002929',
      variables: { customer_id: 'c2' },
      callback: { url: 'https://hooks.example.com/snake', state: { order_id: '777' } },
      bypass_calling_window: true,
      external_id: 'snake-1',
    });
    expect(new Date(message.scheduled_at).toISOString()).toBe('2026-03-04T06:22:30.000Z');
  });

  it('round-trips a nested Callback.State verbatim', async () => {
    const campaignId = await campaignIn(call, h.db);
    const state = {
      order: { id: 'o-1', lines: [{ sku: 'A', qty: 2, price: 19.99 }, { sku: 'B', qty: 0, price: -1.5e3 }] },
      flags: [true, false, null],
      empty: {},
      none: null,
      nested: [[], [[1, 2], { deep: 'x' }]],
      text: 'नमस्ते — ünïcødé 🎉 "quoted" \\ back\nline',
      big: 123456789012,
      zero: 0,
    };
    const sent = await sendOk(call, sendBody(campaignId, phone(1), { Callback: { State: state } }));
    const message = await getMessageOk(call, sent.message_id);
    expect(message.callback.state).toEqual(state);
    const asStored = await sql<{ callback_state: unknown }>`select callback_state from messages where id = ${sent.message_id}`.execute(h.db);
    expect(asStored.rows[0]?.callback_state).toEqual(state);
  });

  it.each([
    ['a string', 'just text'],
    ['a number', 42.5],
    ['a list', [1, 'two', { three: 3 }]],
    ['true', true],
  ])('round-trips a Callback.State that is %s', async (_, state) => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(2), { Callback: { URL: 'https://hooks.example.com/s', State: state } }));
    expect((await getMessageOk(call, sent.message_id)).callback).toEqual({ url: 'https://hooks.example.com/s', state });
  });

  it('stores numbers written with or without "+" and with spaces as the same E.164 number', async () => {
    const campaignId = await campaignIn(call, h.db);
    const forms = ['918123002929', '+918123002929', '+91 81230 02929', ' 91 8123 002929 ', '+91-81230-02929'];
    const ids: string[] = [];
    for (const form of forms) {
      const sent = await sendOk(call, sendBody(campaignId, form, { AllowDuplicates: true }));
      ids.push(sent.message_id);
      expect((await getMessageOk(call, sent.message_id)).phone_number).toBe('+918123002929');
    }
    const rows = await messageRows(h.db, campaignId);
    expect(rows.map((r) => [r.id, r.phone_number])).toEqual(ids.map((id) => [id, '+918123002929']));
  });

  it('stores Variables, an absent Callback and a false BypassCallingWindow', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(3), { Variables: { name: 'Asha', amount: '1,200.00', empty: '' } }));
    const message = await getMessageOk(call, sent.message_id);
    expect(message.variables).toEqual({ name: 'Asha', amount: '1,200.00', empty: '' });
    expect(message.bypass_calling_window).toBe(false);
    expect(message.callback?.url ?? '').toBe('');
    expect(message.external_id).toBe('');
  });
});

describe('ScheduledAt.Time', () => {
  async function scheduledAt(campaignId: string, number: string, time: string | undefined): Promise<MessageJsonTime> {
    const extra = time === undefined ? {} : { ScheduledAt: { Time: time } };
    const sent = await sendOk(call, sendBody(campaignId, number, extra));
    const message = await getMessageOk(call, sent.message_id);
    return { scheduled: Date.parse(message.scheduled_at), next: Date.parse(message.next_attempt_at), message };
  }
  type MessageJsonTime = { scheduled: number; next: number; message: Record<string, any> };

  it('lands Z, +05:30 and no offset (campaign timezone Asia/Kolkata) on the same instant', async () => {
    const campaignId = await campaignIn(call, h.db, 'DRAFT', { timezone: 'Asia/Kolkata' });
    const expected = Date.parse('2026-03-04T06:22:30Z');
    const forms = ['2026-03-04T06:22:30Z', '2026-03-04T11:52:30+05:30', '2026-03-04T11:52:30', '2026-03-04T01:22:30-05:00'];
    for (const [i, form] of forms.entries()) {
      const { scheduled, next } = await scheduledAt(campaignId, phone(10 + i), form);
      expect({ form, scheduled, next }).toEqual({ form, scheduled: expected, next: expected });
    }
  });

  it('reads a time without offset in the campaign timezone, not in UTC (America/New_York, DST-aware)', async () => {
    const campaignId = await campaignIn(call, h.db, 'DRAFT', { timezone: 'America/New_York' });
    const winter = await scheduledAt(campaignId, phone(20), '2026-03-04T01:22:30');
    expect(new Date(winter.scheduled).toISOString()).toBe('2026-03-04T06:22:30.000Z');
    const summer = await scheduledAt(campaignId, phone(21), '2026-07-04T09:00:00');
    expect(new Date(summer.scheduled).toISOString()).toBe('2026-07-04T13:00:00.000Z');
  });

  it('a local time that does not exist (spring forward) or exists twice (fall back) is accepted, not crashed on', async () => {
    const campaignId = await campaignIn(call, h.db, 'DRAFT', { timezone: 'America/New_York' });
    const gap = await scheduledAt(campaignId, phone(22), '2026-03-08T02:30:00');
    // 02:30 does not exist that night: 01:30 EST (06:30Z) is before it, 03:30 EDT (07:30Z) after it.
    expect([Date.parse('2026-03-08T06:30:00Z'), Date.parse('2026-03-08T07:30:00Z')]).toContain(gap.scheduled);
    const overlap = await scheduledAt(campaignId, phone(23), '2026-11-01T01:30:00');
    // 01:30 happens twice: 05:30Z (EDT) and 06:30Z (EST).
    expect([Date.parse('2026-11-01T05:30:00Z'), Date.parse('2026-11-01T06:30:00Z')]).toContain(overlap.scheduled);
  });

  it('omitted means now', async () => {
    const campaignId = await campaignIn(call, h.db);
    const before = Date.now();
    const { scheduled, next } = await scheduledAt(campaignId, phone(30), undefined);
    const after = Date.now();
    expect(scheduled).toBeGreaterThanOrEqual(before - 2_000);
    expect(scheduled).toBeLessThanOrEqual(after + 2_000);
    expect(next).toBe(scheduled);
  });

  it('accepts a time in the past: the message is queued and due at once', async () => {
    const campaignId = await campaignIn(call, h.db);
    const { next, message } = await scheduledAt(campaignId, phone(31), '2020-01-01T00:00:00Z');
    expect(message.status).toBe('QUEUED');
    expect(next).toBeLessThanOrEqual(Date.now() + 2_000);
  });

  it('accepts BypassCallingWindow without a Time (now)', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(32), { ScheduledAt: { BypassCallingWindow: true } }));
    const message = await getMessageOk(call, sent.message_id);
    expect(message.bypass_calling_window).toBe(true);
    expect(Math.abs(Date.parse(message.scheduled_at) - Date.now())).toBeLessThan(10_000);
  });
});

describe('SendMessage and the campaign lifecycle', () => {
  it.each<CampaignState>(['DRAFT', 'RUNNING', 'PAUSED'])('a %s campaign accepts and holds the message as QUEUED', async (state) => {
    const campaignId = await campaignIn(call, h.db, state);
    // Far in the future, so that no dialer could touch it while the test looks.
    const sent = await sendOk(call, sendBody(campaignId, phone(40), { ScheduledAt: { Time: '2099-01-01T00:00:00Z' } }));
    expect(sent.status).toBe('QUEUED');
    expect((await getMessageOk(call, sent.message_id)).status).toBe('QUEUED');
  });

  it.each<CampaignState>(['COMPLETED', 'CANCELLED'])('a %s campaign refuses with 412 failed_precondition and writes nothing', async (state) => {
    const campaignId = await campaignIn(call, h.db, state);
    const res = await call('SendMessage', sendBody(campaignId, phone(41)));
    expectTwirpError(res, { status: 412, code: 'failed_precondition' });
    expect(await messageRows(h.db, campaignId)).toEqual([]);
  });

  it('a message with an external id to a finished campaign is refused too', async () => {
    const campaignId = await campaignIn(call, h.db, 'CANCELLED');
    const res = await call('SendMessage', sendBody(campaignId, phone(42), { ExternalID: 'late-1' }));
    expectTwirpError(res, { status: 412, code: 'failed_precondition' });
  });

  it('answers on the compat route with the Token header form as well', async () => {
    const campaignId = await campaignIn(call, h.db);
    const res = await rpc(h.url, 'Campaign', 'SendMessage', sendBody(campaignId, e164(phone(43))), {
      route: 'compat',
      authorization: `Token ${h.apiKey}`,
    });
    expect(okBody(res).status).toBe('QUEUED');
  });
});
