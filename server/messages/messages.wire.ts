import type {
  AddRecipientsResponse,
  CampaignStats as CampaignStatsWire,
  SendMessageRequest,
  SendMessageResponse,
} from '../../generated/outreach/v1/campaign';
import { Value } from '../../generated/google/protobuf/struct';
import { Disposition as DispositionWire, MessageInfo_Status, type MessageInfo, type RecipientRow } from '../../generated/outreach/v1/message';
import type { JsonValue as ProtoJsonValue } from '@protobuf-ts/runtime';
import { valueOf, wordOf } from '../shared/proto-enum';
import { wireTime } from '../shared/wire-time';
import type { CampaignStats } from '../stats/campaign-stats';
import type { Attempt, JsonValue, Message, MessageStatus } from './message';
import type { RecipientRowInput } from './recipient-rows';
import type { SendMessageInput } from './send-message-input';
import type { AddRecipientsResult } from './add-recipients';
import type { SendResult } from './messages.service';

/** Translation between the protobuf messages about messages and their domain values. */

export function sendRequestToInput(r: SendMessageRequest): SendMessageInput {
  return {
    campaignId: r.campaignId,
    phoneNumber: r.to?.phoneNumber ?? '',
    variables: r.variables,
    callbackUrl: r.callback?.url ?? '',
    callbackState: r.callback?.state === undefined ? undefined : (Value.toJson(r.callback.state) as JsonValue),
    scheduledTime: r.scheduledAt?.time ?? '',
    bypassCallingWindow: r.scheduledAt?.bypassCallingWindow ?? false,
    allowDuplicates: r.allowDuplicates,
    externalId: r.externalId,
  };
}

export function sendResultToWire(result: SendResult): SendMessageResponse {
  return {
    messageId: result.messageId,
    status: valueOf(MessageInfo_Status, result.status),
    disposition: result.disposition === null ? DispositionWire.DISPOSITION_UNSPECIFIED : valueOf(DispositionWire, result.disposition),
    replayed: result.replayed,
  };
}

export function recipientRowToInput(r: RecipientRow): RecipientRowInput {
  return {
    phoneNumber: r.phoneNumber,
    variables: r.variables,
    language: r.language,
    metadata: r.metadata,
    timezone: r.timezone,
    externalId: r.externalId,
  };
}

export function addRecipientsResultToWire(result: AddRecipientsResult): AddRecipientsResponse {
  return {
    accepted: result.accepted,
    skippedInvalid: result.skippedInvalid,
    skippedDuplicate: result.skippedDuplicate,
    suppressed: result.suppressed,
    replayed: result.replayed,
    rejected: result.rejected.map((r) => ({ index: r.index, phoneNumber: r.phoneNumber, reason: r.reason })),
  };
}

export function statusesFromWire(values: readonly MessageInfo_Status[]): MessageStatus[] {
  return values.filter((v) => v !== MessageInfo_Status.STATUS_UNSPECIFIED).map((v) => wordOf(MessageInfo_Status, v) as MessageStatus);
}


/** A message as the wire shows it, with its attempts when they were read (GetMessage). */
export function messageToWire(m: Message, attempts: readonly Attempt[] = []): MessageInfo {
  return {
    messageId: m.id,
    campaignId: m.campaignId,
    phoneNumber: m.phoneNumber,
    variables: { ...m.variables },
    callback:
      m.callbackUrl === null && m.callbackState === undefined
        ? undefined
        : {
            url: m.callbackUrl ?? '',
            state: m.callbackState === undefined ? undefined : Value.fromJson(m.callbackState as ProtoJsonValue),
          },
    scheduledAt: wireTime(m.scheduledAt),
    bypassCallingWindow: m.bypassCallingWindow,
    status: valueOf(MessageInfo_Status, m.status),
    disposition: m.disposition === null ? DispositionWire.DISPOSITION_UNSPECIFIED : valueOf(DispositionWire, m.disposition),
    attemptCount: m.attemptCount,
    nextAttemptAt: wireTime(m.nextAttemptAt),
    attempts: attempts.map((a) => ({
      number: a.number,
      startedAt: a.startedAt.toISOString(),
      endedAt: wireTime(a.endedAt),
      outcome: a.outcome === null ? DispositionWire.DISPOSITION_UNSPECIFIED : valueOf(DispositionWire, a.outcome),
      providerCallId: a.providerCallId ?? '',
      durationSeconds: a.durationSeconds,
    })),
    createdAt: wireTime(m.createdAt),
    updatedAt: wireTime(m.updatedAt),
    externalId: m.externalId ?? '',
    language: m.language ?? '',
    metadata: { ...m.metadata },
    timezone: m.timezone ?? '',
  };
}

export function statsToWire(s: CampaignStats): CampaignStatsWire {
  return {
    campaignId: s.campaignId,
    total: s.total,
    queued: s.queued,
    dispatched: s.dispatched,
    succeeded: s.succeeded,
    failed: s.failed,
    byDisposition: { ...s.byDisposition } as Record<string, number>,
    byAttempt: { ...s.byAttempt },
  };
}
