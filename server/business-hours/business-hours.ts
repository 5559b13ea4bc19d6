/** Domain types of business-hours profiles: plain values, no protobuf and no rows. */
import type { DayOfWeek } from '../campaigns/campaign';

export type { DayOfWeek } from '../campaigns/campaign';

/** Longest profile name, in characters. */
export const MAX_NAME_LENGTH = 200;
/** Most intervals one profile holds. */
export const MAX_INTERVALS = 100;
/** Most holiday dates one profile holds. */
export const MAX_HOLIDAYS = 1_000;

/** Calling hours on one day of the week, in the profile's timezone. */
export interface WeeklyInterval {
  readonly day: DayOfWeek;
  /** `HH:MM:SS`, inclusive. */
  readonly start: string;
  /** `HH:MM:SS` after `start`, exclusive; `24:00:00` ends the day. */
  readonly end: string;
}

/** A profile's settings, validated: what a client creates or replaces. */
export interface BusinessHoursSettings {
  readonly name: string;
  /** IANA zone. */
  readonly timezone: string;
  /** In week order (Monday first), then by start; intervals of one day never overlap. */
  readonly intervals: readonly WeeklyInterval[];
  /** `YYYY-MM-DD` dates on which nothing is dialed; sorted, no repeats. */
  readonly holidays: readonly string[];
}

/** A stored profile of one tenant. */
export interface BusinessHoursProfile extends BusinessHoursSettings {
  readonly id: string;
  readonly tenantId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An interval as the client sent it: `day` is a day word, undefined when not given. */
export interface WeeklyIntervalInput {
  readonly day: string | undefined;
  readonly start: string;
  readonly end: string;
}

/** Create or replace, as the client sent it, before validation. */
export interface BusinessHoursInput {
  readonly name: string;
  readonly timezone: string;
  readonly intervals: readonly WeeklyIntervalInput[];
  readonly holidays: readonly string[];
}

/** ListProfiles paging as the client sent it. */
export interface ListProfilesInput {
  readonly pageSize: number;
  readonly pageToken: string;
}

/** One page of profiles, by name, and the token of the next page ('' on the last). */
export interface BusinessHoursPage {
  readonly profiles: readonly BusinessHoursProfile[];
  readonly nextPageToken: string;
}
