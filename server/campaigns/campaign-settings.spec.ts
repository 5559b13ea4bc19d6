import { DomainError } from '../errors';
import { DAYS_OF_WEEK, SETTING_FIELDS, type CampaignSettings, type CampaignSettingsInput } from './campaign';
import { applyCampaignUpdate, validateNewCampaign } from './campaign-settings';

const PROFILE = '7f1c2b9e-3a4d-4c5e-8f60-1a2b3c4d5e6f';
const BASE: CampaignSettingsInput = {
  name: 'Renewals',
  assistantId: 'recipe-1',
  phoneNumberId: '+918123002929',
  timezone: 'Asia/Kolkata',
};

function create(patch: CampaignSettingsInput = {}): CampaignSettings {
  return validateNewCampaign({ ...BASE, ...patch });
}

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e: unknown) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

/** A body as the established voice-campaign REST API sends it, read the way a handler would. */
function fromWire(body: Record<string, unknown>): CampaignSettingsInput {
  const input: Record<string, unknown> = {};
  for (const [key, wire] of Object.entries(SETTING_FIELDS)) if (body[wire] !== undefined) input[key] = body[wire];
  return input as CampaignSettingsInput;
}

describe('validateNewCampaign', () => {
  it('fills in every default', () => {
    expect(validateNewCampaign(BASE)).toEqual({
      name: 'Renewals',
      type: 'OUTBOUND',
      channel: 'VOICE',
      trigger: 'API',
      assistantId: 'recipe-1',
      dialerType: 'SINGLE',
      phoneNumberId: '+918123002929',
      phoneNumberPool: [],
      startLogic: 'START_IMMEDIATELY',
      startDelaySeconds: 0,
      ringDurationSeconds: 30,
      timezone: 'Asia/Kolkata',
      startDate: null,
      endDate: null,
      daysOfWeek: [...DAYS_OF_WEEK],
      dailyStartTime: null,
      dailyEndTime: null,
      businessHoursProfileId: null,
      dndAction: 'RESCHEDULE',
      maxCallAttempts: 1,
      maxDailyAttempts: 0,
      minGapMinutes: 30,
      retryScenarios: ['BUSY', 'NO_ANSWER', 'FAILED'],
      retryDelays: {},
      considerVoicemailAsAnswered: false,
      maxConcurrentCalls: 10,
      recipientLocalTime: false,
      webhookUrl: null,
    });
  });

  it('accepts a full body of the established REST API unchanged (unknown fields ignored)', () => {
    const body = {
      name: 'Loan reminder – March',
      type: 'OUTBOUND',
      channel: 'VOICE',
      trigger: 'BULK',
      assistant_id: 'recipe_8f2c',
      dialer_type: 'POOL',
      phone_number_id: '',
      phone_number_pool: ['+918123002929', '918123002929', '+1 (415) 555-2671', 'PN_7781'],
      start_logic: 'WAIT_SECONDS',
      start_delay_seconds: 2,
      ring_duration_seconds: 25,
      timezone: 'Asia/Kolkata',
      start_date: '2026-03-01',
      end_date: '2026-03-31',
      days_of_week: ['SATURDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
      daily_start_time: '10:00',
      daily_end_time: '19:00',
      business_hours_profile_id: '',
      dnd_action: 'DISCARD',
      max_call_attempts: 3,
      max_daily_attempts: 2,
      min_gap_between_attempts: 60,
      retry_scenarios: ['BUSY', 'NO_ANSWER', 'VOICEMAIL'],
      retry_delays: { BUSY: 60, no_answer: 120 },
      consider_voicemail_as_answered: false,
      max_concurrent_calls: 20,
      recipient_local_time: true,
      webhook_url: 'https://hooks.example.com/outreach?team=loans',
      agent_voice: 'ignored by this service',
    };
    expect(validateNewCampaign(fromWire(body))).toEqual({
      name: 'Loan reminder – March',
      type: 'OUTBOUND',
      channel: 'VOICE',
      trigger: 'BULK',
      assistantId: 'recipe_8f2c',
      dialerType: 'POOL',
      phoneNumberId: null,
      phoneNumberPool: ['+918123002929', '+14155552671', 'PN_7781'],
      startLogic: 'WAIT_SECONDS',
      startDelaySeconds: 2,
      ringDurationSeconds: 25,
      timezone: 'Asia/Kolkata',
      startDate: '2026-03-01',
      endDate: '2026-03-31',
      daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'],
      dailyStartTime: '10:00:00',
      dailyEndTime: '19:00:00',
      businessHoursProfileId: null,
      dndAction: 'DISCARD',
      maxCallAttempts: 3,
      maxDailyAttempts: 2,
      minGapMinutes: 60,
      retryScenarios: ['BUSY', 'NO_ANSWER', 'VOICEMAIL'],
      retryDelays: { BUSY: 60, NO_ANSWER: 120 },
      considerVoicemailAsAnswered: false,
      maxConcurrentCalls: 20,
      recipientLocalTime: true,
      webhookUrl: 'https://hooks.example.com/outreach?team=loans',
    });
  });

  it.each<[string, CampaignSettingsInput, Partial<CampaignSettings>]>([
    ['trims the name', { name: '  Renewals  ' }, { name: 'Renewals' }],
    ['a name of 200 characters', { name: 'n'.repeat(200) }, { name: 'n'.repeat(200) }],
    ['a name of 200 emoji (characters, not UTF-16 units)', { name: '📞'.repeat(200) }, { name: '📞'.repeat(200) }],
    ['explicit type and channel', { type: 'OUTBOUND', channel: 'VOICE' }, { type: 'OUTBOUND', channel: 'VOICE' }],
    ['trigger BULK', { trigger: 'BULK' }, { trigger: 'BULK' }],
    ['an assistant id of 200 characters', { assistantId: 'a'.repeat(200) }, { assistantId: 'a'.repeat(200) }],
    ['a number without +', { phoneNumberId: '918123002929' }, { phoneNumberId: '+918123002929' }],
    ['a number with spaces', { phoneNumberId: '+91 81230 02929' }, { phoneNumberId: '+918123002929' }],
    ['a US number with punctuation', { phoneNumberId: '+1 (415) 555-2671' }, { phoneNumberId: '+14155552671' }],
    ['digits with dots', { phoneNumberId: '1.415.555.2671' }, { phoneNumberId: '+14155552671' }],
    ['a provider id', { phoneNumberId: 'PN_7781' }, { phoneNumberId: 'PN_7781' }],
    ['a provider id with : . -', { phoneNumberId: 'sid:abc-1.2' }, { phoneNumberId: 'sid:abc-1.2' }],
    ['a provider id of 128 characters', { phoneNumberId: 'p'.repeat(128) }, { phoneNumberId: 'p'.repeat(128) }],
    ['a caller id with blanks around it', { phoneNumberId: '  PN_1  ' }, { phoneNumberId: 'PN_1' }],
    [
      'a pool, normalised and deduplicated in order',
      { dialerType: 'POOL', phoneNumberPool: ['PN_2', '+918123002929', '918123002929', 'PN_2', ' PN_3 '] },
      { dialerType: 'POOL', phoneNumberPool: ['PN_2', '+918123002929', 'PN_3'] },
    ],
    [
      'a pool of 100',
      { dialerType: 'POOL', phoneNumberPool: Array.from({ length: 100 }, (_, i) => `PN_${i}`) },
      { phoneNumberPool: Array.from({ length: 100 }, (_, i) => `PN_${i}`) },
    ],
    [
      'SINGLE keeps a pool too',
      { phoneNumberPool: ['PN_9'] },
      { phoneNumberId: '+918123002929', phoneNumberPool: ['PN_9'] },
    ],
    [
      'POOL keeps phone_number_id too',
      { dialerType: 'POOL', phoneNumberPool: ['PN_9'] },
      { phoneNumberId: '+918123002929', phoneNumberPool: ['PN_9'] },
    ],
    [
      'POOL without a single number',
      { dialerType: 'POOL', phoneNumberId: '', phoneNumberPool: ['PN_9'] },
      { phoneNumberId: null },
    ],
    ['WAIT_SECONDS 1', { startLogic: 'WAIT_SECONDS', startDelaySeconds: 1 }, { startDelaySeconds: 1 }],
    ['WAIT_SECONDS 5', { startLogic: 'WAIT_SECONDS', startDelaySeconds: 5 }, { startDelaySeconds: 5 }],
    [
      'a delay without WAIT_SECONDS is stored as 0',
      { startLogic: 'WAIT_FOR_GREETING', startDelaySeconds: 3 },
      { startDelaySeconds: 0 },
    ],
    ['a zero delay', { startLogic: 'START_IMMEDIATELY', startDelaySeconds: 0 }, { startDelaySeconds: 0 }],
    ['ring 15', { ringDurationSeconds: 15 }, { ringDurationSeconds: 15 }],
    ['ring 30', { ringDurationSeconds: 30 }, { ringDurationSeconds: 30 }],
    ['America/New_York', { timezone: 'America/New_York' }, { timezone: 'America/New_York' }],
    ['UTC', { timezone: 'UTC' }, { timezone: 'UTC' }],
    ['a zone in other case, stored as given', { timezone: 'asia/kolkata' }, { timezone: 'asia/kolkata' }],
    ['a past start date', { startDate: '2020-01-01' }, { startDate: '2020-01-01', endDate: null }],
    ['a past range', { startDate: '2020-01-01', endDate: '2020-01-31' }, { endDate: '2020-01-31' }],
    [
      'a leap day',
      { startDate: '2028-02-29', endDate: '2028-02-29' },
      { startDate: '2028-02-29', endDate: '2028-02-29' },
    ],
    ['only an end date', { endDate: '2026-12-31' }, { startDate: null, endDate: '2026-12-31' }],
    ['empty dates are absent', { startDate: '', endDate: '' }, { startDate: null, endDate: null }],
    [
      'days in calendar order, once',
      { daysOfWeek: ['SUNDAY', 'MONDAY', 'SUNDAY'] },
      { daysOfWeek: ['MONDAY', 'SUNDAY'] },
    ],
    ['no days on create means every day', { daysOfWeek: [] }, { daysOfWeek: [...DAYS_OF_WEEK] }],
    [
      'HH:MM window',
      { dailyStartTime: '09:00', dailyEndTime: '18:30' },
      { dailyStartTime: '09:00:00', dailyEndTime: '18:30:00' },
    ],
    ['HH:MM:SS window', { dailyStartTime: '08:15:30', dailyEndTime: '23:59:59' }, { dailyEndTime: '23:59:59' }],
    ['24:00 ends the day', { dailyStartTime: '00:00', dailyEndTime: '24:00' }, { dailyEndTime: '24:00:00' }],
    ['24:00:00 ends the day', { dailyStartTime: '22:00', dailyEndTime: '24:00:00' }, { dailyEndTime: '24:00:00' }],
    [
      'empty times are the whole day',
      { dailyStartTime: '', dailyEndTime: '' },
      { dailyStartTime: null, dailyEndTime: null },
    ],
    ['a profile', { businessHoursProfileId: PROFILE }, { businessHoursProfileId: PROFILE, dailyStartTime: null }],
    [
      'a profile id in upper case',
      { businessHoursProfileId: PROFILE.toUpperCase() },
      { businessHoursProfileId: PROFILE },
    ],
    [
      'a profile and empty times',
      { businessHoursProfileId: PROFILE, dailyStartTime: '' },
      { businessHoursProfileId: PROFILE },
    ],
    ['an empty profile', { businessHoursProfileId: '' }, { businessHoursProfileId: null }],
    ['dnd DISCARD', { dndAction: 'DISCARD' }, { dndAction: 'DISCARD' }],
    ['attempts 11', { maxCallAttempts: 11, maxDailyAttempts: 11 }, { maxCallAttempts: 11, maxDailyAttempts: 11 }],
    ['no daily limit', { maxDailyAttempts: 0 }, { maxDailyAttempts: 0 }],
    ['gap 3', { minGapMinutes: 3 }, { minGapMinutes: 3 }],
    ['gap a week', { minGapMinutes: 10080 }, { minGapMinutes: 10080 }],
    [
      'no scenarios on create means the default',
      { retryScenarios: [] },
      { retryScenarios: ['BUSY', 'NO_ANSWER', 'FAILED'] },
    ],
    [
      'scenarios deduplicated',
      { retryScenarios: ['VOICEMAIL', 'BUSY', 'VOICEMAIL'] },
      { retryScenarios: ['VOICEMAIL', 'BUSY'] },
    ],
    [
      'delays in any case, stored upper-case',
      { retryDelays: { no_answer: 30, Busy: 10080 } },
      { retryDelays: { NO_ANSWER: 30, BUSY: 10080 } },
    ],
    ['a delay equal to a small gap', { minGapMinutes: 3, retryDelays: { FAILED: 3 } }, { retryDelays: { FAILED: 3 } }],
    [
      'booleans',
      { considerVoicemailAsAnswered: true, recipientLocalTime: true },
      { considerVoicemailAsAnswered: true, recipientLocalTime: true },
    ],
    ['concurrency 1', { maxConcurrentCalls: 1 }, { maxConcurrentCalls: 1 }],
    ['concurrency 1000', { maxConcurrentCalls: 1000 }, { maxConcurrentCalls: 1000 }],
    [
      'an http webhook with a port',
      { webhookUrl: 'http://localhost:8080/hook' },
      { webhookUrl: 'http://localhost:8080/hook' },
    ],
    [
      'an https webhook',
      { webhookUrl: 'https://hooks.example.com/a?b=c' },
      { webhookUrl: 'https://hooks.example.com/a?b=c' },
    ],
    ['an empty webhook', { webhookUrl: '' }, { webhookUrl: null }],
  ])('accepts %s', (_title, patch, expected) => {
    expect(create(patch)).toMatchObject(expected);
  });

  it.each<[string, CampaignSettingsInput, string, RegExp]>([
    ['no name', { name: undefined }, 'name', /^name is required$/],
    ['a blank name', { name: '   ' }, 'name', /^name is required$/],
    ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name', /at most 200 characters; got 201/],
    ['another type', { type: 'INBOUND' }, 'type', /type must be one of OUTBOUND; got "INBOUND"/],
    ['channel SMS', { channel: 'SMS' }, 'channel', /SMS is not supported yet; only VOICE/],
    ['channel WHATSAPP', { channel: 'WHATSAPP' }, 'channel', /WHATSAPP is not supported yet/],
    ['an unknown channel', { channel: 'FAX' }, 'channel', /must be one of VOICE, SMS, WHATSAPP; got "FAX"/],
    ['an unknown trigger', { trigger: 'CRON' }, 'trigger', /must be one of API, BULK; got "CRON"/],
    ['no assistant', { assistantId: '' }, 'assistant_id', /assistant_id is required/],
    ['a long assistant id', { assistantId: 'a'.repeat(201) }, 'assistant_id', /at most 200/],
    ['an unknown dialer', { dialerType: 'MULTI' }, 'dialer_type', /SINGLE, POOL; got "MULTI"/],
    ['SINGLE without a number', { phoneNumberId: undefined }, 'phone_number_id', /required with dialer_type SINGLE/],
    ['SINGLE with an empty number', { phoneNumberId: '' }, 'phone_number_id', /required with dialer_type SINGLE/],
    ['an invalid number', { phoneNumberId: '12345' }, 'phone_number_id', /valid phone number.*got "12345"/],
    ['a too short number with +', { phoneNumberId: '+4412' }, 'phone_number_id', /valid phone number/],
    ['a lone +', { phoneNumberId: '+' }, 'phone_number_id', /E.164 number or a provider id/],
    ['a caller id with a space', { phoneNumberId: 'PN 1' }, 'phone_number_id', /provider id.*got "PN 1"/],
    ['a caller id starting with -', { phoneNumberId: '-PN' }, 'phone_number_id', /provider id/],
    ['a provider id of 129', { phoneNumberId: 'p'.repeat(129) }, 'phone_number_id', /provider id/],
    ['POOL without a pool', { dialerType: 'POOL' }, 'phone_number_pool', /required with dialer_type POOL: 1 to 100/],
    ['POOL with an empty pool', { dialerType: 'POOL', phoneNumberPool: [] }, 'phone_number_pool', /required/],
    [
      'a pool of 101',
      { dialerType: 'POOL', phoneNumberPool: Array.from({ length: 101 }, (_, i) => `PN_${i}`) },
      'phone_number_pool',
      /at most 100 caller ids; got 101/,
    ],
    [
      'a bad pool entry',
      { dialerType: 'POOL', phoneNumberPool: ['PN_0', 'PN_1', 'PN_2', '999'] },
      'phone_number_pool[3]',
      /^phone_number_pool\[3\] must be a valid phone number/,
    ],
    ['an empty pool entry', { phoneNumberPool: ['PN_0', ''] }, 'phone_number_pool[1]', /is empty/],
    ['an unknown start logic', { startLogic: 'LATER' }, 'start_logic', /got "LATER"/],
    [
      'WAIT_SECONDS without a delay',
      { startLogic: 'WAIT_SECONDS' },
      'start_delay_seconds',
      /required with start_logic WAIT_SECONDS/,
    ],
    ['WAIT_SECONDS 0', { startLogic: 'WAIT_SECONDS', startDelaySeconds: 0 }, 'start_delay_seconds', /required/],
    ['WAIT_SECONDS 6', { startLogic: 'WAIT_SECONDS', startDelaySeconds: 6 }, 'start_delay_seconds', /1 to 5; got 6/],
    ['a negative delay with any logic', { startDelaySeconds: -1 }, 'start_delay_seconds', /1 to 5; got -1/],
    [
      'a fractional delay',
      { startLogic: 'WAIT_SECONDS', startDelaySeconds: 1.5 },
      'start_delay_seconds',
      /whole number/,
    ],
    ['ring 14', { ringDurationSeconds: 14 }, 'ring_duration_seconds', /whole number from 15 to 30; got 14/],
    ['ring 31', { ringDurationSeconds: 31 }, 'ring_duration_seconds', /got 31/],
    ['ring 20.5', { ringDurationSeconds: 20.5 }, 'ring_duration_seconds', /got 20.5/],
    ['ring NaN', { ringDurationSeconds: Number.NaN }, 'ring_duration_seconds', /got NaN/],
    ['no timezone', { timezone: '' }, 'timezone', /timezone is required/],
    ['an unknown zone', { timezone: 'Mars/Base' }, 'timezone', /IANA timezone.*got "Mars\/Base"/],
    ['an offset, not a zone', { timezone: '+05:30' }, 'timezone', /IANA/],
    ['30 February', { startDate: '2026-02-30' }, 'start_date', /calendar date YYYY-MM-DD; got "2026-02-30"/],
    ['29 February of a common year', { startDate: '2027-02-29' }, 'start_date', /got "2027-02-29"/],
    ['month 13', { endDate: '2026-13-01' }, 'end_date', /calendar date/],
    ['a date without zero padding', { startDate: '2026-3-4' }, 'start_date', /calendar date/],
    ['a date in another format', { startDate: '04/03/2026' }, 'start_date', /calendar date/],
    ['a timestamp', { endDate: '2026-03-04T00:00:00Z' }, 'end_date', /calendar date/],
    [
      'an end before the start',
      { startDate: '2026-03-02', endDate: '2026-03-01' },
      'end_date',
      /end_date must not be before start_date 2026-03-02; got 2026-03-01/,
    ],
    ['an unknown day', { daysOfWeek: ['MONDAY', 'FUNDAY'] }, 'days_of_week', /got "FUNDAY"/],
    [
      'hour 25',
      { dailyStartTime: '25:00', dailyEndTime: '26:00' },
      'daily_start_time',
      /00:00 to 23:59:59; got "25:00"/,
    ],
    ['24:00 as a start', { dailyStartTime: '24:00', dailyEndTime: '24:00' }, 'daily_start_time', /got "24:00"/],
    ['a one-digit hour', { dailyStartTime: '9:00', dailyEndTime: '17:00' }, 'daily_start_time', /HH:MM or HH:MM:SS/],
    ['minute 60', { dailyStartTime: '09:00', dailyEndTime: '12:60' }, 'daily_end_time', /got "12:60"/],
    ['second 60', { dailyStartTime: '09:00', dailyEndTime: '12:00:60' }, 'daily_end_time', /got "12:00:60"/],
    [
      'past the end of the day',
      { dailyStartTime: '09:00', dailyEndTime: '24:00:01' },
      'daily_end_time',
      /00:00 to 24:00/,
    ],
    [
      'a start without an end',
      { dailyStartTime: '09:00' },
      'daily_end_time',
      /daily_end_time is required when daily_start_time/,
    ],
    [
      'an end without a start',
      { dailyEndTime: '17:00' },
      'daily_start_time',
      /daily_start_time is required when daily_end_time/,
    ],
    [
      'an end equal to the start',
      { dailyStartTime: '09:00', dailyEndTime: '09:00:00' },
      'daily_end_time',
      /must be after/,
    ],
    [
      'an end before the start',
      { dailyStartTime: '18:00', dailyEndTime: '09:00' },
      'daily_end_time',
      /after daily_start_time 18:00:00/,
    ],
    [
      'a profile that is no UUID',
      { businessHoursProfileId: 'office' },
      'business_hours_profile_id',
      /\(a UUID\); got "office"/,
    ],
    [
      'a profile with daily times',
      { businessHoursProfileId: PROFILE, dailyStartTime: '09:00', dailyEndTime: '17:00' },
      'business_hours_profile_id',
      /cannot be combined with daily_start_time/,
    ],
    [
      'a profile with one time',
      { businessHoursProfileId: PROFILE, dailyEndTime: '17:00' },
      'business_hours_profile_id',
      /combined/,
    ],
    ['an unknown dnd action', { dndAction: 'IGNORE' }, 'dnd_action', /RESCHEDULE, DISCARD; got "IGNORE"/],
    ['0 attempts', { maxCallAttempts: 0 }, 'max_call_attempts', /from 1 to 11; got 0/],
    ['12 attempts', { maxCallAttempts: 12 }, 'max_call_attempts', /got 12/],
    ['2.5 attempts', { maxCallAttempts: 2.5 }, 'max_call_attempts', /whole number/],
    ['12 daily attempts', { maxDailyAttempts: 12 }, 'max_daily_attempts', /from 0 to 11; got 12/],
    ['-1 daily attempts', { maxDailyAttempts: -1 }, 'max_daily_attempts', /got -1/],
    ['a gap of 2', { minGapMinutes: 2 }, 'min_gap_between_attempts', /from 3 to 10080; got 2/],
    ['a gap over a week', { minGapMinutes: 10081 }, 'min_gap_between_attempts', /got 10081/],
    ['an unknown scenario', { retryScenarios: ['BUSY', 'ANSWERED'] }, 'retry_scenarios', /got "ANSWERED"/],
    ['a delay for an unknown outcome', { retryDelays: { HANGUP: 60 } }, 'retry_delays.HANGUP', /not a retry scenario/],
    [
      'a delay under the gap',
      { retryDelays: { BUSY: 29 } },
      'retry_delays.BUSY',
      /from min_gap_between_attempts \(30\) to 10080; got 29/,
    ],
    ['a delay over a week', { retryDelays: { busy: 10081 } }, 'retry_delays.busy', /got 10081/],
    ['a fractional delay', { retryDelays: { FAILED: 60.5 } }, 'retry_delays.FAILED', /whole minutes/],
    ['one outcome twice', { retryDelays: { busy: 60, BUSY: 90 } }, 'retry_delays.BUSY', /repeats BUSY/],
    ['concurrency 0', { maxConcurrentCalls: 0 }, 'max_concurrent_calls', /from 1 to 1000; got 0/],
    ['concurrency 1001', { maxConcurrentCalls: 1001 }, 'max_concurrent_calls', /got 1001/],
    ['a webhook that is no URL', { webhookUrl: 'hooks.example.com/x' }, 'webhook_url', /absolute http or https URL/],
    ['an ftp webhook', { webhookUrl: 'ftp://example.com/x' }, 'webhook_url', /http or https URL with a host/],
    ['a file webhook', { webhookUrl: 'file:///etc/passwd' }, 'webhook_url', /http or https/],
    ['a mailto webhook', { webhookUrl: 'mailto:ops@example.com' }, 'webhook_url', /http or https/],
    ['a webhook with credentials', { webhookUrl: 'https://user:pw@example.com/x' }, 'webhook_url', /credentials/],
    ['a webhook with a user', { webhookUrl: 'https://user@example.com/x' }, 'webhook_url', /credentials/],
    [
      'a webhook over 2048 characters',
      { webhookUrl: `https://example.com/${'x'.repeat(2030)}` },
      'webhook_url',
      /at most 2048 characters; got 2050/,
    ],
  ])('refuses %s', (_title, patch, argument, message) => {
    const error = errorOf(() => create(patch));
    expect(error.kind).toBe('invalid_argument');
    expect(error.meta.argument).toBe(argument);
    expect(error.message).toMatch(message);
  });

  it('reports the first problem in field order', () => {
    const error = errorOf(() => validateNewCampaign({ timezone: 'Mars/Base', maxCallAttempts: 0 }));
    expect(error.meta.argument).toBe('name');
  });
});

describe('applyCampaignUpdate', () => {
  const current = create({
    startDate: '2026-03-01',
    endDate: '2026-03-31',
    dailyStartTime: '09:00',
    dailyEndTime: '18:00',
    maxCallAttempts: 3,
    minGapMinutes: 30,
    retryDelays: { BUSY: 45 },
    webhookUrl: 'https://hooks.example.com/a',
    phoneNumberPool: ['PN_1'],
  });
  const update = (patch: CampaignSettingsInput, mask?: readonly string[]) =>
    applyCampaignUpdate(current, patch, mask && new Set(mask));

  it('changes nothing for an empty patch, and re-validating stored settings is stable', () => {
    expect(update({})).toEqual(current);
    expect(update({}, [])).toEqual(current);
    const full = validateNewCampaign({ ...BASE, dialerType: 'POOL', phoneNumberPool: ['918123002929', 'PN_2'] });
    expect(applyCampaignUpdate(full, {}, undefined)).toEqual(full);
  });

  it.each<[string, CampaignSettingsInput, readonly string[] | undefined, Partial<CampaignSettings>]>([
    ['writes a present field, keeps the rest', { name: 'Winback' }, undefined, { name: 'Winback', maxCallAttempts: 3 }],
    [
      'ignores empty lists and maps without a mask',
      { retryScenarios: [], daysOfWeek: [], phoneNumberPool: [], retryDelays: {} },
      undefined,
      {
        retryScenarios: current.retryScenarios,
        daysOfWeek: current.daysOfWeek,
        phoneNumberPool: ['PN_1'],
        retryDelays: { BUSY: 45 },
      },
    ],
    [
      'replaces a non-empty list',
      { daysOfWeek: ['FRIDAY', 'MONDAY'] },
      undefined,
      { daysOfWeek: ['MONDAY', 'FRIDAY'] },
    ],
    ['replaces the whole delay map', { retryDelays: { failed: 60 } }, undefined, { retryDelays: { FAILED: 60 } }],
    ['clears the dates with ""', { startDate: '', endDate: '' }, undefined, { startDate: null, endDate: null }],
    ['clears the webhook with ""', { webhookUrl: '' }, undefined, { webhookUrl: null }],
    [
      'clears the daily window with ""',
      { dailyStartTime: '', dailyEndTime: '' },
      undefined,
      { dailyStartTime: null, dailyEndTime: null },
    ],
    [
      'swaps the daily window for a profile',
      { dailyStartTime: '', dailyEndTime: '', businessHoursProfileId: PROFILE },
      undefined,
      { dailyStartTime: null, businessHoursProfileId: PROFILE },
    ],
    [
      'switches to a pool, keeping phone_number_id',
      { dialerType: 'POOL', phoneNumberPool: ['918123002929'] },
      undefined,
      { dialerType: 'POOL', phoneNumberId: '+918123002929', phoneNumberPool: ['+918123002929'] },
    ],
    [
      'clears phone_number_id of a pool',
      { dialerType: 'POOL', phoneNumberId: '' },
      undefined,
      { phoneNumberId: null, phoneNumberPool: ['PN_1'] },
    ],
    ['accepts the same type and channel', { type: 'OUTBOUND', channel: 'VOICE' }, undefined, { type: 'OUTBOUND' }],
    ['leaves trigger changes to the service', { trigger: 'BULK' }, undefined, { trigger: 'BULK' }],
    [
      'drops the delay when leaving WAIT_SECONDS',
      { startLogic: 'START_IMMEDIATELY' },
      undefined,
      { startLogic: 'START_IMMEDIATELY', startDelaySeconds: 0 },
    ],
    [
      'writes only masked fields',
      { name: 'Ignored', maxCallAttempts: 5 },
      ['max_call_attempts'],
      { name: 'Renewals', maxCallAttempts: 5 },
    ],
    ['empties masked retry_scenarios', {}, ['retry_scenarios'], { retryScenarios: [] }],
    ['empties masked retry_delays', {}, ['retry_delays'], { retryDelays: {} }],
    [
      'resets a masked integer to its default',
      {},
      ['max_call_attempts', 'min_gap_between_attempts'],
      { maxCallAttempts: 1, minGapMinutes: 30 },
    ],
    ['resets a masked webhook', {}, ['webhook_url'], { webhookUrl: null }],
    [
      'resets masked booleans',
      { recipientLocalTime: true },
      ['consider_voicemail_as_answered'],
      { recipientLocalTime: false },
    ],
    ['resets masked dates', {}, ['start_date', 'end_date'], { startDate: null, endDate: null }],
    ['resets the masked pool', { phoneNumberPool: [] }, ['phone_number_pool'], { phoneNumberPool: [] }],
  ])('%s', (_title, patch, mask, expected) => {
    expect(update(patch, mask)).toMatchObject(expected);
  });

  it('keeps an emptied retry_scenarios empty through later updates', () => {
    const emptied = applyCampaignUpdate(current, {}, new Set(['retry_scenarios']));
    expect(applyCampaignUpdate(emptied, { name: 'Next' }, undefined).retryScenarios).toEqual([]);
    expect(applyCampaignUpdate(emptied, { retryScenarios: ['BUSY'] }, undefined).retryScenarios).toEqual(['BUSY']);
  });

  it.each<[string, CampaignSettingsInput, readonly string[] | undefined, string, RegExp]>([
    [
      'a type change',
      { type: 'INBOUND' },
      undefined,
      'type',
      /^type cannot be changed \(it is OUTBOUND\); got "INBOUND"$/,
    ],
    ['a channel change', { channel: 'SMS' }, undefined, 'channel', /^channel cannot be changed \(it is VOICE\)/],
    [
      'an unknown mask field',
      {},
      ['max_call_attempts', 'colour'],
      'update_mask',
      /"colour", which is not a campaign setting/,
    ],
    ['a camelCase mask field', {}, ['maxCallAttempts'], 'update_mask', /"maxCallAttempts"/],
    ['masked days_of_week without days', {}, ['days_of_week'], 'days_of_week', /cannot be empty/],
    ['a masked name without a value', {}, ['name'], 'name', /name is required/],
    ['a masked timezone without a value', {}, ['timezone'], 'timezone', /required/],
    [
      'clearing the number of a SINGLE dialer',
      { phoneNumberId: '' },
      undefined,
      'phone_number_id',
      /required with dialer_type SINGLE/,
    ],
    [
      'switching to POOL after emptying the pool',
      { dialerType: 'POOL' },
      ['dialer_type', 'phone_number_pool'],
      'phone_number_pool',
      /required/,
    ],
    ['clearing half the window', { dailyStartTime: '' }, undefined, 'daily_start_time', /required when daily_end_time/],
    [
      'a profile beside the stored window',
      { businessHoursProfileId: PROFILE },
      undefined,
      'business_hours_profile_id',
      /combined/,
    ],
    [
      'an end date before the stored start',
      { endDate: '2026-02-28' },
      undefined,
      'end_date',
      /before start_date 2026-03-01/,
    ],
    [
      'a start date after the stored end',
      { startDate: '2026-04-01' },
      undefined,
      'end_date',
      /before start_date 2026-04-01/,
    ],
    [
      'an end time before the stored start',
      { dailyEndTime: '08:00' },
      undefined,
      'daily_end_time',
      /after daily_start_time 09:00:00/,
    ],
    ['a gap above a stored delay', { minGapMinutes: 60 }, undefined, 'retry_delays.BUSY', /\(60\) to 10080; got 45/],
    ['WAIT_SECONDS without a delay', { startLogic: 'WAIT_SECONDS' }, undefined, 'start_delay_seconds', /required/],
    ['an out-of-range value', { maxConcurrentCalls: 0 }, undefined, 'max_concurrent_calls', /got 0/],
  ])('refuses %s', (_title, patch, mask, argument, message) => {
    const error = errorOf(() => update(patch, mask));
    expect(error.kind).toBe('invalid_argument');
    expect(error.meta.argument).toBe(argument);
    expect(error.message).toMatch(message);
  });

  it('does not change the stored settings it was given', () => {
    const before = JSON.stringify(current);
    update({ name: 'Other', retryScenarios: ['VOICEMAIL'], daysOfWeek: ['MONDAY'] });
    expect(JSON.stringify(current)).toBe(before);
  });
});

describe('applyCampaignUpdate on a stored campaign', () => {
  it('returns settings only, not the row around them', () => {
    const settings = validateNewCampaign(BASE);
    const campaign = { ...settings, id: 'c1', tenantId: 't1', status: 'DRAFT', createdAt: new Date(), endedAt: null };
    expect(applyCampaignUpdate(campaign, { name: 'Renamed' }, undefined)).toEqual({ ...settings, name: 'Renamed' });
  });
});
