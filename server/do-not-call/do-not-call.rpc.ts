import type { Kysely } from 'kysely';
import type { DoNotCallEntry as WireEntry } from '../../generated/outreach/v1/do_not_call';
import type { DoNotCallTwirp } from '../../generated/outreach/v1/do_not_call.twirp';
import type { Database } from '../db/database';
import { tenantOf, type RequestContext } from '../http/request-context';
import type { Clock } from '../shared/clock';
import type { DoNotCallEntry } from './do-not-call';
import { addNumbers, checkNumbers, listNumbers, removeNumbers } from './do-not-call.service';
import { wireTime } from '../shared/wire-time';

/**
 * The DoNotCall service: each RPC turns its request into domain input, calls one service
 * function for the caller's tenant, and turns the result back. `clock` decides what is in force.
 */
export function doNotCallRpcs(db: Kysely<Database>, clock: Clock): DoNotCallTwirp<RequestContext> {
  return {
    AddNumbers: async (ctx, req) =>
      addNumbers(db, clock, tenantOf(ctx), {
        phoneNumbers: req.phoneNumbers,
        source: req.source,
        reason: req.reason,
        expiresAt: req.expiresAt,
      }),
    RemoveNumbers: async (ctx, req) => ({ removed: await removeNumbers(db, clock, tenantOf(ctx), req.phoneNumbers) }),
    ListNumbers: async (ctx, req) => {
      const page = await listNumbers(db, clock, tenantOf(ctx), { pageSize: req.pageSize, pageToken: req.pageToken });
      return { entries: page.entries.map(entryToWire), nextPageToken: page.nextPageToken };
    },
    CheckNumber: async (ctx, req) => {
      const verdicts = await checkNumbers(db, clock, tenantOf(ctx), req.phoneNumbers);
      return {
        results: verdicts.map((v) => ({
          phoneNumber: v.phoneNumber,
          blocked: v.entry !== undefined,
          entry: v.entry === undefined ? undefined : entryToWire(v.entry),
        })),
      };
    },
  };
}

/** Domain entry → wire; times are RFC 3339 in UTC, empty when absent. */
function entryToWire(entry: DoNotCallEntry): WireEntry {
  return {
    phoneNumber: entry.phoneNumber,
    source: entry.source,
    reason: entry.reason,
    expiresAt: wireTime(entry.expiresAt),
    createdAt: entry.createdAt.toISOString(),
  };
}
