import { IANAZone } from 'luxon';
import { DAYS_OF_WEEK, type DayOfWeek } from '../campaigns/campaign';
import { invalidArgument } from '../errors';
import { decodePageToken, encodePageToken } from '../shared/page-token';
import { isCalendarDate, parseTimeOfDay } from '../shared/time-of-day';
import {
  MAX_HOLIDAYS,
  MAX_INTERVALS,
  MAX_NAME_LENGTH,
  type BusinessHoursInput,
  type BusinessHoursSettings,
  type WeeklyInterval,
  type WeeklyIntervalInput,
} from './business-hours';

/**
 * The pure rules of the BusinessHours RPCs: how a profile and a page token are read from a
 * request. No I/O. The first problem found is thrown as `invalid_argument` naming its wire field
 * (`intervals[i]`, `holidays[i]` for one entry of a list).
 */

/** Validates a profile to create or to replace an existing one with, normalising every value. */
export function validateBusinessHours(input: BusinessHoursInput): BusinessHoursSettings {
  return {
    name: profileName(input.name),
    timezone: timezone(input.timezone),
    intervals: weeklyIntervals(input.intervals),
    holidays: holidayDates(input.holidays),
  };
}

function profileName(value: string): string {
  const name = value.trim();
  if (name === '') reject('name', 'is required');
  const length = Array.from(name).length;
  if (length > MAX_NAME_LENGTH) reject('name', `must be at most ${MAX_NAME_LENGTH} characters; got ${length}`);
  return name;
}

function timezone(value: string): string {
  const zone = value.trim();
  if (zone === '') reject('timezone', 'is required');
  if (!IANAZone.isValidZone(zone)) reject('timezone', `must be an IANA timezone such as Europe/London; got "${clip(zone)}"`);
  return zone;
}

/** Every interval checked in request order, then stored in week order and by start. */
function weeklyIntervals(list: readonly WeeklyIntervalInput[]): WeeklyInterval[] {
  if (list.length === 0 || list.length > MAX_INTERVALS) {
    reject('intervals', `must hold 1 to ${MAX_INTERVALS} intervals; it holds ${list.length}`);
  }
  const intervals: WeeklyInterval[] = [];
  list.forEach((raw, i) => {
    const interval = weeklyInterval(raw, `intervals[${i}]`);
    const j = intervals.findIndex((other) => overlap(other, interval));
    if (j >= 0) {
      reject(`intervals[${i}]`, `(${describe(interval)}) overlaps intervals[${j}] (${describe(intervals[j]!)})`);
    }
    intervals.push(interval);
  });
  return intervals.sort((a, b) => dayIndex(a.day) - dayIndex(b.day) || compare(a.start, b.start));
}

function weeklyInterval(raw: WeeklyIntervalInput, field: string): WeeklyInterval {
  const day = raw.day?.trim();
  if (day === undefined || day === '') reject(field, `day is required: one of ${DAYS_OF_WEEK.join(', ')}`);
  if (!isDay(day)) reject(field, `day must be one of ${DAYS_OF_WEEK.join(', ')}; got "${clip(day)}"`);
  const start = parseTimeOfDay(raw.start.trim(), { endOfDay: false });
  if (start === undefined) {
    reject(field, `start_time must be a time HH:MM or HH:MM:SS from 00:00 to 23:59:59; got "${clip(raw.start)}"`);
  }
  const end = parseTimeOfDay(raw.end.trim(), { endOfDay: true });
  if (end === undefined) {
    reject(field, `end_time must be a time HH:MM or HH:MM:SS from 00:00 to 24:00; got "${clip(raw.end)}"`);
  }
  if (end <= start) reject(field, `end_time must be after start_time ${start}; got ${end}`);
  return { day, start, end };
}

/** Two intervals of one day overlap when each starts before the other ends; touching is fine. */
function overlap(a: WeeklyInterval, b: WeeklyInterval): boolean {
  return a.day === b.day && a.start < b.end && b.start < a.end;
}

function describe(interval: WeeklyInterval): string {
  return `${interval.day} ${interval.start}–${interval.end}`;
}

/** Dates checked in request order; stored sorted, without repeats. */
function holidayDates(list: readonly string[]): string[] {
  if (list.length > MAX_HOLIDAYS) reject('holidays', `must hold at most ${MAX_HOLIDAYS} dates; it holds ${list.length}`);
  const dates = list.map((raw, i) => {
    const date = raw.trim();
    if (!isCalendarDate(date)) reject(`holidays[${i}]`, `must be a calendar date YYYY-MM-DD; got "${clip(raw)}"`);
    return date;
  });
  // `YYYY-MM-DD` sorts as text in calendar order.
  return [...new Set(dates)].sort();
}

/** Page tokens of this list carry the last profile's name. */
const TOKEN_KIND = 'bh';

/** The token of a list page that ends at the profile named `name`. */
export function encodeListToken(name: string): string {
  return encodePageToken(TOKEN_KIND, name);
}

/** The name a token resumes after; undefined for ''; `invalid_argument` on `page_token` otherwise. */
export function decodeListToken(token: string): string | undefined {
  return decodePageToken(TOKEN_KIND, token, (name) => Array.from(name).length <= MAX_NAME_LENGTH);
}

function isDay(value: string): value is DayOfWeek {
  return (DAYS_OF_WEEK as readonly string[]).includes(value);
}

function dayIndex(day: DayOfWeek): number {
  return DAYS_OF_WEEK.indexOf(day);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Enough of a refused value to recognise it, never a whole payload echoed back. */
function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** Throws `invalid_argument` naming `field` (a wire name), with a message that starts with it. */
function reject(field: string, problem: string): never {
  throw invalidArgument(field, `${field} ${problem}`);
}
