import {
  callOk,
  campaignCaller,
  createOk,
  establishedApiBody,
  expectTwirpError,
  type CampaignJson,
} from './support/campaign-fixtures';
import { insertProfile } from './support/business-hours-fixtures';
import { useHarness } from './support/harness';
import { createTestTenant } from './support/server';

const h = useHarness('update');
const { call } = h;

let created = 0;

/** A fresh DRAFT campaign with the rich settings of the established API body, plus `overrides`. */
async function newCampaign(overrides: Record<string, unknown> = {}): Promise<CampaignJson> {
  return createOk(call, { ...establishedApiBody(`update ${++created}`), ...overrides });
}

const update = (campaignId: string, patch: Record<string, unknown>) =>
  call('UpdateCampaign', { campaign_id: campaignId, ...patch });

async function updateOk(campaignId: string, patch: Record<string, unknown>): Promise<CampaignJson> {
  return callOk(call, 'UpdateCampaign', { campaign_id: campaignId, ...patch });
}

async function get(campaignId: string): Promise<CampaignJson> {
  return callOk(call, 'GetCampaign', { campaign_id: campaignId });
}

describe('UpdateCampaign without update_mask', () => {
  it('changes the present fields and nothing else', async () => {
    const before = await newCampaign();
    const after = await updateOk(before.campaign_id, {
      ring_duration_seconds: 20,
      webhook_url: 'https://hooks.example.com/v2',
      days_of_week: ['SUNDAY', 'MONDAY'],
    });
    expect(after).toEqual({
      ...before,
      ring_duration_seconds: 20,
      webhook_url: 'https://hooks.example.com/v2',
      days_of_week: ['MONDAY', 'SUNDAY'],
      updated_at: expect.any(String),
    });
    expect(await get(before.campaign_id)).toEqual(after);
  });

  it('keeps lists and maps that arrive empty (an empty list is "not given")', async () => {
    const before = await newCampaign();
    const after = await updateOk(before.campaign_id, {
      retry_scenarios: [],
      retry_delays: {},
      days_of_week: [],
      phone_number_pool: [],
    });
    expect(after).toEqual({ ...before, updated_at: expect.any(String) });
  });

  it('normalises changed values as create does', async () => {
    const before = await newCampaign();
    const after = await updateOk(before.campaign_id, {
      phone_number_id: '14155550100',
      daily_start_time: '08:00',
      daily_end_time: '20:00',
    });
    expect(after).toMatchObject({ phone_number_id: '+14155550100', daily_start_time: '08:00:00', daily_end_time: '20:00:00' });
  });

  it('clears end_date and webhook_url with an empty string and keeps start_date', async () => {
    const before = await newCampaign();
    expect(before.end_date).not.toBe('');
    expect(before.webhook_url).not.toBe('');
    const after = await updateOk(before.campaign_id, { end_date: '', webhook_url: '' });
    expect(after).toMatchObject({ end_date: '', webhook_url: '', start_date: before.start_date });
    expect(await get(before.campaign_id)).toMatchObject({ end_date: '', webhook_url: '' });
  });

  it('returns from a business-hours profile to a daily window when the profile is cleared', async () => {
    const before = await newCampaign({
      daily_start_time: undefined,
      daily_end_time: undefined,
      business_hours_profile_id: await insertProfile(h.db, h.tenantId, 'update: cleared profile'),
    });
    const after = await updateOk(before.campaign_id, {
      business_hours_profile_id: '',
      daily_start_time: '10:00',
      daily_end_time: '16:00',
    });
    expect(after).toMatchObject({ business_hours_profile_id: '', daily_start_time: '10:00:00', daily_end_time: '16:00:00' });
  });

  it('moves updated_at forward and keeps created_at', async () => {
    const before = await newCampaign();
    const first = await updateOk(before.campaign_id, { max_concurrent_calls: 11 });
    const second = await updateOk(before.campaign_id, { max_concurrent_calls: 12 });
    expect(Date.parse(first.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    expect(Date.parse(second.updated_at)).toBeGreaterThan(Date.parse(first.updated_at));
    expect(second.created_at).toBe(before.created_at);
  });

  it('serialises concurrent updates of different fields: none is lost', async () => {
    const before = await newCampaign();
    const patches = [
      { ring_duration_seconds: 16 },
      { max_concurrent_calls: 99 },
      { max_daily_attempts: 3 },
      { assistant_id: 'asst_new' },
      { dnd_action: 'RESCHEDULE' },
      { recipient_local_time: false },
    ];
    const responses = await Promise.all(patches.map((patch) => update(before.campaign_id, patch)));
    expect(responses.map((r) => r.status)).toEqual(patches.map(() => 200));
    expect(await get(before.campaign_id)).toMatchObject(Object.assign({}, ...patches));
  });
});

describe('UpdateCampaign with update_mask', () => {
  it('clears retry_scenarios when update_mask names it', async () => {
    const before = await newCampaign();
    expect(before.retry_scenarios).not.toEqual([]);
    const after = await updateOk(before.campaign_id, { update_mask: ['retry_scenarios'] });
    expect(after).toEqual({ ...before, retry_scenarios: [], updated_at: expect.any(String) });
    expect((await get(before.campaign_id)).retry_scenarios).toEqual([]);
  });

  it('clears retry_delays when update_mask names it', async () => {
    const before = await newCampaign();
    const after = await updateOk(before.campaign_id, { update_mask: ['retry_delays'] });
    expect(after.retry_delays).toEqual({});
  });

  it('writes exactly the masked fields, ignoring present ones it does not name', async () => {
    const before = await newCampaign();
    const after = await updateOk(before.campaign_id, {
      update_mask: ['ring_duration_seconds'],
      ring_duration_seconds: 18,
      max_call_attempts: 9,
      name: 'not written',
    });
    expect(after).toEqual({ ...before, ring_duration_seconds: 18, updated_at: expect.any(String) });
  });

  it('resets a masked but absent setting to its default', async () => {
    const before = await newCampaign();
    const after = await updateOk(before.campaign_id, { update_mask: ['ring_duration_seconds', 'max_concurrent_calls'] });
    expect(after).toMatchObject({ ring_duration_seconds: 30, max_concurrent_calls: 10 });
  });

  it('refuses a mask that names no campaign setting', async () => {
    const before = await newCampaign();
    const res = await update(before.campaign_id, { update_mask: ['ring_duration'], ring_duration_seconds: 20 });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'update_mask' });
  });
});

describe('UpdateCampaign validates the merged settings', () => {
  /** Where a cross-field rule breaks, either field involved is a fair `meta.argument`. */
  it.each<[string, readonly string[], Record<string, unknown>, Record<string, unknown>]>([
    [
      'min_gap raised above an existing retry delay',
      ['min_gap_between_attempts', 'retry_delays.BUSY'],
      { min_gap_between_attempts: 5, retry_delays: { BUSY: 10 } },
      { min_gap_between_attempts: 15 },
    ],
    ['a retry delay below the existing gap', ['retry_delays.NO_ANSWER'], {}, { retry_delays: { NO_ANSWER: 14 } }],
    ['end_date before the existing start_date', ['end_date'], {}, { end_date: '2026-02-28' }],
    ['start_date after the existing end_date', ['start_date', 'end_date'], {}, { start_date: '2026-04-01' }],
    ['daily_end_time before the existing start', ['daily_end_time'], {}, { daily_end_time: '09:00' }],
    [
      'WAIT_SECONDS on a campaign without a delay',
      ['start_delay_seconds'],
      { start_logic: 'START_IMMEDIATELY', start_delay_seconds: undefined },
      { start_logic: 'WAIT_SECONDS' },
    ],
    ['POOL on a campaign without a pool', ['phone_number_pool'], { phone_number_pool: undefined }, { dialer_type: 'POOL' }],
    [
      'a profile beside the existing daily window',
      ['business_hours_profile_id'],
      {},
      { business_hours_profile_id: '0b9a3f0e-5d7c-4e0b-9c61-3f1a2b4c5d6e' },
    ],
    ['an empty name', ['name'], {}, { name: '' }],
    ['ring 31', ['ring_duration_seconds'], {}, { ring_duration_seconds: 31 }],
    ['a zone that is not IANA', ['timezone'], {}, { timezone: 'Europe/Atlantis' }],
    ['12 attempts', ['max_call_attempts'], {}, { max_call_attempts: 12 }],
    ['a bad webhook_url', ['webhook_url'], {}, { webhook_url: 'mailto:ops@example.com' }],
    ['emptying days_of_week through the mask', ['days_of_week'], {}, { update_mask: ['days_of_week'] }],
  ])('%s → 400 invalid_argument, nothing written', async (_label, arguments_, createWith, patch) => {
    const before = await newCampaign(createWith);
    const res = await update(before.campaign_id, patch);
    expectTwirpError(res, { status: 400, code: 'invalid_argument' });
    expect(arguments_).toContain(res.body.meta?.argument);
    expect(await get(before.campaign_id)).toEqual(before);
  });
});

describe('UpdateCampaign immutable and status-bound fields', () => {
  it.each<[string, string | number]>([
    ['channel', 'SMS'],
    ['channel', 'WHATSAPP'],
    ['type', 7],
  ])('refuses to change %s (to %s), naming it', async (field, value) => {
    const before = await newCampaign();
    const res = await update(before.campaign_id, { [field]: value });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: field });
    expect(await get(before.campaign_id)).toEqual(before);
  });

  it('accepts type and channel when they equal the stored ones', async () => {
    const before = await newCampaign();
    const after = await updateOk(before.campaign_id, { type: 'OUTBOUND', channel: 'VOICE', max_call_attempts: 2 });
    expect(after).toMatchObject({ type: 'OUTBOUND', channel: 'VOICE', max_call_attempts: 2 });
  });

  it('changes trigger while the campaign is a DRAFT', async () => {
    const before = await newCampaign({ trigger: 'API' });
    expect((await updateOk(before.campaign_id, { trigger: 'BULK' })).trigger).toBe('BULK');
    expect((await updateOk(before.campaign_id, { trigger: 'API' })).trigger).toBe('API');
  });

  it.each([
    ['RUNNING', ['StartCampaign']],
    ['PAUSED', ['StartCampaign', 'PauseCampaign']],
  ])('refuses a trigger change once %s, naming trigger, but changes other settings', async (status, steps) => {
    const before = await newCampaign({ trigger: 'BULK' });
    for (const step of steps) await callOk(call, step, { campaign_id: before.campaign_id });
    const res = await update(before.campaign_id, { trigger: 'API' });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'trigger' });
    expect(res.body.msg).toContain(status);
    const same = await updateOk(before.campaign_id, { trigger: 'BULK', ring_duration_seconds: 22 });
    expect(same).toMatchObject({ status, trigger: 'BULK', ring_duration_seconds: 22 });
  });
});

describe('UpdateCampaign names', () => {
  it('refuses a name another campaign of the tenant uses, whatever its case (409 naming name)', async () => {
    const taken = await newCampaign({ name: 'Holi Sale' });
    const other = await newCampaign();
    const res = await update(other.campaign_id, { name: 'HOLI SALE' });
    expectTwirpError(res, { status: 409, code: 'already_exists', argument: 'name' });
    expect((await get(other.campaign_id)).name).toBe(other.name);
    expect((await get(taken.campaign_id)).name).toBe('Holi Sale');
  });

  it('lets a campaign change the case of its own name', async () => {
    const before = await newCampaign({ name: 'Eid Greetings' });
    expect((await updateOk(before.campaign_id, { name: 'EID GREETINGS' })).name).toBe('EID GREETINGS');
  });

  it('two concurrent renames to one free name: one 200, one 409, never a 500', async () => {
    const a = await newCampaign();
    const b = await newCampaign();
    const responses = await Promise.all([a, b].map((c) => update(c.campaign_id, { name: 'Pongal' })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = responses.find((r) => r.status === 409);
    if (loser !== undefined) expectTwirpError(loser, { status: 409, code: 'already_exists', argument: 'name' });
  });
});

describe('UpdateCampaign of a campaign it cannot change', () => {
  it('answers 412 failed_precondition for a CANCELLED campaign and writes nothing', async () => {
    const before = await newCampaign();
    const cancelled = await callOk(call, 'CancelCampaign', { campaign_id: before.campaign_id });
    const res = await update(before.campaign_id, { ring_duration_seconds: 20 });
    expectTwirpError(res, { status: 412, code: 'failed_precondition' });
    expect(res.body.msg).toContain('CANCELLED');
    expect(await get(before.campaign_id)).toEqual(cancelled);
  });

  it.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['an id that is not a UUID', 'not-a-campaign'],
  ])('answers 404 not_found for %s', async (_label, campaignId) => {
    expectTwirpError(await update(campaignId, { ring_duration_seconds: 20 }), { status: 404, code: 'not_found' });
  });

  it("answers 404 for another tenant's campaign and leaves it alone", async () => {
    const before = await newCampaign();
    const stranger = campaignCaller(h.url, (await createTestTenant(h.db, 'update-stranger')).apiKey);
    const res = await stranger('UpdateCampaign', { campaign_id: before.campaign_id, ring_duration_seconds: 20 });
    expectTwirpError(res, { status: 404, code: 'not_found' });
    expect(await get(before.campaign_id)).toEqual(before);
  });

  it('answers invalid_argument naming campaign_id when it is missing', async () => {
    expectTwirpError(await call('UpdateCampaign', { ring_duration_seconds: 20 }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'campaign_id',
    });
  });
});
