/** Domain types of a campaign: plain values, no protobuf and no rows. */

export const CAMPAIGN_STATUSES = ['DRAFT', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_TYPES = ['OUTBOUND'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

export const CHANNELS = ['VOICE', 'SMS', 'WHATSAPP'] as const;
export type Channel = (typeof CHANNELS)[number];

export const TRIGGERS = ['API', 'BULK'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const DIALER_TYPES = ['SINGLE', 'POOL'] as const;
export type DialerType = (typeof DIALER_TYPES)[number];

export const START_LOGICS = ['START_IMMEDIATELY', 'WAIT_FOR_GREETING', 'WAIT_SECONDS'] as const;
export type StartLogic = (typeof START_LOGICS)[number];

export const DND_ACTIONS = ['RESCHEDULE', 'DISCARD'] as const;
export type DndAction = (typeof DND_ACTIONS)[number];

export const RETRY_SCENARIOS = ['BUSY', 'NO_ANSWER', 'FAILED', 'VOICEMAIL'] as const;
export type RetryScenario = (typeof RETRY_SCENARIOS)[number];

export const DAYS_OF_WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** Every setting of a campaign, validated, with defaults filled in. */
export interface CampaignSettings {
  readonly name: string;
  readonly type: CampaignType;
  readonly channel: Channel;
  readonly trigger: Trigger;
  readonly assistantId: string;
  readonly dialerType: DialerType;
  /** E.164 when it is a number; otherwise the provider's id of one. */
  readonly phoneNumberId: string | null;
  readonly phoneNumberPool: readonly string[];
  readonly startLogic: StartLogic;
  /** 1–5 with `WAIT_SECONDS`, else 0. */
  readonly startDelaySeconds: number;
  readonly ringDurationSeconds: number;
  /** IANA zone. */
  readonly timezone: string;
  /** `YYYY-MM-DD` or null for unbounded. */
  readonly startDate: string | null;
  readonly endDate: string | null;
  /** In calendar order, no repeats. */
  readonly daysOfWeek: readonly DayOfWeek[];
  /** `HH:MM:SS`; both null when the window is the whole day or a business-hours profile. */
  readonly dailyStartTime: string | null;
  readonly dailyEndTime: string | null;
  readonly businessHoursProfileId: string | null;
  readonly dndAction: DndAction;
  readonly maxCallAttempts: number;
  /** 0: no daily limit. */
  readonly maxDailyAttempts: number;
  readonly minGapMinutes: number;
  readonly retryScenarios: readonly RetryScenario[];
  readonly retryDelays: Readonly<Partial<Record<RetryScenario, number>>>;
  readonly considerVoicemailAsAnswered: boolean;
  readonly maxConcurrentCalls: number;
  readonly recipientLocalTime: boolean;
  readonly webhookUrl: string | null;
}

/** A stored campaign. */
export interface Campaign extends CampaignSettings {
  readonly id: string;
  readonly tenantId: string;
  readonly status: CampaignStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
}

/**
 * Settings as a client sent them, before validation: absent values are `undefined`, enums are
 * already their domain words (an unrecognised word stays a string so validation can name it).
 */
export interface CampaignSettingsInput {
  name?: string;
  type?: string;
  channel?: string;
  trigger?: string;
  assistantId?: string;
  dialerType?: string;
  phoneNumberId?: string;
  phoneNumberPool?: readonly string[];
  startLogic?: string;
  startDelaySeconds?: number;
  ringDurationSeconds?: number;
  timezone?: string;
  startDate?: string;
  endDate?: string;
  daysOfWeek?: readonly string[];
  dailyStartTime?: string;
  dailyEndTime?: string;
  businessHoursProfileId?: string;
  dndAction?: string;
  maxCallAttempts?: number;
  maxDailyAttempts?: number;
  minGapMinutes?: number;
  retryScenarios?: readonly string[];
  retryDelays?: Readonly<Record<string, number>>;
  considerVoicemailAsAnswered?: boolean;
  maxConcurrentCalls?: number;
  recipientLocalTime?: boolean;
  webhookUrl?: string;
}

/** The wire (snake_case) name of each setting, for `meta.argument` and `update_mask`. */
export const SETTING_FIELDS: Readonly<Record<keyof CampaignSettingsInput, string>> = Object.freeze({
  name: 'name',
  type: 'type',
  channel: 'channel',
  trigger: 'trigger',
  assistantId: 'assistant_id',
  dialerType: 'dialer_type',
  phoneNumberId: 'phone_number_id',
  phoneNumberPool: 'phone_number_pool',
  startLogic: 'start_logic',
  startDelaySeconds: 'start_delay_seconds',
  ringDurationSeconds: 'ring_duration_seconds',
  timezone: 'timezone',
  startDate: 'start_date',
  endDate: 'end_date',
  daysOfWeek: 'days_of_week',
  dailyStartTime: 'daily_start_time',
  dailyEndTime: 'daily_end_time',
  businessHoursProfileId: 'business_hours_profile_id',
  dndAction: 'dnd_action',
  maxCallAttempts: 'max_call_attempts',
  maxDailyAttempts: 'max_daily_attempts',
  minGapMinutes: 'min_gap_between_attempts',
  retryScenarios: 'retry_scenarios',
  retryDelays: 'retry_delays',
  considerVoicemailAsAnswered: 'consider_voicemail_as_answered',
  maxConcurrentCalls: 'max_concurrent_calls',
  recipientLocalTime: 'recipient_local_time',
  webhookUrl: 'webhook_url',
});
