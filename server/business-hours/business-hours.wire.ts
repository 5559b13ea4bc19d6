import type {
  BusinessHoursProfile as WireProfile,
  WeeklyInterval as WireInterval,
} from '../../generated/outreach/v1/business_hours';
import { DayOfWeek } from '../../generated/outreach/v1/common';
import { valueOf, wordOf } from '../shared/proto-enum';
import type { BusinessHoursInput, BusinessHoursProfile } from './business-hours';

/** Translation between the protobuf messages of the BusinessHours service and domain values. */

/** The settings fields create and update requests share. */
type SettingsRequest = Pick<WireProfile, 'name' | 'timezone' | 'intervals' | 'holidays'>;

/** A create or update request as domain input; `DAY_OF_WEEK_UNSPECIFIED` means no day given. */
export function requestToInput(r: SettingsRequest): BusinessHoursInput {
  return {
    name: r.name,
    timezone: r.timezone,
    intervals: r.intervals.map((i) => ({ day: wordOf(DayOfWeek, i.day), start: i.startTime, end: i.endTime })),
    holidays: r.holidays,
  };
}

/** A profile as the wire shows it; times are RFC 3339 in UTC. */
export function profileToWire(p: BusinessHoursProfile): WireProfile {
  return {
    profileId: p.id,
    name: p.name,
    timezone: p.timezone,
    intervals: p.intervals.map(
      (i): WireInterval => ({ day: valueOf(DayOfWeek, i.day), startTime: i.start, endTime: i.end }),
    ),
    holidays: [...p.holidays],
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
