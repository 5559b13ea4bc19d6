/**
 * Validation of a campaign's settings: defaults, ranges and cross-field rules, as the doc comments
 * of `CreateCampaignRequest` and `UpdateCampaignRequest` state them. Pure: no I/O, no clock.
 * The first problem found is thrown as `invalid_argument` naming its wire field.
 */
import { IANAZone } from 'luxon';
import { invalidArgument } from '../errors';
import { httpUrlProblem } from '../shared/http-url';
import { isUuid } from '../shared/ids';
import { isCalendarDate, parseTimeOfDay } from '../shared/time-of-day';
import { looksLikePhoneNumber, toE164 } from '../shared/phone-number';
import { CAMPAIGN_TYPES, CHANNELS, DAYS_OF_WEEK, DIALER_TYPES, DND_ACTIONS, RETRY_SCENARIOS } from './campaign';
import { SETTING_FIELDS, START_LOGICS, TRIGGERS } from './campaign';
import type { CampaignSettings, CampaignSettingsInput, DayOfWeek, RetryScenario } from './campaign';

type Key = keyof CampaignSettingsInput;
type EnumKey = 'type' | 'channel' | 'trigger' | 'dialerType' | 'startLogic' | 'dndAction';
type IntegerKey =
  | 'ringDurationSeconds'
  | 'maxCallAttempts'
  | 'maxDailyAttempts'
  | 'minGapMinutes'
  | 'maxConcurrentCalls';

/** Inclusive range and default of each integer setting (`start_delay_seconds` has its own rule). */
const INTEGER_RULES: Readonly<Record<IntegerKey, { min: number; max: number; fallback: number }>> = {
  ringDurationSeconds: { min: 15, max: 30, fallback: 30 },
  maxCallAttempts: { min: 1, max: 11, fallback: 1 },
  maxDailyAttempts: { min: 0, max: 11, fallback: 0 },
  minGapMinutes: { min: 3, max: 10080, fallback: 30 },
  maxConcurrentCalls: { min: 1, max: 1000, fallback: 10 },
};

const MAX_NAME = 200;
const MAX_ASSISTANT_ID = 200;
const MAX_POOL = 100;
const MAX_RETRY_DELAY = 10080;
const DEFAULT_RETRY_SCENARIOS: readonly RetryScenario[] = ['BUSY', 'NO_ANSWER', 'FAILED'];
const LIST_KEYS: ReadonlySet<Key> = new Set(['phoneNumberPool', 'daysOfWeek', 'retryScenarios']);
const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * How list settings are read. On create an empty list cannot be told from an omitted one on the
 * wire (proto3), so it takes the default; merged settings are literal, so a stored empty
 * `retry_scenarios` stays empty and an emptied `days_of_week` is refused.
 */
interface ValidateOptions {
  readonly literalLists: boolean;
}

/** Validates the settings of a new campaign and fills in every default. */
export function validateNewCampaign(input: CampaignSettingsInput): CampaignSettings {
  return validateSettings(input, { literalLists: false });
}

/**
 * Applies an `UpdateCampaignRequest` to stored settings and re-validates the result with the
 * create rules. Without `mask` (or with an empty one) every present patch field is written, lists
 * and maps only when non-empty; with a mask of snake_case wire names exactly the masked fields are
 * written, and an absent masked field resets to its default (lists and maps: empty). An empty
 * string clears an optional string. `type` and `channel` are immutable; whether `trigger` may
 * change depends on the status, which the service checks.
 */
export function applyCampaignUpdate(
  current: CampaignSettings,
  patch: CampaignSettingsInput,
  mask: ReadonlySet<string> | undefined,
): CampaignSettings {
  for (const key of ['type', 'channel'] as const) {
    const wanted = patch[key];
    if (wanted !== undefined && wanted !== current[key]) {
      fail(key, `cannot be changed (it is ${current[key]}); got "${wanted}"`);
    }
  }
  const merged: Record<string, unknown> = settingsToInput(current);
  const masked = mask !== undefined && mask.size > 0 ? maskedKeys(mask) : undefined;
  for (const key of Object.keys(SETTING_FIELDS) as Key[]) {
    const value = patch[key];
    if (masked === undefined ? isPresent(value) : masked.has(key)) merged[key] = value ?? emptyValue(key);
  }
  return validateSettings(merged as CampaignSettingsInput, { literalLists: true });
}

/** Groups run in wire-field order, so the problem reported is the first one a reader meets. */
function validateSettings(input: CampaignSettingsInput, options: ValidateOptions): CampaignSettings {
  return {
    ...identitySettings(input),
    ...dialerSettings(input, options),
    ...callSettings(input),
    ...scheduleSettings(input, options),
    ...retrySettings(input, options),
    maxConcurrentCalls: integer(input, 'maxConcurrentCalls'),
    recipientLocalTime: input.recipientLocalTime ?? false,
    webhookUrl: webhook(text(input.webhookUrl)),
  };
}

function identitySettings(input: CampaignSettingsInput) {
  const name = required(input, 'name');
  const length = Array.from(name).length;
  if (length > MAX_NAME) fail('name', `must be at most ${MAX_NAME} characters; got ${length}`);
  const type = oneOf(input, 'type', CAMPAIGN_TYPES, 'OUTBOUND');
  const channel = oneOf(input, 'channel', CHANNELS, 'VOICE');
  if (channel !== 'VOICE') fail('channel', `${channel} is not supported yet; only VOICE is accepted`);
  const trigger = oneOf(input, 'trigger', TRIGGERS, 'API');
  const assistantId = required(input, 'assistantId');
  if (assistantId.length > MAX_ASSISTANT_ID) {
    fail('assistantId', `must be at most ${MAX_ASSISTANT_ID} characters; got ${assistantId.length}`);
  }
  return { name, type, channel, trigger, assistantId };
}

/** Both caller-id settings are kept whatever the dialer type; only the one it uses is required. */
function dialerSettings(input: CampaignSettingsInput, options: ValidateOptions) {
  const dialerType = oneOf(input, 'dialerType', DIALER_TYPES, 'SINGLE');
  const single = text(input.phoneNumberId);
  const phoneNumberId = single === undefined ? null : callerId(single, SETTING_FIELDS.phoneNumberId);
  const raw = listOf(input.phoneNumberPool, options) ?? [];
  if (raw.length > MAX_POOL) fail('phoneNumberPool', `may hold at most ${MAX_POOL} caller ids; got ${raw.length}`);
  const pool = raw.map((entry, i) => callerId(entry.trim(), `${SETTING_FIELDS.phoneNumberPool}[${i}]`));
  if (dialerType === 'SINGLE' && phoneNumberId === null) {
    fail('phoneNumberId', 'is required with dialer_type SINGLE: an E.164 number or the provider id of one');
  }
  if (dialerType === 'POOL' && pool.length === 0) {
    fail('phoneNumberPool', `is required with dialer_type POOL: 1 to ${MAX_POOL} caller ids`);
  }
  return { dialerType, phoneNumberId, phoneNumberPool: [...new Set(pool)] };
}

/** A caller id: a phone number (normalised to E.164) when it looks like one, else a provider id. */
function callerId(value: string, field: string): string {
  if (value === '') reject(field, 'is empty; give an E.164 number or a provider id');
  if (looksLikePhoneNumber(value)) {
    const e164 = toE164(value);
    if (e164 !== undefined) return e164;
    reject(field, `must be a valid phone number (E.164, "+" optional); got "${value}"`);
  }
  if (PROVIDER_ID.test(value)) return value;
  return reject(
    field,
    `must be an E.164 number or a provider id (a letter or digit, then up to 127 letters, digits, "_", ".", ":" ` +
      `or "-"); got "${value}"`,
  );
}

function callSettings(input: CampaignSettingsInput) {
  const startLogic = oneOf(input, 'startLogic', START_LOGICS, 'START_IMMEDIATELY');
  const delay = input.startDelaySeconds ?? 0;
  if (!Number.isInteger(delay) || (delay !== 0 && (delay < 1 || delay > 5))) {
    fail('startDelaySeconds', `must be a whole number from 1 to 5; got ${delay}`);
  }
  const waitSeconds = startLogic === 'WAIT_SECONDS';
  if (waitSeconds && delay === 0) fail('startDelaySeconds', 'is required with start_logic WAIT_SECONDS: 1 to 5');
  const startDelaySeconds = waitSeconds ? delay : 0;
  return { startLogic, startDelaySeconds, ringDurationSeconds: integer(input, 'ringDurationSeconds') };
}

function scheduleSettings(input: CampaignSettingsInput, options: ValidateOptions) {
  const timezone = required(input, 'timezone');
  if (!IANAZone.isValidZone(timezone))
    fail('timezone', `must be an IANA timezone such as Asia/Kolkata; got "${timezone}"`);
  const startDate = calendarDate(input, 'startDate');
  const endDate = calendarDate(input, 'endDate');
  if (startDate !== null && endDate !== null && endDate < startDate) {
    fail('endDate', `must not be before start_date ${startDate}; got ${endDate}`);
  }
  const daysOfWeek = days(listOf(input.daysOfWeek, options), options);
  const dndAction = oneOf(input, 'dndAction', DND_ACTIONS, 'RESCHEDULE');
  return { timezone, startDate, endDate, daysOfWeek, ...dailyWindow(input), dndAction };
}

function calendarDate(input: CampaignSettingsInput, key: 'startDate' | 'endDate'): string | null {
  const value = text(input[key]);
  if (value === undefined) return null;
  if (!isCalendarDate(value)) fail(key, `must be a calendar date YYYY-MM-DD; got "${value}"`);
  return value;
}

function days(list: readonly string[] | undefined, options: ValidateOptions): readonly DayOfWeek[] {
  if (list === undefined) return DAYS_OF_WEEK;
  if (list.length === 0 && options.literalLists) fail('daysOfWeek', 'cannot be empty; name at least one day');
  const unknown = list.find((day) => !(DAYS_OF_WEEK as readonly string[]).includes(day));
  if (unknown !== undefined) fail('daysOfWeek', `must hold days ${DAYS_OF_WEEK.join(', ')}; got "${unknown}"`);
  return DAYS_OF_WEEK.filter((day) => list.includes(day));
}

function dailyWindow(input: CampaignSettingsInput) {
  const start = text(input.dailyStartTime);
  const end = text(input.dailyEndTime);
  const profile = text(input.businessHoursProfileId);
  if (profile !== undefined && !isUuid(profile)) {
    fail('businessHoursProfileId', `must be a profile id (a UUID); got "${profile}"`);
  }
  if (profile !== undefined && (start !== undefined || end !== undefined)) {
    fail('businessHoursProfileId', 'cannot be combined with daily_start_time/daily_end_time; use one or the other');
  }
  if (start === undefined && end !== undefined) fail('dailyStartTime', 'is required when daily_end_time is given');
  if (end === undefined && start !== undefined) fail('dailyEndTime', 'is required when daily_start_time is given');
  const dailyStartTime = start === undefined ? null : timeOfDay(start, 'dailyStartTime');
  const dailyEndTime = end === undefined ? null : timeOfDay(end, 'dailyEndTime');
  if (dailyStartTime !== null && dailyEndTime !== null && dailyEndTime <= dailyStartTime) {
    fail('dailyEndTime', `must be after daily_start_time ${dailyStartTime}; got ${dailyEndTime}`);
  }
  return { dailyStartTime, dailyEndTime, businessHoursProfileId: profile?.toLowerCase() ?? null };
}

/** `HH:MM[:SS]` → `HH:MM:SS`; `24:00[:00]` (the end of the day) only ends a window. */
function timeOfDay(value: string, key: 'dailyStartTime' | 'dailyEndTime'): string {
  const parsed = parseTimeOfDay(value, { endOfDay: key === 'dailyEndTime' });
  if (parsed !== undefined) return parsed;
  const range = key === 'dailyEndTime' ? '00:00 to 24:00' : '00:00 to 23:59:59';
  return fail(key, `must be a time HH:MM or HH:MM:SS from ${range}; got "${value}"`);
}

function retrySettings(input: CampaignSettingsInput, options: ValidateOptions) {
  const maxCallAttempts = integer(input, 'maxCallAttempts');
  const maxDailyAttempts = integer(input, 'maxDailyAttempts');
  const minGapMinutes = integer(input, 'minGapMinutes');
  const list = listOf(input.retryScenarios, options);
  const unknown = list?.find((scenario) => !isRetryScenario(scenario));
  if (unknown !== undefined) fail('retryScenarios', `must hold ${RETRY_SCENARIOS.join(', ')}; got "${unknown}"`);
  const retryScenarios = list === undefined ? DEFAULT_RETRY_SCENARIOS : [...new Set(list as readonly RetryScenario[])];
  const retryDelays = delays(input.retryDelays ?? {}, minGapMinutes);
  const considerVoicemailAsAnswered = input.considerVoicemailAsAnswered ?? false;
  return { maxCallAttempts, maxDailyAttempts, minGapMinutes, retryScenarios, retryDelays, considerVoicemailAsAnswered };
}

function delays(map: Readonly<Record<string, number>>, minGap: number): Partial<Record<RetryScenario, number>> {
  const result: Partial<Record<RetryScenario, number>> = {};
  for (const [key, minutes] of Object.entries(map)) {
    const field = `${SETTING_FIELDS.retryDelays}.${key}`;
    const scenario = key.trim().toUpperCase();
    if (!isRetryScenario(scenario)) reject(field, `is not a retry scenario (${RETRY_SCENARIOS.join(', ')})`);
    if (result[scenario] !== undefined) reject(field, `repeats ${scenario}`);
    if (!Number.isInteger(minutes) || minutes < minGap || minutes > MAX_RETRY_DELAY) {
      reject(
        field,
        `must be whole minutes from min_gap_between_attempts (${minGap}) to ${MAX_RETRY_DELAY}; got ${minutes}`,
      );
    }
    result[scenario] = minutes;
  }
  return result;
}

function webhook(value: string | undefined): string | null {
  if (value === undefined) return null;
  const problem = httpUrlProblem(value);
  if (problem !== undefined) fail('webhookUrl', problem);
  return value;
}

function integer(input: CampaignSettingsInput, key: IntegerKey): number {
  const { min, max, fallback } = INTEGER_RULES[key];
  const value = input[key] ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(key, `must be a whole number from ${min} to ${max}; got ${value}`);
  }
  return value;
}

function oneOf<T extends string>(input: CampaignSettingsInput, key: EnumKey, allowed: readonly T[], fallback: T): T {
  const value = text(input[key]) ?? fallback;
  if (!(allowed as readonly string[]).includes(value))
    fail(key, `must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

function required(input: CampaignSettingsInput, key: 'name' | 'assistantId' | 'timezone'): string {
  const value = text(input[key]);
  if (value === undefined) fail(key, 'is required');
  return value;
}

/** Trimmed; an empty string counts as absent. */
function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function listOf(list: readonly string[] | undefined, options: ValidateOptions): readonly string[] | undefined {
  return list !== undefined && list.length === 0 && !options.literalLists ? undefined : list;
}

function isRetryScenario(value: string): value is RetryScenario {
  return (RETRY_SCENARIOS as readonly string[]).includes(value);
}

function fail(key: Key, problem: string): never {
  return reject(SETTING_FIELDS[key], problem);
}

/** Throws `invalid_argument` naming `field` (a wire name), with a message that starts with it. */
function reject(field: string, problem: string): never {
  throw invalidArgument(field, `${field} ${problem}`);
}

function maskedKeys(mask: ReadonlySet<string>): ReadonlySet<Key> {
  const byWire = new Map(Object.entries(SETTING_FIELDS).map(([key, wire]) => [wire, key as Key]));
  const keys = [...mask].map(
    (wire) => byWire.get(wire) ?? reject('update_mask', `names "${wire}", which is not a campaign setting`),
  );
  return new Set(keys);
}

function isPresent(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return value !== undefined;
}

function emptyValue(key: Key): unknown {
  if (key === 'retryDelays') return {};
  return LIST_KEYS.has(key) ? [] : undefined;
}

/** Stored settings (maybe a whole `Campaign`) as an input again: only settings, `null` made absent. */
function settingsToInput(settings: CampaignSettings): Record<string, unknown> {
  return Object.fromEntries((Object.keys(SETTING_FIELDS) as Key[]).map((key) => [key, settings[key] ?? undefined]));
}
