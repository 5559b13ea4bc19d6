import { DateTime } from 'luxon';
import { findProfiles } from '../business-hours/business-hours.service';
import type { BusinessHoursProfile } from '../business-hours/business-hours';
import type { Campaign } from '../campaigns/campaign';
import { findCampaignsByIds } from '../campaigns/campaigns.repository';
import type { Db } from '../db/database';
import { findTenantPolicies } from '../tenants/tenants.repository';
import type { TenantPolicy } from '../tenants/tenant-policy';
import { bypassWindowSpec, campaignWindowSpec, isAllowed, nextAllowed, windowReason, type WindowSpec } from './calling-window';
import type { NextOpening } from './outcome-rules';
import { recipientZones, zonesForNumber } from './recipient-zones';

/** What decisions about a campaign's messages read, loaded once per batch. */
export interface CampaignContext {
  readonly campaign: Campaign;
  readonly profile: BusinessHoursProfile | undefined;
  readonly policy: TenantPolicy | undefined;
}

/** The campaigns of a batch with their profiles and their tenants' policies: three queries. */
export async function loadCampaignContexts(db: Db, campaignIds: readonly string[]): Promise<Map<string, CampaignContext>> {
  const campaigns = await findCampaignsByIds(db, [...new Set(campaignIds)]);
  const byTenant = new Map<string, string[]>();
  for (const c of campaigns.values()) {
    if (c.businessHoursProfileId !== null) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c.businessHoursProfileId]);
  }
  const profiles = new Map<string, BusinessHoursProfile>();
  for (const [tenantId, ids] of byTenant) for (const [id, p] of await findProfiles(db, tenantId, ids)) profiles.set(id, p);
  const policies = await findTenantPolicies(db, [...new Set([...campaigns.values()].map((c) => c.tenantId))]);
  const contexts = new Map<string, CampaignContext>();
  for (const [id, campaign] of campaigns) {
    const profile = campaign.businessHoursProfileId === null ? undefined : profiles.get(campaign.businessHoursProfileId);
    contexts.set(id, { campaign, profile, policy: policies.get(campaign.tenantId) });
  }
  return contexts;
}

/** The calling window as it applies to one message, with the questions decisions ask of it. */
export interface MessageWindow {
  /** The zone whose days count for `max_daily_attempts`. */
  readonly zone: string;
  windowReason(at: Date): string | undefined;
  quietHoursReason(at: Date): string | undefined;
  readonly nextOpening: NextOpening;
  /** For `BypassCallingWindow` messages: only the quiet hours (when they hold) and the end date. */
  readonly nextBypassOpening: NextOpening;
  endDatePassed(at: Date): boolean;
}

const zoneCache = new Map<string, readonly string[]>();
const ZONE_CACHE_LIMIT = 100_000;

/** The zones a number maps to, remembered (bounded) since the lookup is pure. */
async function numberZones(phoneNumber: string): Promise<readonly string[]> {
  const cached = zoneCache.get(phoneNumber);
  if (cached !== undefined) return cached;
  const zones = await zonesForNumber(phoneNumber);
  if (zoneCache.size >= ZONE_CACHE_LIMIT) zoneCache.clear();
  zoneCache.set(phoneNumber, zones);
  return zones;
}

/**
 * The window of one message: the campaign's (or its profile's), read in the recipient's zones when
 * the campaign says so, narrowed by the tenant's quiet hours.
 */
export async function messageWindow(
  context: CampaignContext,
  recipient: { phoneNumber: string; timezone: string | null },
): Promise<MessageWindow> {
  return buildWindow(context, await windowZones(context, recipient));
}

/**
 * The zones a message's window is read in: the recipient's when the campaign says so, else
 * undefined (the campaign's own zone). Messages with the same answer share one window.
 */
export async function windowZones(
  context: CampaignContext,
  recipient: { phoneNumber: string; timezone: string | null },
): Promise<readonly string[] | undefined> {
  const { campaign } = context;
  if (!campaign.recipientLocalTime) return undefined;
  return recipientZones(recipient.timezone, await numberZones(recipient.phoneNumber), campaign.timezone);
}

/**
 * The window of a campaign read in `zones`. The questions it answers are pure, and a round asks
 * them of the same instant for every message sharing the window, so each remembers its last answer.
 */
export function buildWindow(context: CampaignContext, zones: readonly string[] | undefined): MessageWindow {
  const { campaign, profile, policy } = context;
  const zoneList = zones === undefined ? undefined : [...zones];
  const quiet = policy?.quietHours ?? undefined;
  const windowOnly = campaignWindowSpec(campaign, profile, undefined, zoneList);
  const full = campaignWindowSpec(campaign, profile, quiet, zoneList);
  const bypass = bypassWindowSpec(full, !(policy?.bypassMayOverrideQuietHours ?? false));
  const quietOnly: WindowSpec | undefined =
    quiet === undefined ? undefined : { ...bypassWindowSpec(full, true), startDate: null, endDate: null };
  const endOfCampaign =
    campaign.endDate === null
      ? undefined
      : DateTime.fromISO(campaign.endDate, { zone: campaign.timezone }).plus({ days: 1 }).toJSDate();
  return {
    zone: full.zones[0] ?? campaign.timezone,
    windowReason: rememberLast((at) => windowReason(windowOnly, at)),
    quietHoursReason: rememberLast((at) => (quietOnly === undefined || isAllowed(quietOnly, at) ? undefined : 'quiet_hours')),
    nextOpening: rememberLast((after) => nextAllowed(full, after)),
    nextBypassOpening: rememberLast((after) => nextAllowed(bypass, after)),
    endDatePassed: (at) => endOfCampaign !== undefined && at.getTime() >= endOfCampaign.getTime(),
  };
}

/** `answer` with its last result kept, for a pure function asked about one instant many times. */
function rememberLast<T>(answer: (at: Date) => T): (at: Date) => T {
  let lastAt = Number.NaN;
  let last: T | undefined;
  return (at) => {
    if (at.getTime() !== lastAt) {
      last = answer(at);
      lastAt = at.getTime();
    }
    return last as T;
  };
}
