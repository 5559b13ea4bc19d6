import type { Kysely } from 'kysely';
import type { BusinessHoursTwirp } from '../../generated/outreach/v1/business_hours.twirp';
import type { Database } from '../db/database';
import { tenantOf, type RequestContext } from '../http/request-context';
import { createProfile, deleteProfile, getProfile, listProfiles, updateProfile } from './business-hours.service';
import { profileToWire, requestToInput } from './business-hours.wire';

/**
 * The BusinessHours service: each RPC turns its request into domain input, calls one service
 * function for the caller's tenant, and turns the result back.
 */
export function businessHoursRpcs(db: Kysely<Database>): BusinessHoursTwirp<RequestContext> {
  return {
    CreateProfile: async (ctx, req) => profileToWire(await createProfile(db, tenantOf(ctx), requestToInput(req))),
    GetProfile: async (ctx, req) => profileToWire(await getProfile(db, tenantOf(ctx), req.profileId)),
    ListProfiles: async (ctx, req) => {
      const page = await listProfiles(db, tenantOf(ctx), { pageSize: req.pageSize, pageToken: req.pageToken });
      return { profiles: page.profiles.map(profileToWire), nextPageToken: page.nextPageToken };
    },
    UpdateProfile: async (ctx, req) =>
      profileToWire(await updateProfile(db, tenantOf(ctx), req.profileId, requestToInput(req))),
    DeleteProfile: async (ctx, req) => ({ profileId: await deleteProfile(db, tenantOf(ctx), req.profileId) }),
  };
}
