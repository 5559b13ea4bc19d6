import {
  CampaignInfo_Channel,
  CampaignInfo_DialerType,
  CampaignInfo_DndAction,
  CampaignInfo_RetryScenario,
  CampaignInfo_StartLogic,
  CampaignInfo_Status,
  CampaignInfo_Trigger,
  CampaignInfo_Type,
  type CampaignInfo,
  type CreateCampaignRequest,
  type UpdateCampaignRequest,
} from '../../generated/outreach/v1/campaign';
import { DayOfWeek } from '../../generated/outreach/v1/common';
import { valueOf, wordOf } from '../shared/proto-enum';
import { wireTime } from '../shared/wire-time';
import type { Campaign, CampaignSettingsInput, CampaignStatus } from './campaign';

/** Translation between the protobuf messages of the Campaign service and campaign domain values. */

const nonEmpty = <T>(list: readonly T[]): readonly T[] | undefined => (list.length === 0 ? undefined : list);
const words = (e: Record<string | number, string | number>, values: readonly number[]): string[] =>
  values.map((v) => wordOf(e, v) ?? String(v));

/** The settings fields create and update requests share; update's are optional. */
type SettingsRequest = Omit<CreateCampaignRequest, 'considerVoicemailAsAnswered' | 'recipientLocalTime'> &
  Pick<UpdateCampaignRequest, 'considerVoicemailAsAnswered' | 'recipientLocalTime'>;
type LooseStrings<T> = { [K in keyof T]: T[K] extends string ? string | undefined : T[K] };

/**
 * Request settings as domain input. Enums at their zero value, empty lists and empty maps mean
 * "not given"; `text` decides what a string means (absent on create when empty, a clear on update).
 */
function requestToInput(r: LooseStrings<SettingsRequest>, text: (s: string | undefined) => string | undefined): CampaignSettingsInput {
  return {
    name: text(r.name),
    type: wordOf(CampaignInfo_Type, r.type),
    channel: wordOf(CampaignInfo_Channel, r.channel),
    trigger: wordOf(CampaignInfo_Trigger, r.trigger),
    assistantId: text(r.assistantId),
    dialerType: wordOf(CampaignInfo_DialerType, r.dialerType),
    phoneNumberId: text(r.phoneNumberId),
    phoneNumberPool: nonEmpty(r.phoneNumberPool),
    startLogic: wordOf(CampaignInfo_StartLogic, r.startLogic),
    startDelaySeconds: r.startDelaySeconds,
    ringDurationSeconds: r.ringDurationSeconds,
    timezone: text(r.timezone),
    startDate: text(r.startDate),
    endDate: text(r.endDate),
    daysOfWeek: nonEmpty(words(DayOfWeek, r.daysOfWeek)),
    dailyStartTime: text(r.dailyStartTime),
    dailyEndTime: text(r.dailyEndTime),
    businessHoursProfileId: text(r.businessHoursProfileId),
    dndAction: wordOf(CampaignInfo_DndAction, r.dndAction),
    maxCallAttempts: r.maxCallAttempts,
    maxDailyAttempts: r.maxDailyAttempts,
    minGapMinutes: r.minGapBetweenAttempts,
    retryScenarios: nonEmpty(words(CampaignInfo_RetryScenario, r.retryScenarios)),
    retryDelays: Object.keys(r.retryDelays).length === 0 ? undefined : r.retryDelays,
    considerVoicemailAsAnswered: r.considerVoicemailAsAnswered,
    maxConcurrentCalls: r.maxConcurrentCalls,
    recipientLocalTime: r.recipientLocalTime,
    webhookUrl: text(r.webhookUrl),
  };
}

/** A create request as domain input: empty strings and lists mean "not given". */
export function createRequestToInput(r: CreateCampaignRequest): CampaignSettingsInput {
  return requestToInput(r, (s) => (s === '' ? undefined : s));
}

/**
 * An update request as a patch: optional fields are present when set (an empty string clears),
 * lists and maps when non-empty; `update_mask` is returned apart.
 */
export function updateRequestToPatch(r: UpdateCampaignRequest): {
  patch: CampaignSettingsInput;
  mask: ReadonlySet<string> | undefined;
} {
  const patch = requestToInput(r as LooseStrings<SettingsRequest>, (s) => s);
  return { patch, mask: r.updateMask.length === 0 ? undefined : new Set(r.updateMask) };
}

/** A status filter of the list request, as domain words. */
export function statusesFromWire(values: readonly CampaignInfo_Status[]): CampaignStatus[] {
  return values.filter((v) => v !== CampaignInfo_Status.STATUS_UNSPECIFIED).map((v) => wordOf(CampaignInfo_Status, v) as CampaignStatus);
}


/** A campaign as the wire shows it, every setting included. */
export function campaignToWire(c: Campaign): CampaignInfo {
  return {
    campaignId: c.id,
    name: c.name,
    status: valueOf(CampaignInfo_Status, c.status),
    type: valueOf(CampaignInfo_Type, c.type),
    channel: valueOf(CampaignInfo_Channel, c.channel),
    trigger: valueOf(CampaignInfo_Trigger, c.trigger),
    assistantId: c.assistantId,
    dialerType: valueOf(CampaignInfo_DialerType, c.dialerType),
    phoneNumberId: c.phoneNumberId ?? '',
    phoneNumberPool: [...c.phoneNumberPool],
    startLogic: valueOf(CampaignInfo_StartLogic, c.startLogic),
    startDelaySeconds: c.startDelaySeconds,
    ringDurationSeconds: c.ringDurationSeconds,
    timezone: c.timezone,
    startDate: c.startDate ?? '',
    endDate: c.endDate ?? '',
    daysOfWeek: c.daysOfWeek.map((d) => valueOf(DayOfWeek, d)),
    dailyStartTime: c.dailyStartTime ?? '',
    dailyEndTime: c.dailyEndTime ?? '',
    businessHoursProfileId: c.businessHoursProfileId ?? '',
    dndAction: valueOf(CampaignInfo_DndAction, c.dndAction),
    maxCallAttempts: c.maxCallAttempts,
    maxDailyAttempts: c.maxDailyAttempts,
    minGapBetweenAttempts: c.minGapMinutes,
    retryScenarios: c.retryScenarios.map((s) => valueOf(CampaignInfo_RetryScenario, s)),
    retryDelays: { ...c.retryDelays } as Record<string, number>,
    considerVoicemailAsAnswered: c.considerVoicemailAsAnswered,
    maxConcurrentCalls: c.maxConcurrentCalls,
    recipientLocalTime: c.recipientLocalTime,
    webhookUrl: c.webhookUrl ?? '',
    createdAt: wireTime(c.createdAt),
    updatedAt: wireTime(c.updatedAt),
    startedAt: wireTime(c.startedAt),
    endedAt: wireTime(c.endedAt),
  };
}
