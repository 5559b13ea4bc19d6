/**
 * Calling windows: whether an instant may be dialed, why not, and the next instant that may.
 * Pure: plain values in, plain values out; the caller brings the instant (its clock).
 *
 * An instant is allowed in a zone when its wall-clock time there falls inside the window of its
 * local date. That one definition settles DST: a bound inside a spring-forward gap opens at the
 * first instant that exists after it (02:30 on the US spring-forward day opens at 03:00 EDT), and
 * a repeated fall-back hour is allowed in both of its occurrences, once each, as the wall clock
 * shows it. With several zones, an instant must be allowed in every one of them.
 */
import type { IANAZone } from 'luxon';
import { DAYS_OF_WEEK, type CampaignSettings, type DayOfWeek } from '../campaigns/campaign';
import { localDay, offsetMs, OffsetTimeline, REACH_MS, zoneNamed } from './zone-offsets';

/** A wall-clock span `[start, end)`: `HH:MM:SS` (or `HH:MM`); `end` may be `24:00:00`. */
export interface ClockInterval {
  readonly start: string;
  readonly end: string;
}

/**
 * The tenant's quiet hours: calls only between `start` and `end` (a `start` after `end` wraps
 * past midnight), read in `zones` — the recipient's — or, when omitted, in the spec's `zones`.
 */
export interface QuietHours extends ClockInterval {
  readonly zones?: readonly string[];
}

/** Everything that decides whether an instant may be dialed. */
export interface WindowSpec {
  /** IANA zones the window is read in; every one must allow an instant. At least one. */
  readonly zones: readonly string[];
  /** Days of the week that may be dialed (in each zone's own calendar). */
  readonly days: readonly DayOfWeek[];
  /** Intervals per day; a day of `days` without an entry is open all day, `[]` is closed. */
  readonly intervals: Readonly<Partial<Record<DayOfWeek, readonly ClockInterval[]>>>;
  /** `YYYY-MM-DD` dates (in the zone) on which nothing is dialed. */
  readonly holidays: ReadonlySet<string>;
  /** `YYYY-MM-DD` in the zone, inclusive; null: unbounded. */
  readonly startDate: string | null;
  readonly endDate: string | null;
  /** Intersected with everything else. */
  readonly quietHours?: QuietHours;
}

/** Why an instant is not allowed; recorded on the message by the scheduler. */
export type WindowReason = 'outside_window' | 'holiday' | 'before_start_date' | 'after_end_date' | 'quiet_hours';

/** A business-hours profile as far as the window reads it (a `BusinessHoursProfile` fits). */
export interface WindowProfile {
  readonly timezone: string;
  readonly intervals: readonly { readonly day: DayOfWeek; readonly start: string; readonly end: string }[];
  readonly holidays: readonly string[];
}

/** The campaign settings the window reads. */
export type WindowSettings = Pick<
  CampaignSettings,
  'timezone' | 'startDate' | 'endDate' | 'daysOfWeek' | 'dailyStartTime' | 'dailyEndTime' | 'recipientLocalTime'
>;

const DAY_MS = 86_400_000;
const WHOLE_DAY: readonly Span[] = [[0, DAY_MS]];
/** Most important first: a combined answer names the weightiest reason any zone gives. */
const PRECEDENCE: readonly WindowReason[] = [
  'after_end_date',
  'before_start_date',
  'holiday',
  'outside_window',
  'quiet_hours',
];

/** `[start, end)` in ms: of the day for wall spans, since the epoch for instants. */
type Span = readonly [number, number];

interface CompiledWindow {
  /** Wall spans per weekday, Monday first; empty on a day not dialed. */
  readonly week: readonly (readonly Span[])[];
  /** Local dates as days since the epoch. */
  readonly holidays: ReadonlySet<number>;
  readonly firstDay: number;
  readonly lastDay: number;
}

/** One zone's rules: the campaign window, the quiet hours, or both. */
interface Rule {
  readonly zone: IANAZone;
  readonly window: CompiledWindow | undefined;
  readonly quiet: readonly Span[] | undefined;
}

/** Whether `at` may be dialed. */
export function isAllowed(spec: WindowSpec, at: Date): boolean {
  return windowReason(spec, at) === undefined;
}

/** Why `at` may not be dialed, or undefined when it may; several zones: the weightiest reason. */
export function windowReason(spec: WindowSpec, at: Date): WindowReason | undefined {
  const reasons = new Set(compile(spec).map((rule) => ruleReason(rule, at.getTime())));
  return PRECEDENCE.find((reason) => reasons.has(reason));
}

/**
 * The first allowed instant at or after `after`, or undefined when there is none before
 * `horizonDays` days have passed (e.g. past the end date: the caller then expires the message).
 */
export function nextAllowed(spec: WindowSpec, after: Date, horizonDays = 400): Date | undefined {
  const from = after.getTime();
  const limit = from + horizonDays * DAY_MS;
  if (!Number.isFinite(limit)) throw new RangeError(`no next opening after ${from} within ${horizonDays} days`);
  const cursors = compile(spec).map((rule) => new OpeningCursor(rule, from, limit));
  // Fixpoint: jump to the latest of the zones' next openings until all zones are open there.
  // Each round passes at least one zone's interval, so the horizon bounds the rounds.
  let candidate = from;
  for (;;) {
    let start = candidate;
    let end = Infinity;
    for (const cursor of cursors) {
      const span = cursor.firstEndingAfter(candidate);
      if (span === undefined) return undefined;
      start = Math.max(start, span[0]);
      end = Math.min(end, span[1]);
    }
    if (start >= limit) return undefined;
    if (start < end) return new Date(start);
    candidate = start;
  }
}

/**
 * The window of a campaign. A profile replaces the days and daily times and brings its own zone
 * and holidays. With `recipientLocalTime` the window is read in `recipientZones` (see
 * `recipientZones()` in recipient-zones.ts); none given: in the window's own zone (the
 * profile's, else the campaign's). Quiet hours are always read in the recipient's zones when
 * they are given, else in the window's zones.
 */
export function campaignWindowSpec(
  settings: WindowSettings,
  profile?: WindowProfile,
  quietHours?: ClockInterval,
  recipientZones?: readonly string[],
): WindowSpec {
  const ownZone = profile?.timezone ?? settings.timezone;
  const known = recipientZones !== undefined && recipientZones.length > 0 ? recipientZones : undefined;
  const zones = settings.recipientLocalTime && known !== undefined ? known : [ownZone];
  const base = { zones, startDate: settings.startDate, endDate: settings.endDate };
  const quiet = quietHours && { start: quietHours.start, end: quietHours.end, zones: known ?? zones };
  if (profile !== undefined) {
    const intervals: Partial<Record<DayOfWeek, ClockInterval[]>> = {};
    for (const { day, start, end } of profile.intervals) (intervals[day] ??= []).push({ start, end });
    const days = DAYS_OF_WEEK.filter((day) => intervals[day] !== undefined);
    return { ...base, days, intervals, holidays: new Set(profile.holidays), quietHours: quiet };
  }
  const daily: ClockInterval =
    settings.dailyStartTime !== null && settings.dailyEndTime !== null
      ? { start: settings.dailyStartTime, end: settings.dailyEndTime }
      : { start: '00:00:00', end: '24:00:00' };
  const intervals = Object.fromEntries(settings.daysOfWeek.map((day) => [day, [daily]]));
  return { ...base, days: settings.daysOfWeek, intervals, holidays: new Set(), quietHours: quiet };
}

/**
 * What holds over a `BypassCallingWindow` message: the date range, and the quiet hours when the
 * tenant applies them to bypass too; no days, hours or holidays.
 */
export function bypassWindowSpec(spec: WindowSpec, keepQuietHours: boolean): WindowSpec {
  return {
    ...spec,
    days: DAYS_OF_WEEK,
    intervals: {},
    holidays: new Set(),
    quietHours: keepQuietHours ? spec.quietHours : undefined,
  };
}

/** Walks one zone's allowed instants forward, a local day at a time, for one `nextAllowed` call. */
class OpeningCursor {
  private spans: Span[] = [];
  private nextDay: number;
  private readonly lastDay: number;
  private readonly offsets: OffsetTimeline;

  constructor(
    private readonly rule: Rule,
    from: number,
    limit: number,
  ) {
    this.nextDay = localDay(rule.zone, from) - 1;
    this.lastDay = localDay(rule.zone, limit) + 1;
    this.offsets = new OffsetTimeline(rule.zone, this.nextDay * DAY_MS - REACH_MS);
  }

  /** The earliest allowed span ending after `at` (calls come with `at` never decreasing). */
  firstEndingAfter(at: number): Span | undefined {
    for (;;) {
      while (this.spans.length > 0 && (this.spans[0] as Span)[1] <= at) this.spans.shift();
      const first = this.spans[0];
      // Days not read yet only hold instants from here on, so `first` is the earliest.
      const unread = this.nextDay * DAY_MS - REACH_MS;
      if (first !== undefined && first[0] < unread) return first;
      if (this.nextDay > this.lastDay) return first;
      this.spans = merge([...this.spans, ...instantSpans(this.rule, this.nextDay, this.offsets)]);
      this.nextDay += 1;
    }
  }
}

function compile(spec: WindowSpec): Rule[] {
  if (spec.zones.length === 0) throw new RangeError('a calling window needs at least one zone');
  const window = compileWindow(spec);
  const quiet = spec.quietHours && quietSpans(spec.quietHours);
  const quietZones = spec.quietHours?.zones?.length ? spec.quietHours.zones : spec.zones;
  const names = [...new Set([...spec.zones, ...(quiet ? quietZones : [])])];
  return names.map((name) => ({
    zone: zoneNamed(name),
    window: spec.zones.includes(name) ? window : undefined,
    quiet: quiet && quietZones.includes(name) ? quiet : undefined,
  }));
}

function compileWindow(spec: WindowSpec): CompiledWindow {
  const week = DAYS_OF_WEEK.map((day) => {
    if (!spec.days.includes(day)) return [];
    const intervals = spec.intervals[day];
    return intervals === undefined ? WHOLE_DAY : merge(intervals.map(daySpan));
  });
  return {
    week,
    holidays: new Set([...spec.holidays].map(dayNumber)),
    firstDay: spec.startDate === null ? -Infinity : dayNumber(spec.startDate),
    lastDay: spec.endDate === null ? Infinity : dayNumber(spec.endDate),
  };
}

function quietSpans({ start, end }: ClockInterval): Span[] {
  const from = timeOfDay(start);
  const to = timeOfDay(end);
  if (from === to) throw new RangeError(`quiet hours ${start}–${end} leave no time to call`);
  return from < to ? [[from, to]] : [[0, to], [from, DAY_MS]];
}

function ruleReason(rule: Rule, at: number): WindowReason | undefined {
  const wall = at + offsetMs(rule.zone, at);
  const day = Math.floor(wall / DAY_MS);
  const time = wall - day * DAY_MS;
  if (rule.window !== undefined) {
    const dated = dateReason(rule.window, day);
    if (dated !== undefined) return dated;
    if (!contains(weekSpans(rule.window, day), time)) return 'outside_window';
  }
  return rule.quiet === undefined || contains(rule.quiet, time) ? undefined : 'quiet_hours';
}

function dateReason(window: CompiledWindow, day: number): WindowReason | undefined {
  if (day < window.firstDay) return 'before_start_date';
  if (day > window.lastDay) return 'after_end_date';
  return window.holidays.has(day) ? 'holiday' : undefined;
}

function weekSpans(window: CompiledWindow, day: number): readonly Span[] {
  return window.week[(((day + 3) % 7) + 7) % 7] ?? []; // day 0, 1970-01-01, was a Thursday
}

/** The instants whose wall time in the rule's zone lies in its spans of local date `day`. */
function instantSpans(rule: Rule, day: number, offsets: OffsetTimeline): Span[] {
  let wall = WHOLE_DAY;
  if (rule.window !== undefined) wall = dateReason(rule.window, day) === undefined ? weekSpans(rule.window, day) : [];
  if (rule.quiet !== undefined) wall = intersect(wall, rule.quiet);
  if (wall.length === 0) return [];
  const midnight = day * DAY_MS;
  const pieces = offsets.between(midnight - REACH_MS, midnight + DAY_MS + REACH_MS);
  const out: Span[] = [];
  for (const [start, end] of wall) {
    for (const piece of pieces) {
      // Under one offset, wall time w is instant w − offset; keep what that offset really covers.
      const from = Math.max(midnight + start - piece.offset, piece.from);
      const to = Math.min(midnight + end - piece.offset, piece.to);
      if (from < to) out.push([from, to]);
    }
  }
  return merge(out);
}

function contains(spans: readonly Span[], at: number): boolean {
  return spans.some(([start, end]) => start <= at && at < end);
}

function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [aStart, aEnd] of a) {
    for (const [bStart, bEnd] of b) {
      if (Math.max(aStart, bStart) < Math.min(aEnd, bEnd)) out.push([Math.max(aStart, bStart), Math.min(aEnd, bEnd)]);
    }
  }
  return merge(out);
}

/** Sorted, with overlapping and touching spans joined. */
function merge(spans: readonly Span[]): Span[] {
  const out: [number, number][] = [];
  for (const [start, end] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daySpan({ start, end }: ClockInterval): Span {
  const span: Span = [timeOfDay(start), timeOfDay(end)];
  if (span[1] <= span[0]) throw new RangeError(`interval ${start}–${end} must end after it starts`);
  return span;
}

/** `HH:MM[:SS]` → ms into the day; `24:00:00` is the end of the day. */
function timeOfDay(value: string): number {
  const [, h = '', m = '', s = '0'] = TIME.exec(value) ?? [];
  const ms = ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
  const valid = h !== '' && Number(m) <= 59 && Number(s) <= 59 && ms <= DAY_MS;
  if (!valid) throw new RangeError(`not a time of day: "${value}"`);
  return ms;
}

/** `YYYY-MM-DD` → days since 1970-01-01. */
function dayNumber(value: string): number {
  const [, y, m, d] = DATE.exec(value) ?? [];
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const valid = y !== undefined && new Date(ms).toISOString().slice(0, 10) === value;
  if (!valid) throw new RangeError(`not a date: "${value}"`);
  return ms / DAY_MS;
}
