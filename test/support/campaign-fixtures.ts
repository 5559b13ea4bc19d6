import type { Kysely } from 'kysely';
import type { CampaignSettingsInput } from '../../server/campaigns/campaign';
import { createCampaign } from '../../server/campaigns/campaigns.service';
import type { Database } from '../../server/db/database';
import { rpc, type RpcOptions, type RpcResponse } from './rpc';

/** A campaign as the wire returns it (proto field names, enums as their short words). */
export type CampaignJson = Record<string, any>;

/** The Campaign service of one tenant, over real HTTP. */
export type CampaignCall = (method: string, body: unknown, options?: Omit<RpcOptions, 'key'>) => Promise<RpcResponse>;

export function campaignCaller(baseUrl: string, apiKey: string): CampaignCall {
  return (method, body, options = {}) => rpc(baseUrl, 'Campaign', method, body, { ...options, key: apiKey });
}

/** The least a valid create body needs; `overrides` replace (or, when `undefined`, remove) fields. */
export function minimalCampaign(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return withOverrides(
    { name, assistant_id: 'asst_minimal', phone_number_id: '+14155550100', timezone: 'America/New_York' },
    overrides,
  );
}

/**
 * A create body as a client of the established voice-campaign REST API sends it: every setting
 * in snake_case, plus fields this service does not use (`description`, `metadata`,
 * `voicemail_message`), which must be ignored.
 */
export function establishedApiBody(name: string): Record<string, unknown> {
  return {
    name,
    description: 'EMI reminders for March',
    type: 'OUTBOUND',
    channel: 'VOICE',
    trigger: 'BULK',
    assistant_id: 'asst_7f3c2a',
    dialer_type: 'SINGLE',
    phone_number_id: '918123002929',
    phone_number_pool: ['+14155550100', '4915112345678'],
    start_logic: 'WAIT_SECONDS',
    start_delay_seconds: 2,
    ring_duration_seconds: 25,
    timezone: 'Asia/Kolkata',
    start_date: '2026-03-01',
    end_date: '2026-03-31',
    days_of_week: ['SATURDAY', 'MONDAY', 'WEDNESDAY', 'FRIDAY', 'TUESDAY', 'THURSDAY'],
    daily_start_time: '09:30',
    daily_end_time: '18:45:30',
    dnd_action: 'DISCARD',
    max_call_attempts: 4,
    max_daily_attempts: 2,
    min_gap_between_attempts: 15,
    retry_scenarios: ['BUSY', 'NO_ANSWER', 'VOICEMAIL'],
    retry_delays: { BUSY: 15, NO_ANSWER: 120 },
    consider_voicemail_as_answered: false,
    max_concurrent_calls: 25,
    recipient_local_time: true,
    webhook_url: 'https://hooks.example.com/outreach?src=campaign',
    voicemail_message: 'Sorry we missed you, we will call again.',
    metadata: { team: 'collections', priority: 1, tags: ['emi', 'march'] },
  };
}

/** What `establishedApiBody` is stored as: numbers in E.164, times `HH:MM:SS`, days in order. */
export const ESTABLISHED_API_STORED: Readonly<CampaignJson> = Object.freeze({
  status: 'DRAFT',
  type: 'OUTBOUND',
  channel: 'VOICE',
  trigger: 'BULK',
  assistant_id: 'asst_7f3c2a',
  dialer_type: 'SINGLE',
  phone_number_id: '+918123002929',
  phone_number_pool: ['+14155550100', '+4915112345678'],
  start_logic: 'WAIT_SECONDS',
  start_delay_seconds: 2,
  ring_duration_seconds: 25,
  timezone: 'Asia/Kolkata',
  start_date: '2026-03-01',
  end_date: '2026-03-31',
  days_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'],
  daily_start_time: '09:30:00',
  daily_end_time: '18:45:30',
  business_hours_profile_id: '',
  dnd_action: 'DISCARD',
  max_call_attempts: 4,
  max_daily_attempts: 2,
  min_gap_between_attempts: 15,
  retry_scenarios: ['BUSY', 'NO_ANSWER', 'VOICEMAIL'],
  retry_delays: { BUSY: 15, NO_ANSWER: 120 },
  consider_voicemail_as_answered: false,
  max_concurrent_calls: 25,
  recipient_local_time: true,
  webhook_url: 'https://hooks.example.com/outreach?src=campaign',
  started_at: '',
  ended_at: '',
});

/** The same keys renamed to their proto3 JSON (lowerCamelCase) names; unknown keys are kept. */
export function toCamelCase(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]),
  );
}

/** Creates a campaign over HTTP and fails the test unless the answer is 200. */
export async function createOk(call: CampaignCall, body: Record<string, unknown>): Promise<CampaignJson> {
  const res = await call('CreateCampaign', body);
  expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: expect.any(Object) });
  return res.body as CampaignJson;
}

/** Calls a lifecycle or read RPC by campaign id and fails the test unless the answer is 200. */
export async function callOk(call: CampaignCall, method: string, body: Record<string, unknown>): Promise<CampaignJson> {
  const res = await call(method, body);
  expect({ method, status: res.status, body: res.body }).toEqual({ method, status: 200, body: expect.any(Object) });
  return res.body as CampaignJson;
}

export interface ExpectedTwirpError {
  readonly status: number;
  readonly code: string;
  /** `meta.argument`; omitted when the error need not name one. */
  readonly argument?: string;
}

/**
 * Asserts a Twirp error: HTTP status, code, a message for people, and the field it names. On
 * failure the whole response body is shown.
 */
export function expectTwirpError(res: RpcResponse, expected: ExpectedTwirpError): void {
  const seen: Record<string, unknown> = { status: res.status, code: res.body?.code };
  const wanted: Record<string, unknown> = { status: expected.status, code: expected.code };
  if (expected.argument !== undefined) {
    seen.argument = res.body?.meta?.argument;
    wanted.argument = expected.argument;
  }
  expect({ ...seen, body: res.body }).toEqual({ ...wanted, body: res.body });
  expect(typeof res.body?.msg).toBe('string');
  expect(res.body.msg.length).toBeGreaterThan(0);
}

let inserted = 0;

/** Inserts campaigns straight through the service (setup only; the call under test goes over HTTP). */
export async function insertCampaigns(
  db: Kysely<Database>,
  tenantId: string,
  count: number,
  input: (i: number) => Partial<CampaignSettingsInput> = () => ({}),
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const campaign = await createCampaign(
      db,
      tenantId,
      {
        name: `direct-${++inserted}`,
        assistantId: 'asst_bulk',
        phoneNumberId: '+14155550100',
        timezone: 'UTC',
        ...input(i),
      },
      { allowPrivateCallbacks: true },
    );
    ids.push(campaign.id);
  }
  return ids;
}

function withOverrides(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const body = { ...base, ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete body[key];
  return body;
}
