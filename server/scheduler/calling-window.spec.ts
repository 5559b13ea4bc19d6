import { DateTime } from 'luxon';
import { DAYS_OF_WEEK, type DayOfWeek } from '../campaigns/campaign';
import { ManualClock } from '../shared/clock';
import {
  bypassWindowSpec,
  campaignWindowSpec,
  isAllowed,
  nextAllowed,
  windowReason,
  type WindowReason,
  type WindowSettings,
  type WindowSpec,
} from './calling-window';

const NY = 'America/New_York';
const CHICAGO = 'America/Chicago';
const LONDON = 'Europe/London';
const KOLKATA = 'Asia/Kolkata';
const KATHMANDU = 'Asia/Kathmandu';
const LORD_HOWE = 'Australia/Lord_Howe';
/** Both of Beirut's clock changes happen at midnight. */
const BEIRUT = 'Asia/Beirut';
const SANTIAGO = 'America/Santiago';
const MINUTE = 60_000;
const WEEKDAYS: readonly DayOfWeek[] = DAYS_OF_WEEK.slice(0, 5);

/** A window of the same `hours` on each of `days` (default: every day) in `zones`. */
function win(zones: string | string[], hours: [string, string][], more: Partial<WindowSpec> = {}): WindowSpec {
  const days = more.days ?? DAYS_OF_WEEK;
  const intervals = Object.fromEntries(days.map((day) => [day, hours.map(([start, end]) => ({ start, end }))]));
  const base = { zones: typeof zones === 'string' ? [zones] : zones, days, intervals, holidays: new Set<string>() };
  return { ...base, startDate: null, endDate: null, ...more };
}

/** A wall time in `zone` as an instant (a time in a gap or repeated hour: use UTC instead). */
const local = (zone: string, iso: string): Date => DateTime.fromISO(iso, { zone }).toJSDate();
const utc = (iso: string): Date => new Date(`${iso}Z`);

const NY_9_17 = win(NY, [['09:00', '17:00']], { days: WEEKDAYS });
const NY_1_3 = win(NY, [['01:00', '03:00']]);
const LONDON_1_3 = win(LONDON, [['01:00', '03:00']]);
const LONDON_9_17 = win(LONDON, [['09:00', '17:00']], { days: WEEKDAYS });
const SPLIT = win(NY, [['09:00', '12:00'], ['14:00', '18:00']], { days: WEEKDAYS });
const NIGHT_OWL = win(NY, [['18:00', '24:00:00']], { days: WEEKDAYS });
const QUIET = { start: '08:00', end: '21:00' };
const NY_AND_CHICAGO = win([NY, CHICAGO], [['09:00', '17:00']], { days: WEEKDAYS });
const NY_AND_LONDON = win([NY, LONDON], [['09:00', '17:00']], { days: WEEKDAYS });
const CHRISTMAS = win(NY, [['09:00', '17:00']], { days: WEEKDAYS, holidays: new Set(['2026-12-25', '2027-01-01']) });
const JULY = win(NY, [['09:00', '17:00']], { startDate: '2026-07-01', endDate: '2026-07-31' });

describe('nextAllowed', () => {
  const cases: [string, WindowSpec, Date, Date | undefined][] = [
    ['inside the window: now', NY_9_17, local(NY, '2026-03-04T10:00'), local(NY, '2026-03-04T10:00')],
    ['Friday evening → Monday, across spring forward', NY_9_17, local(NY, '2026-03-06T18:00'), utc('2026-03-09T13:00')],
    ['Friday evening → Monday, across fall back', NY_9_17, local(NY, '2026-10-30T17:00'), utc('2026-11-02T14:00')],
    ['NY spring forward: 01:00 EST opens', NY_1_3, utc('2026-03-08T05:00'), utc('2026-03-08T06:00')],
    ['NY spring forward: 03:00 EDT closes, so the next day', NY_1_3, utc('2026-03-08T07:00'), utc('2026-03-09T05:00')],
    ['NY spring forward: a 02:30 start opens at 03:00 EDT',
      win(NY, [['02:30', '04:00']]), utc('2026-03-08T05:00'), utc('2026-03-08T07:00')],
    ['NY fall back: 01:00 EDT opens', NY_1_3, utc('2026-11-01T04:00'), utc('2026-11-01T05:00')],
    ['NY fall back: the repeated 01:00 EST opens again',
      win(NY, [['01:00', '01:30']]), utc('2026-11-01T05:30'), utc('2026-11-01T06:00')],
    ['NY fall back: 03:00 EST closes, so the next day', NY_1_3, utc('2026-11-01T08:00'), utc('2026-11-02T06:00')],
    ['London spring forward: 01:00–02:00 missing, opens 02:00 BST',
      LONDON_1_3, utc('2026-03-29T00:00'), utc('2026-03-29T01:00')],
    ['London fall back: 01:00 BST opens', LONDON_1_3, utc('2026-10-24T23:30'), utc('2026-10-25T00:00')],
    ['London fall back: after 03:00 GMT, the next day', LONDON_1_3, utc('2026-10-25T03:00'), utc('2026-10-26T01:00')],
    ['London weekend → Monday 09:00 BST', LONDON_9_17, utc('2026-03-28T12:00'), utc('2026-03-30T08:00')],
    ['London weekend → Monday 09:00 GMT', LONDON_9_17, utc('2026-10-24T12:00'), utc('2026-10-26T09:00')],
    ['Kolkata (+05:30): 17:30 → 09:00 next day',
      win(KOLKATA, [['09:00', '17:00']]), utc('2026-06-01T12:00'), utc('2026-06-02T03:30')],
    ['Kathmandu (+05:45)', win(KATHMANDU, [['09:00', '17:00']]), utc('2026-06-01T12:00'), utc('2026-06-02T03:15')],
    ['Lord Howe (+11 → +10:30): 01:00 +11 opens',
      win(LORD_HOWE, [['01:00', '02:00']]), utc('2026-04-04T13:00'), utc('2026-04-04T14:00')],
    ['Lord Howe: inside the repeated half hour',
      win(LORD_HOWE, [['01:00', '02:00']]), utc('2026-04-04T15:20'), utc('2026-04-04T15:20')],
    ['Lord Howe (+10:30 → +11): a 02:00 start opens at 02:30',
      win(LORD_HOWE, [['02:00', '03:00']]), utc('2026-10-03T12:00'), utc('2026-10-03T15:30')],
    ['Santiago springs forward at midnight: a 00:00 start opens at 01:00',
      win(SANTIAGO, [['00:00', '02:00']]), utc('2026-09-06T02:00'), utc('2026-09-06T04:00')],
    ['Beirut falls back at midnight: 23:00 comes round again',
      win(BEIRUT, [['23:00', '23:30']]), utc('2026-10-24T20:30'), utc('2026-10-24T21:00')],
    ['holiday Friday → Monday', CHRISTMAS, local(NY, '2026-12-24T17:00'), local(NY, '2026-12-28T09:00')],
    ['year end, New Year holiday → Monday', CHRISTMAS, local(NY, '2026-12-31T17:00'), local(NY, '2027-01-04T09:00')],
    ['month end, Friday → Monday', NY_9_17, local(NY, '2026-02-27T17:00'), local(NY, '2026-03-02T09:00')],
    ['leap day', NY_9_17, local(NY, '2028-02-28T17:00'), local(NY, '2028-02-29T09:00')],
    ['ends at midnight: 23:59 is open', NIGHT_OWL, local(NY, '2026-03-06T23:59'), local(NY, '2026-03-06T23:59')],
    ['ends at midnight: Saturday 00:00 → Monday 18:00',
      NIGHT_OWL, local(NY, '2026-03-07T00:00'), local(NY, '2026-03-09T18:00')],
    ['starts at midnight', win(KOLKATA, [['00:00', '06:00']]), utc('2026-06-01T00:30'), utc('2026-06-01T18:30')],
    ['several intervals: lunch → 14:00', SPLIT, local(NY, '2026-03-04T12:00'), local(NY, '2026-03-04T14:00')],
    ['several intervals: evening → 09:00', SPLIT, local(NY, '2026-03-04T18:00'), local(NY, '2026-03-05T09:00')],
    ['before the start date → its opening', JULY, local(NY, '2026-06-15T12:00'), local(NY, '2026-07-01T09:00')],
    ['on the end date, before closing', JULY, local(NY, '2026-07-31T08:00'), local(NY, '2026-07-31T09:00')],
    ['after the end date → none', JULY, local(NY, '2026-07-31T17:00'), undefined],
    ['quiet hours narrow the window',
      win(NY, [['07:00', '22:00']], { quietHours: QUIET }),
      local(NY, '2026-03-04T07:00'), local(NY, '2026-03-04T08:00')],
    ['quiet hours disjoint from the window → none',
      win(NY, [['06:00', '07:30']], { quietHours: QUIET }), local(NY, '2026-03-04T05:00'), undefined],
    ['quiet hours read in the recipient zone',
      win(NY, [['09:00', '21:00']], { quietHours: { ...QUIET, zones: ['America/Los_Angeles'] } }),
      local(NY, '2026-03-04T09:00'), local(NY, '2026-03-04T11:00')],
    ['quiet hours wrapping midnight',
      win(NY, [['00:00', '24:00']], { quietHours: { start: '22:00', end: '02:00' } }),
      local(NY, '2026-03-04T12:00'), local(NY, '2026-03-04T22:00')],
    ['two zones: Chicago opens last', NY_AND_CHICAGO, local(NY, '2026-03-04T09:00'), local(NY, '2026-03-04T10:00')],
    ['two zones: after New York closes, tomorrow',
      NY_AND_CHICAGO, local(NY, '2026-03-04T17:00'), local(NY, '2026-03-05T10:00')],
    ['New York + London: 4 h apart in the DST gap weeks',
      NY_AND_LONDON, local(NY, '2026-03-10T13:00'), utc('2026-03-11T13:00')],
    ['New York + London: 5 h apart after', NY_AND_LONDON, local(NY, '2026-04-07T12:00'), utc('2026-04-08T13:00')],
    ['horizon reached → none',
      win(NY, [['09:00', '17:00']], { startDate: '2027-06-01' }), local(NY, '2026-03-04T10:00'), undefined],
  ];
  test.each(cases)('%s', (_name, spec, after, expected) => {
    expect(nextAllowed(spec, after)?.toISOString()).toBe(expected?.toISOString());
  });

  test('zones from Pago Pago to Guam never share 09:00–17:00, and that is found fast', () => {
    const zones = ['Pacific/Pago_Pago', 'Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', NY];
    const started = performance.now();
    const everywhere = [...zones, CHICAGO, 'America/Denver', 'America/Halifax', 'America/St_Johns', 'Pacific/Guam'];
    expect(nextAllowed(win(everywhere, [['09:00', '17:00']]), local(NY, '2026-03-04T10:00'))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('windowReason and isAllowed', () => {
  const cases: [string, WindowSpec, Date, WindowReason | undefined][] = [
    ['open', NY_9_17, local(NY, '2026-03-04T16:59:59'), undefined],
    ['closing time is closed', NY_9_17, local(NY, '2026-03-04T17:00'), 'outside_window'],
    ['weekend', NY_9_17, local(NY, '2026-03-07T12:00'), 'outside_window'],
    ['holiday', CHRISTMAS, local(NY, '2026-12-25T12:00'), 'holiday'],
    ['before the start date', JULY, local(NY, '2026-06-30T12:00'), 'before_start_date'],
    ['still July 31 in New York: the hours, not the end date', JULY, utc('2026-08-01T03:59'), 'outside_window'],
    ['after the end date', JULY, local(NY, '2026-08-01T12:00'), 'after_end_date'],
    ['quiet hours beat the window',
      win(NY, [['07:00', '22:00']], { quietHours: QUIET }), local(NY, '2026-03-04T21:30'), 'quiet_hours'],
    ['outside both: the window is named',
      win(NY, [['07:00', '22:00']], { quietHours: QUIET }), local(NY, '2026-03-04T23:00'), 'outside_window'],
    ['NY fall back: 01:30 EST, second time round', NY_1_3, utc('2026-11-01T06:30'), undefined],
    ['NY fall back: 02:59 EST', NY_1_3, utc('2026-11-01T07:59'), undefined],
    ['NY spring forward: 03:00 EDT is past the window', NY_1_3, utc('2026-03-08T07:00'), 'outside_window'],
    ['Lord Howe: 01:59 +10:30 repeated', win(LORD_HOWE, [['01:00', '02:00']]), utc('2026-04-04T15:29'), undefined],
    ['Lord Howe: 02:00 +10:30', win(LORD_HOWE, [['01:00', '02:00']]), utc('2026-04-04T15:30'), 'outside_window'],
    ['two zones: open in New York, not yet in Chicago',
      NY_AND_CHICAGO, local(NY, '2026-03-04T09:30'), 'outside_window'],
    ['two zones: open in both', NY_AND_CHICAGO, local(NY, '2026-03-04T16:30'), undefined],
    ['two zones: Friday 23:30 in Chicago is Saturday in New York',
      win([NY, CHICAGO], [['00:00', '24:00']], { days: WEEKDAYS }),
      local(CHICAGO, '2026-03-06T23:30'), 'outside_window'],
  ];
  test.each(cases)('%s', (_name, spec, at, expected) => {
    expect(windowReason(spec, at)).toBe(expected);
    expect(isAllowed(spec, at)).toBe(expected === undefined);
  });

  test('rejects what no window can mean', () => {
    expect(() => isAllowed(win('Mars/Olympus', [['09:00', '17:00']]), new Date())).toThrow(RangeError);
    expect(() => isAllowed(win(NY, [['17:00', '09:00']]), new Date())).toThrow(RangeError);
    expect(() => isAllowed(win(NY, [['09:00', '25:00']]), new Date())).toThrow(RangeError);
    expect(() => isAllowed(win([], [['09:00', '17:00']]), new Date())).toThrow(RangeError);
    expect(() => isAllowed(win(NY, [['09:00', '17:00']], { endDate: '2026-02-30' }), new Date())).toThrow(RangeError);
    expect(() => nextAllowed(NY_9_17, new Date(Number.NaN))).toThrow(RangeError);
    expect(() => nextAllowed(NY_9_17, new Date(), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('weeks of simulated calendar: open minutes per local day', () => {
  const cases: [string, WindowSpec, string, string, Record<string, number>, number][] = [
    ['NY 01:00–03:00 over spring forward', NY_1_3, NY, '2026-03-05', { '2026-03-08': 60 }, 120],
    ['NY 01:00–03:00 over fall back', NY_1_3, NY, '2026-10-29', { '2026-11-01': 180 }, 120],
    ['London 01:00–03:00 over spring forward', LONDON_1_3, LONDON, '2026-03-26', { '2026-03-29': 60 }, 120],
    ['London 01:00–03:00 over fall back', LONDON_1_3, LONDON, '2026-10-22', { '2026-10-25': 180 }, 120],
    ['NY 09:00–17:00 weekdays', NY_9_17, NY, '2026-03-02', { '2026-03-07': 0, '2026-03-08': 0, '2026-03-14': 0 }, 480],
    ['London 09:00–17:00 weekdays',
      LONDON_9_17, LONDON, '2026-10-19', { '2026-10-24': 0, '2026-10-25': 0, '2026-10-31': 0 }, 480],
    ['Lord Howe 01:00–03:00 over its half-hour fall back',
      win(LORD_HOWE, [['01:00', '03:00']]), LORD_HOWE, '2026-04-02', { '2026-04-05': 150 }, 120],
    ['Lord Howe 01:00–03:00 over its half-hour spring forward',
      win(LORD_HOWE, [['01:00', '03:00']]), LORD_HOWE, '2026-10-01', { '2026-10-04': 90 }, 120],
    ['Beirut around midnight over its midnight spring forward',
      win(BEIRUT, [['00:00', '01:00'], ['23:00', '24:00']]), BEIRUT, '2026-03-26', { '2026-03-29': 60 }, 120],
    ['Beirut around midnight over its midnight fall back',
      win(BEIRUT, [['00:00', '01:00'], ['23:00', '24:00']]), BEIRUT, '2026-10-22', { '2026-10-24': 180 }, 120],
    ['Kathmandu, split day with a holiday',
      win(KATHMANDU, [['09:00', '12:00'], ['14:00', '18:00']], { holidays: new Set(['2026-06-03']) }),
      KATHMANDU, '2026-06-01', { '2026-06-03': 0 }, 420],
    ['Kolkata to midnight', win(KOLKATA, [['20:00', '24:00']]), KOLKATA, '2026-12-28', {}, 240],
  ];
  test.each(cases)('%s', (_name, spec, zone, firstDay, exceptions, usual) => {
    const clock = new ManualClock(local(zone, `${firstDay}T00:00`));
    const end = local(zone, `${DateTime.fromISO(firstDay).plus({ days: 7 }).toISODate()}T00:00`).getTime();
    const minutes = new Map<string, number>();
    for (; clock.now().getTime() < end; clock.advance(MINUTE)) {
      const day = DateTime.fromJSDate(clock.now(), { zone }).toISODate() as string;
      minutes.set(day, (minutes.get(day) ?? 0) + (isAllowed(spec, clock.now()) ? 1 : 0));
    }
    const expected = Object.fromEntries([...minutes.keys()].map((day) => [day, exceptions[day] ?? usual]));
    expect(Object.fromEntries(minutes)).toEqual(expected);
  });
});

describe('nextAllowed agrees with isAllowed at random instants over a year', () => {
  const specs: [string, WindowSpec][] = [
    ['NY 01:00–03:00', NY_1_3],
    ['London 01:00–03:00', LONDON_1_3],
    ['London 09:00–17:00 weekdays with a holiday', { ...LONDON_9_17, holidays: new Set(['2026-12-25']) }],
    ['Kathmandu split day', win(KATHMANDU, [['09:00', '12:00'], ['14:00', '18:00']], { days: WEEKDAYS })],
    ['Lord Howe 01:00–02:00 and 14:00–24:00', win(LORD_HOWE, [['01:00', '02:00'], ['14:00', '24:00']])],
    ['New York + Chicago with quiet hours in Los Angeles',
      { ...NY_AND_CHICAGO, quietHours: { ...QUIET, zones: ['America/Los_Angeles'] } }],
    ['New York + London weekdays', NY_AND_LONDON],
    ['Beirut around midnight', win(BEIRUT, [['00:00', '01:00'], ['23:00', '24:00']])],
    ['Santiago around midnight', win(SANTIAGO, [['00:00', '00:30'], ['23:00', '23:30']])],
  ];
  const title = '%s: 300 instants, half within two days of a clock change, 15 checked minute by minute';
  test.each(specs)(title, (_name, spec) => {
    const random = seeded(42);
    const yearStart = utc('2026-01-01T00:00').getTime();
    const changes = spec.zones.flatMap(clockChanges2026);
    for (let sample = 0; sample < 300; sample += 1) {
      const change = changes[Math.floor(random() * changes.length)];
      const near = sample % 2 === 0 && change !== undefined ? change + (random() - 0.5) * 4 * 86_400_000 : undefined;
      const after = new Date(Math.floor(near ?? yearStart + random() * 365 * 86_400_000));
      const next = nextAllowed(spec, after);
      if (next === undefined) throw new Error(`nothing open after ${after.toISOString()}`);
      const opened = next.getTime() > after.getTime();
      expect([next.getTime() >= after.getTime(), isAllowed(spec, next)]).toEqual([true, true]);
      const justBefore = opened && isAllowed(spec, new Date(next.getTime() - 1));
      expect({ after, justBefore }).toEqual({ after, justBefore: false });
      for (let t = after.getTime(); sample < 15 && t < next.getTime(); t += MINUTE) {
        if (isAllowed(spec, new Date(t))) throw new Error(`${new Date(t).toJSON()} is open, before ${next.toJSON()}`);
      }
    }
  });
});

describe('campaignWindowSpec', () => {
  const settings: WindowSettings = {
    timezone: NY,
    startDate: '2026-03-01',
    endDate: null,
    daysOfWeek: WEEKDAYS,
    dailyStartTime: '09:00:00',
    dailyEndTime: '17:00:00',
    recipientLocalTime: false,
  };
  const profile = {
    timezone: LONDON,
    intervals: [
      { day: 'MONDAY' as const, start: '09:00:00', end: '12:00:00' },
      { day: 'MONDAY' as const, start: '14:00:00', end: '18:00:00' },
      { day: 'SATURDAY' as const, start: '10:00:00', end: '13:00:00' },
    ],
    holidays: ['2026-03-16'],
  };
  const cases: [string, WindowSpec, Date, Date | undefined][] = [
    ['daily times on the campaign days',
      campaignWindowSpec(settings), local(NY, '2026-03-06T17:00'), local(NY, '2026-03-09T09:00')],
    ['no daily times: whole days',
      campaignWindowSpec({ ...settings, dailyStartTime: null, dailyEndTime: null }),
      local(NY, '2026-03-07T12:00'), local(NY, '2026-03-09T00:00')],
    ['a profile brings its zone, intervals and holidays',
      campaignWindowSpec(settings, profile), local(LONDON, '2026-03-09T12:00'), local(LONDON, '2026-03-09T14:00')],
    ['a profile holiday',
      campaignWindowSpec(settings, profile), local(LONDON, '2026-03-14T13:00'), local(LONDON, '2026-03-21T10:00')],
    ['recipient time: the recipient zone',
      campaignWindowSpec({ ...settings, recipientLocalTime: true }, undefined, undefined, [KOLKATA]),
      local(KOLKATA, '2026-03-04T08:00'), local(KOLKATA, '2026-03-04T09:00')],
    ['recipient time with a profile: its hours in the recipient zone',
      campaignWindowSpec({ ...settings, recipientLocalTime: true }, profile, undefined, [KOLKATA]),
      local(KOLKATA, '2026-03-09T12:30'), local(KOLKATA, '2026-03-09T14:00')],
    ['recipient time, zone unknown: the profile zone',
      campaignWindowSpec({ ...settings, recipientLocalTime: true }, profile, undefined, []),
      local(LONDON, '2026-03-09T12:30'), local(LONDON, '2026-03-09T14:00')],
    ['two recipient zones',
      campaignWindowSpec({ ...settings, recipientLocalTime: true }, undefined, undefined, [NY, CHICAGO]),
      local(NY, '2026-03-04T09:00'), local(NY, '2026-03-04T10:00')],
    ['quiet hours in the recipient zone, campaign time',
      campaignWindowSpec(settings, undefined, { start: '11:00:00', end: '21:00:00' }, [CHICAGO]),
      local(NY, '2026-03-04T09:00'), local(NY, '2026-03-04T12:00')],
  ];
  test.each(cases)('%s', (_name, spec, after, expected) => {
    expect(nextAllowed(spec, after)?.toISOString()).toBe(expected?.toISOString());
  });

  test('bypass keeps the date range and, when the tenant says so, the quiet hours', () => {
    const spec = campaignWindowSpec(settings, profile, { start: '08:00', end: '21:00' });
    const sunday = local(LONDON, '2026-03-08T07:00');
    expect(nextAllowed(bypassWindowSpec(spec, false), sunday)?.toISOString()).toBe(sunday.toISOString());
    const eight = local(LONDON, '2026-03-08T08:00');
    expect(nextAllowed(bypassWindowSpec(spec, true), sunday)?.toISOString()).toBe(eight.toISOString());
    expect(windowReason(bypassWindowSpec(spec, true), local(LONDON, '2026-02-28T12:00'))).toBe('before_start_date');
  });
});

/** The instants (to the half hour) at which `zone` changed its offset in 2026. */
function clockChanges2026(zone: string): number[] {
  const changes: number[] = [];
  for (let t = utc('2026-01-01T00:00').getTime(); t < utc('2027-01-01T00:00').getTime(); t += 30 * MINUTE) {
    const offset = (at: number): number => DateTime.fromMillis(at, { zone }).offset;
    if (offset(t) !== offset(t - 30 * MINUTE)) changes.push(t);
  }
  return changes;
}

/** A small deterministic generator (mulberry32), so a failing sample reproduces. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
