import { readFile } from 'node:fs/promises';
import type { JsonObject, JsonValue } from '@protobuf-ts/runtime';
import {
  CampaignInfo_DndAction,
  CampaignInfo_RetryScenario,
  CampaignInfo_StartLogic,
  CampaignInfo_Trigger,
  CreateCampaignRequest,
} from '../../typescript';
import { listFlag, stringFlag, type OptionSpecs, type OptionValues } from '../args';
import type { FlagHelp } from '../command';
import { UsageError } from '../exit-codes';

type Kind = 'string' | 'enum' | 'int' | 'bool';

/** The enum behind each enum flag: its value names are the words the flag accepts. */
const ENUMS: Readonly<Record<string, Readonly<Record<string, string | number>>>> = {
  trigger: CampaignInfo_Trigger,
  'dnd-action': CampaignInfo_DndAction,
  'start-logic': CampaignInfo_StartLogic,
  'retry-on': CampaignInfo_RetryScenario,
};

/** Single-valued flags and the CreateCampaign JSON field each sets. */
const SCALAR_FLAGS: readonly (readonly [flag: string, field: string, kind: Kind, help: string])[] = [
  ['name', 'name', 'string', 'campaign name, unique within the tenant (required)'],
  ['assistant', 'assistant_id', 'string', 'the agent that talks on every call (required)'],
  ['phone-number', 'phone_number_id', 'string', 'caller id of a SINGLE dialer: E.164 number or provider id'],
  ['timezone', 'timezone', 'string', 'IANA timezone of the calling window (required), e.g. Asia/Kolkata'],
  ['trigger', 'trigger', 'enum', 'API (fed by SendMessage, the default) or BULK (fed by imports)'],
  ['start-date', 'start_date', 'string', 'first calling day, YYYY-MM-DD'],
  ['end-date', 'end_date', 'string', 'last calling day, YYYY-MM-DD'],
  ['business-hours', 'business_hours_profile_id', 'string', 'business-hours profile id instead of --window'],
  ['dnd-action', 'dnd_action', 'enum', 'RESCHEDULE (default) or DISCARD for calls due outside the window'],
  ['start-logic', 'start_logic', 'enum', 'START_IMMEDIATELY, WAIT_FOR_GREETING or WAIT_SECONDS'],
  ['start-delay', 'start_delay_seconds', 'int', 'seconds before the agent talks with WAIT_SECONDS (1-5)'],
  ['ring-duration', 'ring_duration_seconds', 'int', 'seconds a call rings (15-30, default 30)'],
  ['max-attempts', 'max_call_attempts', 'int', 'calls per contact, first call included (1-11, default 1)'],
  ['max-daily-attempts', 'max_daily_attempts', 'int', 'calls per contact per day (0 = no limit)'],
  ['min-gap', 'min_gap_between_attempts', 'int', 'minutes between attempts (>= 3, default 30)'],
  ['max-concurrent', 'max_concurrent_calls', 'int', 'calls in flight at once (1-1000, default 10)'],
  ['webhook-url', 'webhook_url', 'string', 'where campaign and message events are POSTed'],
  ['voicemail-answered', 'consider_voicemail_as_answered', 'bool', 'a voicemail counts as a successful call'],
  ['recipient-local-time', 'recipient_local_time', 'bool', "read the window in each recipient's timezone"],
];

/** The flags of `campaigns create`. */
export const CREATE_OPTIONS: OptionSpecs = {
  file: { type: 'string' },
  ...Object.fromEntries(SCALAR_FLAGS.map(([flag, , kind]) => [flag, { type: kind === 'bool' ? 'boolean' : 'string' }])),
  pool: { type: 'string', multiple: true },
  days: { type: 'string', multiple: true },
  window: { type: 'string' },
  'retry-on': { type: 'string', multiple: true },
  'retry-delay': { type: 'string', multiple: true },
};

/** Their `--help` lines. */
export const CREATE_FLAG_HELP: readonly FlagHelp[] = [
  ['--file FILE.json', 'a CreateCampaign JSON body (snake_case, as for curl); flags override its fields'],
  ...SCALAR_FLAGS.map(([flag, , kind, help]): FlagHelp => [kind === 'bool' ? `--${flag}` : `--${flag} VALUE`, help]),
  ['--pool N1,N2', 'caller ids of a POOL dialer (sets dialer_type POOL); repeatable'],
  ['--days MON,TUE', 'calling days (MON..SUN or MONDAY..SUNDAY); default every day'],
  ['--window HH:MM-HH:MM', 'daily calling window in the campaign timezone, e.g. 09:00-18:00'],
  ['--retry-on BUSY,NO_ANSWER', 'outcomes to retry: BUSY, NO_ANSWER, FAILED, VOICEMAIL'],
  ['--retry-delay BUSY=5', 'minutes before retrying that outcome; repeatable'],
];

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/**
 * The CreateCampaign request: the `--file` body (if any) with every flag given laid over it,
 * read by the generated type's JSON reader, so enum names, field names and unknown fields are
 * treated as the service treats them.
 */
export async function createCampaignRequest(values: OptionValues): Promise<CreateCampaignRequest> {
  const file = stringFlag(values, 'file');
  const body: JsonObject = { ...(file === undefined ? {} : await readJsonObject(file)), ...bodyFromFlags(values) };
  try {
    return CreateCampaignRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e: unknown) {
    throw new UsageError(`campaign settings: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The JSON fields the flags set; flags not given set nothing. */
export function bodyFromFlags(values: OptionValues): JsonObject {
  const body: Record<string, JsonValue> = {};
  for (const [flag, field, kind] of SCALAR_FLAGS) {
    const value = values[flag];
    if (value === undefined) continue;
    if (kind === 'bool') body[field] = value === true;
    else if (typeof value === 'string') body[field] = scalar(flag, kind, value);
  }
  const pool = listFlag(values, 'pool');
  if (pool.length > 0) {
    body.phone_number_pool = pool;
    body.dialer_type = 'POOL';
  }
  const days = listFlag(values, 'days');
  if (days.length > 0) body.days_of_week = days.map(dayName);
  const retryOn = listFlag(values, 'retry-on');
  if (retryOn.length > 0) body.retry_scenarios = retryOn.map((s) => enumWord('retry-on', s));
  const delays = listFlag(values, 'retry-delay');
  if (delays.length > 0) body.retry_delays = Object.fromEntries(delays.map(retryDelay));
  const window = stringFlag(values, 'window');
  if (window !== undefined) Object.assign(body, dailyWindow(window));
  return body;
}

function scalar(flag: string, kind: Kind, value: string): JsonValue {
  if (kind === 'enum') return enumWord(flag, value);
  if (kind === 'int') {
    if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${flag} must be a whole number, got "${value}"`);
    return Number(value);
  }
  return value;
}

/**
 * An enum flag's value, upper-cased and checked against the enum's names: the JSON reader would
 * silently drop a word it does not know (unknown fields are ignored, as the service ignores them).
 */
export function enumWord(flag: string, value: string): string {
  const word = value.trim().toUpperCase();
  const names = Object.keys(ENUMS[flag] ?? {}).filter((k) => Number.isNaN(Number(k)) && !k.endsWith('_UNSPECIFIED'));
  if (!names.includes(word)) throw new UsageError(`--${flag} must be one of ${names.join(', ')}; got "${value}"`);
  return word;
}

/** `MON` or `monday` → `MONDAY`. */
export function dayName(value: string): string {
  const upper = value.trim().toUpperCase();
  const day = DAYS.find((d) => d === upper || (upper.length === 3 && d.startsWith(upper)));
  if (day === undefined) throw new UsageError(`--days: unknown day "${value}" (use MON..SUN)`);
  return day;
}

function retryDelay(value: string): [string, number] {
  const match = /^([A-Za-z_]+)=(\d+)$/.exec(value);
  if (match === null) throw new UsageError(`--retry-delay must look like BUSY=5 (minutes), got "${value}"`);
  return [(match[1] as string).toUpperCase(), Number(match[2])];
}

/** `09:00-18:00` → daily start and end times. */
export function dailyWindow(value: string): { daily_start_time: string; daily_end_time: string } {
  const match = /^(\d{1,2}:\d{2}(?::\d{2})?)\s*-\s*(\d{1,2}:\d{2}(?::\d{2})?)$/.exec(value.trim());
  if (match === null) throw new UsageError(`--window must look like 09:00-18:00, got "${value}"`);
  return { daily_start_time: match[1] as string, daily_end_time: match[2] as string };
}

async function readJsonObject(file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e: unknown) {
    throw new UsageError(`--file: ${e instanceof Error ? e.message : String(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e: unknown) {
    throw new UsageError(`--file ${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--file ${file} must hold a JSON object`);
  }
  return parsed as JsonObject;
}
