import { invalidArgument } from '../errors';
import type { JsonValue } from './message';
import {
  LIMITS,
  checkState,
  checkStringMap,
  optionalCallbackUrl,
  optionalText,
  parseSchedule,
  requirePhoneNumber,
  type Schedule,
} from './message-input';

/** A SendMessage request in domain terms, before validation. */
export interface SendMessageInput {
  readonly campaignId: string;
  readonly phoneNumber: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly callbackUrl: string;
  readonly callbackState: JsonValue | undefined;
  readonly scheduledTime: string;
  readonly bypassCallingWindow: boolean;
  readonly allowDuplicates: boolean;
  readonly externalId: string;
}

/** A validated SendMessage. */
export interface ValidSendMessage {
  readonly campaignId: string;
  readonly phoneNumber: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly callbackUrl: string | null;
  readonly callbackState: JsonValue | undefined;
  readonly schedule: Schedule;
  readonly bypassCallingWindow: boolean;
  readonly allowDuplicates: boolean;
  readonly externalId: string | null;
}

/**
 * Validates a SendMessage request. Fields are named as the established API spells them
 * (`CampaignID`, `To.PhoneNumber`, `ScheduledAt.Time`), since that is what its clients send.
 */
export function validateSendMessage(input: SendMessageInput): ValidSendMessage {
  const campaignId = input.campaignId.trim();
  if (campaignId === '') throw invalidArgument('CampaignID', 'CampaignID is required');
  return {
    campaignId,
    phoneNumber: requirePhoneNumber(input.phoneNumber, 'To.PhoneNumber'),
    variables: checkStringMap(input.variables, 'Variables'),
    callbackUrl: optionalCallbackUrl(input.callbackUrl, 'Callback.URL'),
    callbackState: checkState(input.callbackState, 'Callback.State'),
    schedule: parseSchedule(input.scheduledTime, 'ScheduledAt.Time'),
    bypassCallingWindow: input.bypassCallingWindow,
    allowDuplicates: input.allowDuplicates,
    externalId: optionalText(input.externalId, 'ExternalID', LIMITS.externalIdLength),
  };
}
