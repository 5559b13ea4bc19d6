import type { CampaignTwirp } from '../../generated/outreach/v1/campaign.twirp';
import { tenantOf, type RequestContext } from '../http/request-context';
import { addRecipients } from './add-recipients';
import {
  cancelMessage,
  getCampaignStats,
  getMessage,
  listMessages,
  sendMessage,
  type MessagesContext,
} from './messages.service';
import {
  addRecipientsResultToWire,
  messageToWire,
  recipientRowToInput,
  sendRequestToInput,
  sendResultToWire,
  statsToWire,
  statusesFromWire,
} from './messages.wire';

/** The message RPCs of the Campaign service: translate, call one service function, translate back. */
export function messageRpcs(
  ctx: MessagesContext,
): Pick<
  CampaignTwirp<RequestContext>,
  'SendMessage' | 'AddRecipients' | 'GetMessage' | 'ListMessages' | 'CancelMessage' | 'GetCampaignStats'
> {
  const { db } = ctx;
  return {
    SendMessage: async (rc, req) => sendResultToWire(await sendMessage(ctx, tenantOf(rc), sendRequestToInput(req))),
    AddRecipients: async (rc, req) =>
      addRecipientsResultToWire(await addRecipients(ctx, tenantOf(rc), req.campaignId, req.recipients.map(recipientRowToInput))),
    GetMessage: async (rc, req) => {
      const { message, attempts } = await getMessage(db, tenantOf(rc), req.messageId);
      return messageToWire(message, attempts);
    },
    ListMessages: async (rc, req) => {
      const page = await listMessages(db, tenantOf(rc), {
        campaignId: req.campaignId,
        statuses: statusesFromWire(req.status),
        pageSize: req.pageSize,
        pageToken: req.pageToken,
      });
      return { messages: page.messages.map((m) => messageToWire(m)), nextPageToken: page.nextPageToken };
    },
    CancelMessage: async (rc, req) => messageToWire(await cancelMessage(db, tenantOf(rc), req.messageId)),
    GetCampaignStats: async (rc, req) => statsToWire(await getCampaignStats(db, tenantOf(rc), req.campaignId)),
  };
}
