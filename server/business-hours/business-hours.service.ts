import { CAMPAIGN_STATUSES } from '../campaigns/campaign';
import { isFinished } from '../campaigns/campaign-lifecycle';
import type { Db } from '../db/database';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors';
import { isUuid, requireId } from '../shared/ids';
import { pageOf, pageSize } from '../shared/page-token';
import type { BusinessHoursInput, BusinessHoursPage, BusinessHoursProfile, ListProfilesInput } from './business-hours';
import { decodeListToken, encodeListToken, validateBusinessHours } from './business-hours-input';
import {
  deleteProfile as deleteProfileRow,
  findCampaignUsingProfile,
  findProfile,
  findProfilesByIds,
  insertProfile,
  isDuplicateProfileName,
  listProfiles as selectProfiles,
  lockProfileForDelete,
  lockProfileForReference,
  updateProfile as updateProfileRow,
} from './business-hours.repository';

/**
 * A tenant's business-hours profiles: named weekly hours with holidays that campaigns call
 * within. Every function is scoped to one tenant; another tenant's profile is answered as if the
 * id did not exist.
 */

/** Campaigns that still dial, and so still need their profile. */
const UNFINISHED = CAMPAIGN_STATUSES.filter((status) => !isFinished(status));

/** Creates a profile after validating it; its name must be new to the tenant regardless of case. */
export async function createProfile(db: Db, tenantId: string, input: BusinessHoursInput): Promise<BusinessHoursProfile> {
  const settings = validateBusinessHours(input);
  const profile = await insertProfile(db, tenantId, settings);
  if (profile === undefined) throw nameTaken(settings.name);
  return profile;
}

/** A profile of this tenant; any other id, well-formed or not, is `not_found`. */
export async function getProfile(db: Db, tenantId: string, profileId: string): Promise<BusinessHoursProfile> {
  const profile = await findProfile(db, tenantId, requireProfileId(profileId));
  if (profile === undefined) throw profileNotFound();
  return profile;
}

/** One page of the tenant's profiles by name, and the token of the next page. */
export async function listProfiles(db: Db, tenantId: string, input: ListProfilesInput): Promise<BusinessHoursPage> {
  const limit = pageSize(input.pageSize);
  const afterName = decodeListToken(input.pageToken);
  // One row more than the page tells whether another page follows without a count.
  const rows = await selectProfiles(db, tenantId, { afterName, limit: limit + 1 });
  const { page: profiles, nextPageToken } = pageOf(rows, limit, (last) => encodeListToken(last.name));
  return { profiles, nextPageToken };
}

/** Replaces every setting of a profile; campaigns that use it follow from their next decision on. */
export async function updateProfile(
  db: Db,
  tenantId: string,
  profileId: string,
  input: BusinessHoursInput,
): Promise<BusinessHoursProfile> {
  const id = requireProfileId(profileId);
  const settings = validateBusinessHours(input);
  let profile: BusinessHoursProfile | undefined;
  try {
    profile = await updateProfileRow(db, tenantId, id, settings);
  } catch (e: unknown) {
    if (isDuplicateProfileName(e)) throw nameTaken(settings.name);
    throw e;
  }
  if (profile === undefined) throw profileNotFound();
  return profile;
}

/**
 * Deletes a profile no unfinished campaign of the tenant uses (`failed_precondition`, naming one
 * such campaign in `meta.campaign_id`, otherwise). The profile is locked first, so a campaign
 * that takes it up concurrently either commits before the check sees it or finds it gone.
 */
export async function deleteProfile(db: Db, tenantId: string, profileId: string): Promise<string> {
  const id = requireProfileId(profileId);
  return db.transaction().execute(async (trx) => {
    if (!(await lockProfileForDelete(trx, tenantId, id))) throw profileNotFound();
    const campaignId = await findCampaignUsingProfile(trx, tenantId, id, UNFINISHED);
    if (campaignId !== undefined) {
      throw failedPrecondition(
        `campaign ${campaignId} uses this profile; cancel it or give it other hours before deleting the profile`,
        { campaign_id: campaignId },
      );
    }
    await deleteProfileRow(trx, tenantId, id);
    return id;
  });
}

/**
 * The tenant's profiles among `ids` (for the scheduler: one query for a whole batch), by id.
 * Ids the tenant has no profile for are simply absent from the map.
 */
export async function findProfiles(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, BusinessHoursProfile>> {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const profiles = await findProfilesByIds(db, tenantId, wanted);
  return new Map(profiles.map((profile) => [profile.id, profile]));
}

/**
 * Refuses, as `invalid_argument` on `business_hours_profile_id`, an id that names none of the
 * tenant's profiles. Inside a transaction the profile stays key-share locked until it ends, so a
 * concurrent delete cannot remove it between this check and the write that refers to it.
 */
export async function requireProfileExists(db: Db, tenantId: string, id: string): Promise<void> {
  const exists = isUuid(id) && (await lockProfileForReference(db, tenantId, id.toLowerCase()));
  if (!exists) {
    throw invalidArgument(
      'business_hours_profile_id',
      `business_hours_profile_id names no business-hours profile of this tenant; got "${id.slice(0, 40)}"`,
    );
  }
}

/** A client's profile id: required; anything that is not a UUID cannot name a profile. */
function requireProfileId(profileId: string): string {
  return requireId(profileId, 'profile_id', profileNotFound);
}

function profileNotFound(): Error {
  return notFound('no business-hours profile with that profile_id');
}

function nameTaken(name: string): Error {
  return alreadyExists(`a business-hours profile named "${name}" already exists`, { argument: 'name' });
}
