import {
  CampaignInfo_Channel,
  CampaignInfo_DialerType,
  CampaignInfo_DndAction,
  CampaignInfo_RetryScenario,
  CampaignInfo_StartLogic,
  CampaignInfo_Status,
  CampaignInfo_Trigger,
  CampaignInfo_Type,
  DayOfWeek,
  type CampaignInfo,
} from '../../typescript';
import { enumName, formatMap, renderFields, renderTable } from '../output';

/** A campaign's settings and status, one `label: value` line each, labels as the proto names them. */
export function renderCampaign(c: CampaignInfo): string {
  const window = c.dailyStartTime === '' ? '' : `${c.dailyStartTime}-${c.dailyEndTime}`;
  return renderFields([
    ['campaign_id', c.campaignId],
    ['name', c.name],
    ['status', enumName(CampaignInfo_Status, c.status)],
    ['type', enumName(CampaignInfo_Type, c.type)],
    ['channel', enumName(CampaignInfo_Channel, c.channel)],
    ['trigger', enumName(CampaignInfo_Trigger, c.trigger)],
    ['assistant_id', c.assistantId],
    ['dialer_type', enumName(CampaignInfo_DialerType, c.dialerType)],
    ['phone_number_id', c.phoneNumberId],
    ['phone_number_pool', c.phoneNumberPool.join(', ')],
    ['start_logic', enumName(CampaignInfo_StartLogic, c.startLogic)],
    ['start_delay_seconds', c.startDelaySeconds === 0 ? '' : String(c.startDelaySeconds)],
    ['ring_duration_seconds', String(c.ringDurationSeconds)],
    ['timezone', c.timezone],
    ['dates', c.startDate === '' && c.endDate === '' ? '' : `${c.startDate || '…'} to ${c.endDate || '…'}`],
    ['days_of_week', c.daysOfWeek.map((d) => enumName(DayOfWeek, d)).join(', ')],
    ['daily_window', window],
    ['business_hours_profile_id', c.businessHoursProfileId],
    ['dnd_action', enumName(CampaignInfo_DndAction, c.dndAction)],
    ['max_call_attempts', String(c.maxCallAttempts)],
    ['max_daily_attempts', c.maxDailyAttempts === 0 ? 'no limit' : String(c.maxDailyAttempts)],
    ['min_gap_between_attempts', `${c.minGapBetweenAttempts} min`],
    ['retry_scenarios', c.retryScenarios.map((s) => enumName(CampaignInfo_RetryScenario, s)).join(', ')],
    ['retry_delays', formatMap(c.retryDelays)],
    ['consider_voicemail_as_answered', String(c.considerVoicemailAsAnswered)],
    ['max_concurrent_calls', String(c.maxConcurrentCalls)],
    ['recipient_local_time', String(c.recipientLocalTime)],
    ['webhook_url', c.webhookUrl],
    ['created_at', c.createdAt],
    ['started_at', c.startedAt],
    ['ended_at', c.endedAt],
  ]);
}

/** Campaigns as a table, one line each. */
export function renderCampaignTable(campaigns: readonly CampaignInfo[]): string {
  return renderTable(
    ['CAMPAIGN_ID', 'STATUS', 'TRIGGER', 'ASSISTANT', 'CREATED', 'NAME'],
    campaigns.map((c) => [
      c.campaignId,
      enumName(CampaignInfo_Status, c.status),
      enumName(CampaignInfo_Trigger, c.trigger),
      c.assistantId,
      c.createdAt,
      c.name,
    ]),
  );
}

/** A status name (`running`, `RUNNING`) as the enum value; undefined when unknown. */
export function campaignStatus(name: string): CampaignInfo_Status | undefined {
  const value = (CampaignInfo_Status as unknown as Record<string, number | undefined>)[name.trim().toUpperCase()];
  return value === undefined || value === CampaignInfo_Status.STATUS_UNSPECIFIED ? undefined : value;
}
