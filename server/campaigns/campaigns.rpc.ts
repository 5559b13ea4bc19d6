import type { Kysely } from 'kysely';
import type { CampaignTwirp } from '../../generated/outreach/v1/campaign.twirp';
import type { Database } from '../db/database';
import { tenantOf, type RequestContext } from '../http/request-context';
import {
  changeCampaignStatus,
  createCampaign,
  type CallbackPolicy,
  getCampaign,
  listCampaigns,
  updateCampaign,
} from './campaigns.service';
import { campaignToWire, createRequestToInput, statusesFromWire, updateRequestToPatch } from './campaigns.wire';

/**
 * The campaign RPCs of the Campaign service: each turns its request into domain input, calls one
 * service function, and turns the result back.
 */
export function campaignRpcs(db: Kysely<Database>, policy: CallbackPolicy): Pick<
  CampaignTwirp<RequestContext>,
  | 'CreateCampaign'
  | 'GetCampaign'
  | 'ListCampaigns'
  | 'UpdateCampaign'
  | 'StartCampaign'
  | 'PauseCampaign'
  | 'ResumeCampaign'
  | 'CancelCampaign'
> {
  return {
    CreateCampaign: async (ctx, req) => campaignToWire(await createCampaign(db, tenantOf(ctx), createRequestToInput(req), policy)),
    GetCampaign: async (ctx, req) => campaignToWire(await getCampaign(db, tenantOf(ctx), req.campaignId)),
    ListCampaigns: async (ctx, req) => {
      const page = await listCampaigns(db, tenantOf(ctx), {
        statuses: statusesFromWire(req.status),
        assistantId: req.assistantId === '' ? undefined : req.assistantId,
        pageSize: req.pageSize,
        pageToken: req.pageToken,
      });
      return { campaigns: page.campaigns.map(campaignToWire), nextPageToken: page.nextPageToken };
    },
    UpdateCampaign: async (ctx, req) => {
      const { patch, mask } = updateRequestToPatch(req);
      return campaignToWire(await updateCampaign(db, tenantOf(ctx), req.campaignId, patch, mask, policy));
    },
    StartCampaign: async (ctx, req) => campaignToWire(await changeCampaignStatus(db, tenantOf(ctx), req.campaignId, 'start')),
    PauseCampaign: async (ctx, req) => campaignToWire(await changeCampaignStatus(db, tenantOf(ctx), req.campaignId, 'pause')),
    ResumeCampaign: async (ctx, req) =>
      campaignToWire(await changeCampaignStatus(db, tenantOf(ctx), req.campaignId, 'resume')),
    CancelCampaign: async (ctx, req) =>
      campaignToWire(await changeCampaignStatus(db, tenantOf(ctx), req.campaignId, 'cancel')),
  };
}
