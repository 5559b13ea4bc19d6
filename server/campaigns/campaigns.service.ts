import type { Kysely } from 'kysely';
import { requireProfileExists } from '../business-hours/business-hours.service';
import type { Database } from '../db/database';
import { endQueuedMessages } from '../scheduler/campaign-housekeeping.repository';
import { literalCallbackProblem } from '../webhooks/callback-address';
import { recordCampaignEvent, type CampaignEventType } from '../webhooks/outbox.repository';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors';
import { requireId } from '../shared/ids';
import { decodePageToken, encodePageToken, pageOf, pageSize } from '../shared/page-token';
import type { Campaign, CampaignSettingsInput, CampaignStatus } from './campaign';
import { allowedFrom, isFinished, transition, type LifecycleAction } from './campaign-lifecycle';
import { applyCampaignUpdate, validateNewCampaign } from './campaign-settings';
import {
  compareAndSetStatus,
  findCampaign,
  findCampaignForUpdate,
  insertCampaign,
  isDuplicateCampaignName,
  listCampaigns as selectCampaigns,
  updateCampaignSettings,
} from './campaigns.repository';

type DB = Kysely<Database>;

const PAGE_KIND = 'campaigns';

/** Creates a campaign in `DRAFT` after validating every setting. */
/** What a tenant's campaigns may point their webhooks at. */
export interface CallbackPolicy {
  /** Private, loopback and link-local addresses are allowed (development). */
  readonly allowPrivateCallbacks: boolean;
}

function checkWebhookAddress(url: string | null, policy: CallbackPolicy): void {
  const problem = url === null ? undefined : literalCallbackProblem(url, policy.allowPrivateCallbacks);
  if (problem !== undefined) throw invalidArgument('webhook_url', `webhook_url ${problem}`);
}

export async function createCampaign(db: DB, tenantId: string, input: CampaignSettingsInput, policy: CallbackPolicy): Promise<Campaign> {
  const settings = validateNewCampaign(input);
  checkWebhookAddress(settings.webhookUrl, policy);
  const profileId = settings.businessHoursProfileId;
  const campaign =
    profileId === null
      ? await insertCampaign(db, tenantId, settings)
      : // The profile stays locked until the campaign is in, so a concurrent delete cannot slip between.
        await db.transaction().execute(async (trx) => {
          await requireProfileExists(trx, tenantId, profileId);
          return insertCampaign(trx, tenantId, settings);
        });
  if (campaign === undefined) throw nameTaken(settings.name);
  return campaign;
}

/** A campaign of this tenant; any other id, well-formed or not, is `not_found`. */
export async function getCampaign(db: DB, tenantId: string, campaignId: string): Promise<Campaign> {
  const id = requireCampaignId(campaignId);
  const campaign = await findCampaign(db, tenantId, id);
  if (campaign === undefined) throw campaignNotFound();
  return campaign;
}

export interface ListCampaignsInput {
  readonly statuses: readonly CampaignStatus[];
  readonly assistantId: string | undefined;
  readonly pageSize: number;
  readonly pageToken: string;
}

/** One page of this tenant's campaigns, newest first, and the token of the next page. */
export async function listCampaigns(
  db: DB,
  tenantId: string,
  input: ListCampaignsInput,
): Promise<{ campaigns: Campaign[]; nextPageToken: string }> {
  const limit = pageSize(input.pageSize);
  const beforeSeq = decodePageToken(PAGE_KIND, input.pageToken);
  // One row more than the page tells whether another page follows without a count.
  const rows = await selectCampaigns(db, tenantId, {
    statuses: input.statuses,
    assistantId: input.assistantId,
    beforeSeq,
    limit: limit + 1,
  });
  const { page, nextPageToken } = pageOf(rows, limit, (last) => encodePageToken(PAGE_KIND, last.seq));
  return { campaigns: page.map((r) => r.campaign), nextPageToken };
}

/**
 * Applies a settings patch under the row lock, so concurrent updates serialise instead of losing
 * each other's changes. Finished campaigns refuse; `trigger` changes only in `DRAFT`.
 */
export async function updateCampaign(
  db: DB,
  tenantId: string,
  campaignId: string,
  patch: CampaignSettingsInput,
  mask: ReadonlySet<string> | undefined,
  policy: CallbackPolicy,
): Promise<Campaign> {
  const id = requireCampaignId(campaignId);
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await findCampaignForUpdate(trx, tenantId, id);
      if (current === undefined) throw campaignNotFound();
      if (isFinished(current.status)) {
        throw failedPrecondition(`campaign is ${current.status}; a finished campaign cannot be changed`, {
          status: current.status,
        });
      }
      const settings = applyCampaignUpdate(current, patch, mask);
      if (settings.webhookUrl !== current.webhookUrl) checkWebhookAddress(settings.webhookUrl, policy);
      if (settings.trigger !== current.trigger && current.status !== 'DRAFT') {
        throw invalidArgument('trigger', `trigger can only be changed while the campaign is a DRAFT; it is ${current.status}`);
      }
      if (settings.businessHoursProfileId !== null && settings.businessHoursProfileId !== current.businessHoursProfileId) {
        await requireProfileExists(trx, tenantId, settings.businessHoursProfileId);
      }
      return updateCampaignSettings(trx, tenantId, id, settings);
    });
  } catch (e: unknown) {
    if (isDuplicateCampaignName(e)) throw nameTaken(patch.name ?? '');
    throw e;
  }
}

/** The webhook each status a lifecycle action leads to sends; resuming sends `campaign.started` again. */
const CAMPAIGN_EVENTS: Readonly<Partial<Record<CampaignStatus, CampaignEventType>>> = {
  RUNNING: 'campaign.started',
  PAUSED: 'campaign.paused',
  COMPLETED: 'campaign.completed',
  CANCELLED: 'campaign.cancelled',
};

/**
 * Moves a campaign through its lifecycle with one compare-and-set; when it is not in a state the
 * action starts from, the pure state machine explains why.
 */
export async function changeCampaignStatus(
  db: DB,
  tenantId: string,
  campaignId: string,
  action: LifecycleAction,
): Promise<Campaign> {
  const id = requireCampaignId(campaignId);
  const current = await findCampaign(db, tenantId, id);
  if (current === undefined) throw campaignNotFound();
  const to = transition(current.status, action);
  const moved = await db.transaction().execute(async (trx) => {
    const changed = await compareAndSetStatus(trx, tenantId, id, allowedFrom(action), to);
    if (changed === undefined) return undefined;
    const now = new Date();
    // Cancelling fails the campaign's queued messages at once; calls in flight finish.
    if (to === 'CANCELLED') await endQueuedMessages(trx, [id], 'CANCELLED', 'campaign_cancelled', now);
    const event = CAMPAIGN_EVENTS[to];
    if (event !== undefined) await recordCampaignEvent(trx, event, id, now);
    return changed;
  });
  if (moved !== undefined) return moved;
  // Another request changed the status between the read and the write: judge the new one.
  const now = await findCampaign(db, tenantId, id);
  if (now === undefined) throw campaignNotFound();
  transition(now.status, action);
  throw failedPrecondition(`campaign changed to ${now.status} concurrently; try again`, { status: now.status });
}

function requireCampaignId(campaignId: string): string {
  return requireId(campaignId, 'campaign_id', campaignNotFound);
}

function campaignNotFound(): Error {
  return notFound('no campaign with that campaign_id');
}

function nameTaken(name: string): Error {
  return alreadyExists(`a campaign named "${name}" already exists`, { argument: 'name' });
}
