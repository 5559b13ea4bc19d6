/**
 * `@outreach/client`: a typed client for every Outreach service, and the message types and enums
 * its requests and responses use — one import is enough.
 *
 * @example
 * import { createOutreachClient, OutreachError, CampaignInfo_Trigger } from '@outreach/client';
 */
export { createOutreachClient, type OutreachClient, type Service } from './src/client';
export { OutreachError, isOutreachErrorCode, type OutreachErrorCode } from './src/errors';
export type { CallOptions, OutreachClientOptions } from './src/options';

export * from '../../generated/google/protobuf/struct';
export * from '../../generated/outreach/v1/common';
export * from '../../generated/outreach/v1/message';
export * from '../../generated/outreach/v1/campaign';
export * from '../../generated/outreach/v1/do_not_call';
export * from '../../generated/outreach/v1/business_hours';
export * from '../../generated/outreach/v1/call_events';
export * from '../../generated/outreach/v1/webhooks';
export * from '../../generated/outreach/v1/admin';
export type { CampaignClient } from '../../generated/outreach/v1/campaign.twirp';
export type { DoNotCallClient } from '../../generated/outreach/v1/do_not_call.twirp';
export type { BusinessHoursClient } from '../../generated/outreach/v1/business_hours.twirp';
export type { CallEventsClient } from '../../generated/outreach/v1/call_events.twirp';
export type { WebhooksClient } from '../../generated/outreach/v1/webhooks.twirp';
export type { AdminClient } from '../../generated/outreach/v1/admin.twirp';
