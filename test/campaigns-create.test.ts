import {
  campaignCaller,
  createOk,
  ESTABLISHED_API_STORED,
  establishedApiBody,
  expectTwirpError,
  minimalCampaign,
  toCamelCase,
  type CampaignCall,
} from './support/campaign-fixtures';
import { insertProfile } from './support/business-hours-fixtures';
import { useHarness } from './support/harness';
import { createTestTenant } from './support/server';

const h = useHarness('create');
const { call } = h;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('CreateCampaign accepts the established API body', () => {
  it('stores every snake_case setting, ignores unknown fields, and returns it as stored', async () => {
    const created = await createOk(call, establishedApiBody('EMI reminders'));
    expect(created).toEqual({
      ...ESTABLISHED_API_STORED,
      campaign_id: expect.stringMatching(UUID),
      name: 'EMI reminders',
      created_at: expect.stringMatching(RFC3339),
      updated_at: expect.stringMatching(RFC3339),
    });
    const got = await call('GetCampaign', { campaign_id: created.campaign_id });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created);
  });

  it('accepts the same body with camelCase (proto3 JSON) names', async () => {
    const body = toCamelCase(establishedApiBody('EMI reminders camel'));
    expect(body).toHaveProperty('assistantId');
    expect(body).toHaveProperty('minGapBetweenAttempts');
    const created = await createOk(call, body);
    expect(created).toMatchObject({ ...ESTABLISHED_API_STORED, name: 'EMI reminders camel' });
  });

  it('accepts the body on the package-less /api/v1/Campaign/ route', async () => {
    const res = await call('CreateCampaign', establishedApiBody('EMI reminders compat'), { route: 'compat' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...ESTABLISHED_API_STORED, name: 'EMI reminders compat' });
  });

  it('normalises a POOL: numbers to E.164 (with or without "+", with spaces), provider ids kept, repeats dropped', async () => {
    const created = await createOk(
      call,
      minimalCampaign('pool normalised', {
        dialer_type: 'POOL',
        phone_number_id: undefined,
        phone_number_pool: ['918123002929', '+91 81230 02929', 'PN_abc.123', '4915112345678'],
      }),
    );
    expect(created.dialer_type).toBe('POOL');
    expect(created.phone_number_pool).toEqual(['+918123002929', 'PN_abc.123', '+4915112345678']);
    expect(created.phone_number_id).toBe('');
  });

  it('accepts a business-hours profile instead of a daily window', async () => {
    const profile = (await insertProfile(h.db, h.tenantId, 'create: with profile')).toUpperCase();
    const created = await createOk(call, minimalCampaign('with profile', { business_hours_profile_id: profile }));
    expect(created).toMatchObject({
      business_hours_profile_id: profile.toLowerCase(),
      daily_start_time: '',
      daily_end_time: '',
    });
  });
});

describe('CreateCampaign defaults', () => {
  it('fills in every documented default when optional settings are omitted', async () => {
    const created = await createOk(call, minimalCampaign('defaults'));
    expect(created).toEqual({
      campaign_id: expect.stringMatching(UUID),
      name: 'defaults',
      status: 'DRAFT',
      type: 'OUTBOUND',
      channel: 'VOICE',
      trigger: 'API',
      assistant_id: 'asst_minimal',
      dialer_type: 'SINGLE',
      phone_number_id: '+14155550100',
      phone_number_pool: [],
      start_logic: 'START_IMMEDIATELY',
      start_delay_seconds: 0,
      ring_duration_seconds: 30,
      timezone: 'America/New_York',
      start_date: '',
      end_date: '',
      days_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'],
      daily_start_time: '',
      daily_end_time: '',
      business_hours_profile_id: '',
      dnd_action: 'RESCHEDULE',
      max_call_attempts: 1,
      max_daily_attempts: 0,
      min_gap_between_attempts: 30,
      retry_scenarios: ['BUSY', 'NO_ANSWER', 'FAILED'],
      retry_delays: {},
      consider_voicemail_as_answered: false,
      max_concurrent_calls: 10,
      recipient_local_time: false,
      webhook_url: '',
      created_at: expect.stringMatching(RFC3339),
      updated_at: expect.stringMatching(RFC3339),
      started_at: '',
      ended_at: '',
    });
  });

  it('treats the *_UNSPECIFIED enum values as omitted', async () => {
    const created = await createOk(
      call,
      minimalCampaign('unspecified enums', {
        type: 'TYPE_UNSPECIFIED',
        channel: 'CHANNEL_UNSPECIFIED',
        trigger: 'TRIGGER_UNSPECIFIED',
        dialer_type: 'DIALER_TYPE_UNSPECIFIED',
        start_logic: 'START_LOGIC_UNSPECIFIED',
        dnd_action: 'DND_ACTION_UNSPECIFIED',
      }),
    );
    expect(created).toMatchObject({
      type: 'OUTBOUND',
      channel: 'VOICE',
      trigger: 'API',
      dialer_type: 'SINGLE',
      start_logic: 'START_IMMEDIATELY',
      dnd_action: 'RESCHEDULE',
    });
  });
});

describe('CreateCampaign accepts the edges of every range', () => {
  const BUSY_10 = { retry_delays: { BUSY: 10 } };
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['ring 15', { ring_duration_seconds: 15 }, { ring_duration_seconds: 15 }],
    ['ring 30', { ring_duration_seconds: 30 }, { ring_duration_seconds: 30 }],
    ['1 attempt', { max_call_attempts: 1 }, { max_call_attempts: 1 }],
    ['11 attempts', { max_call_attempts: 11 }, { max_call_attempts: 11 }],
    ['gap 3', { min_gap_between_attempts: 3 }, { min_gap_between_attempts: 3 }],
    ['delay 1', { start_logic: 'WAIT_SECONDS', start_delay_seconds: 1 }, { start_delay_seconds: 1 }],
    ['delay 5', { start_logic: 'WAIT_SECONDS', start_delay_seconds: 5 }, { start_delay_seconds: 5 }],
    ['a retry delay equal to the gap', { min_gap_between_attempts: 10, ...BUSY_10 }, BUSY_10],
    ['a gap and a retry delay of a week', { min_gap_between_attempts: 10080, retry_delays: { FAILED: 10080 } }, {}],
    ['11 daily attempts', { max_daily_attempts: 11 }, { max_daily_attempts: 11 }],
    ['1000 concurrent calls', { max_concurrent_calls: 1000 }, { max_concurrent_calls: 1000 }],
    ['a window ending at 24:00', { daily_start_time: '00:00', daily_end_time: '24:00' }, { daily_end_time: '24:00:00' }],
    ['dates in the past', { start_date: '2020-01-01', end_date: '2020-01-31' }, { end_date: '2020-01-31' }],
    ['a one-day range on a leap day', { start_date: '2028-02-29', end_date: '2028-02-29' }, { end_date: '2028-02-29' }],
    ['a provider caller id', { phone_number_id: 'PN_7f3c2a' }, { phone_number_id: 'PN_7f3c2a' }],
    ['a 200-character name', { name: 'n'.repeat(200) }, { name: 'n'.repeat(200) }],
  ])('%s', async (label, overrides, stored) => {
    const created = await createOk(call, minimalCampaign(`edge ${label}`, overrides));
    expect(created).toMatchObject(stored);
  });
});

describe('CreateCampaign validation', () => {
  let validationCall: CampaignCall;

  beforeAll(async () => {
    validationCall = campaignCaller(h.url, (await createTestTenant(h.db, 'create-validation')).apiKey);
  });

  const PROFILE = 'a3bb189e-8bf9-3888-9912-ace4e6543002';
  const POOL_OF_101 = Array.from({ length: 101 }, (_, i) => `PN_${i}`);
  const NINE_TO_FIVE = { daily_start_time: '09:00', daily_end_time: '17:00' };
  const window = (start: string | undefined, end: string | undefined) => ({ daily_start_time: start, daily_end_time: end });

  it.each<[string, string, Record<string, unknown>]>([
    ['missing name', 'name', { name: undefined }],
    ['blank name', 'name', { name: '   ' }],
    ['a 201-character name', 'name', { name: 'n'.repeat(201) }],
    ['missing assistant_id', 'assistant_id', { assistant_id: undefined }],
    ['missing timezone', 'timezone', { timezone: undefined }],
    ['a zone that is not IANA', 'timezone', { timezone: 'Mars/Phobos' }],
    ['a misspelt zone', 'timezone', { timezone: 'Asia/Kolkatta' }],
    ['an offset instead of a zone', 'timezone', { timezone: '+05:30' }],
    ['a one-digit hour', 'daily_start_time', window('9:00', '17:00')],
    ['no colon', 'daily_start_time', window('0900', '17:00')],
    ['minute 60', 'daily_start_time', window('09:60', '17:00')],
    ['second 60', 'daily_start_time', window('09:00:60', '17:00')],
    ['a start at 24:00', 'daily_start_time', window('24:00', '24:00')],
    ['an end at 25:00', 'daily_end_time', window('09:00', '25:00')],
    ['a start without an end', 'daily_end_time', window('09:00', undefined)],
    ['an end without a start', 'daily_start_time', window(undefined, '17:00')],
    ['an end before the start', 'daily_end_time', window('18:00', '09:00')],
    ['an end equal to the start', 'daily_end_time', window('09:00', '09:00:00')],
    ['a profile and a daily window', 'business_hours_profile_id', { business_hours_profile_id: PROFILE, ...NINE_TO_FIVE }],
    ['a profile id that is not a UUID', 'business_hours_profile_id', { business_hours_profile_id: 'office-hours' }],
    ['end_date before start_date', 'end_date', { start_date: '2026-03-10', end_date: '2026-03-09' }],
    ['30 February', 'start_date', { start_date: '2026-02-30' }],
    ['29 February of a common year', 'start_date', { start_date: '2027-02-29' }],
    ['month 13', 'start_date', { start_date: '2025-13-01' }],
    ['slashes in a date', 'end_date', { end_date: '2026/03/01' }],
    ['a date with a time', 'end_date', { end_date: '2026-03-01T00:00:00Z' }],
    ['ring 14', 'ring_duration_seconds', { ring_duration_seconds: 14 }],
    ['ring 31', 'ring_duration_seconds', { ring_duration_seconds: 31 }],
    ['0 attempts', 'max_call_attempts', { max_call_attempts: 0 }],
    ['12 attempts', 'max_call_attempts', { max_call_attempts: 12 }],
    ['attempts as a word', 'max_call_attempts', { max_call_attempts: 'three' }],
    ['a gap of 2 minutes', 'min_gap_between_attempts', { min_gap_between_attempts: 2 }],
    ['a gap over a week', 'min_gap_between_attempts', { min_gap_between_attempts: 10081 }],
    ['12 daily attempts', 'max_daily_attempts', { max_daily_attempts: 12 }],
    ['negative daily attempts', 'max_daily_attempts', { max_daily_attempts: -1 }],
    ['0 concurrent calls', 'max_concurrent_calls', { max_concurrent_calls: 0 }],
    ['1001 concurrent calls', 'max_concurrent_calls', { max_concurrent_calls: 1001 }],
    ['WAIT_SECONDS without a delay', 'start_delay_seconds', { start_logic: 'WAIT_SECONDS' }],
    ['WAIT_SECONDS with delay 0', 'start_delay_seconds', { start_logic: 'WAIT_SECONDS', start_delay_seconds: 0 }],
    ['WAIT_SECONDS with delay 6', 'start_delay_seconds', { start_logic: 'WAIT_SECONDS', start_delay_seconds: 6 }],
    ['a negative delay', 'start_delay_seconds', { start_logic: 'WAIT_SECONDS', start_delay_seconds: -1 }],
    ['POOL without a pool', 'phone_number_pool', { dialer_type: 'POOL', phone_number_id: undefined }],
    ['POOL with an empty pool', 'phone_number_pool', { dialer_type: 'POOL', phone_number_pool: [] }],
    ['SINGLE without phone_number_id', 'phone_number_id', { dialer_type: 'SINGLE', phone_number_id: undefined }],
    ['the default dialer with an empty phone_number_id', 'phone_number_id', { phone_number_id: '' }],
    ['a number too short', 'phone_number_id', { phone_number_id: '+1234' }],
    ['a number that is not valid', 'phone_number_id', { phone_number_id: '91812300' }],
    ['a caller id with spaces and punctuation', 'phone_number_id', { phone_number_id: 'not a number!' }],
    ['an invalid number in a pool', 'phone_number_pool[1]', { dialer_type: 'POOL', phone_number_pool: ['+14155550100', '1'] }],
    ['a pool of 101 caller ids', 'phone_number_pool', { dialer_type: 'POOL', phone_number_pool: POOL_OF_101 }],
    ['channel SMS (reserved)', 'channel', { channel: 'SMS' }],
    ['channel WHATSAPP (reserved)', 'channel', { channel: 'WHATSAPP' }],
    ['an unknown channel', 'channel', { channel: 'FAX' }],
    ['an unknown trigger', 'trigger', { trigger: 'BULKK' }],
    ['an unknown day', 'days_of_week[1]', { days_of_week: ['MONDAY', 'FUNDAY'] }],
    ['an unknown retry scenario', 'retry_scenarios[1]', { retry_scenarios: ['BUSY', 'RINGING'] }],
    ['a retry delay below the gap', 'retry_delays.BUSY', { min_gap_between_attempts: 10, retry_delays: { BUSY: 5 } }],
    ['a retry delay below the default gap (30)', 'retry_delays.NO_ANSWER', { retry_delays: { NO_ANSWER: 29 } }],
    ['a retry delay over a week', 'retry_delays.BUSY', { retry_delays: { BUSY: 10081 } }],
    ['a retry delay for an unknown outcome', 'retry_delays.RINGING', { retry_delays: { RINGING: 60 } }],
    ['a webhook_url that is not a URL', 'webhook_url', { webhook_url: 'not a url' }],
    ['a webhook_url over ftp', 'webhook_url', { webhook_url: 'ftp://hooks.example.com/x' }],
    ['a webhook_url with credentials', 'webhook_url', { webhook_url: 'https://user:secret@hooks.example.com/x' }],
  ])('%s → 400 invalid_argument naming %s', async (label, argument, overrides) => {
    const res = await validationCall('CreateCampaign', minimalCampaign(`invalid ${label}`, overrides));
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument });
    expect(res.body.msg).toContain(argument);
  });

  it('writes nothing for a refused create', async () => {
    const list = await validationCall('ListCampaigns', {});
    expect(list.status).toBe(200);
    expect(list.body.campaigns).toEqual([]);
  });
});

describe('CreateCampaign name uniqueness', () => {
  it('refuses a name the tenant already uses, whatever its case, naming `name`', async () => {
    await createOk(call, minimalCampaign('Diwali Offers'));
    for (const name of ['Diwali Offers', 'DIWALI OFFERS', 'diwali offers']) {
      const res = await call('CreateCampaign', minimalCampaign(name));
      expectTwirpError(res, { status: 409, code: 'already_exists', argument: 'name' });
    }
  });

  it('lets another tenant use the same name', async () => {
    await createOk(call, minimalCampaign('Shared Name'));
    const other = campaignCaller(h.url, (await createTestTenant(h.db, 'create-other')).apiKey);
    const created = await createOk(other, minimalCampaign('shared name'));
    expect(created.name).toBe('shared name');
  });

  it('20 concurrent creates of one name: exactly one 200, every other 409, never a 500', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call('CreateCampaign', minimalCampaign(i % 2 === 0 ? 'Race' : 'RACE'))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const res of responses.filter((r) => r.status === 409)) {
      expectTwirpError(res, { status: 409, code: 'already_exists', argument: 'name' });
    }
  });
});
