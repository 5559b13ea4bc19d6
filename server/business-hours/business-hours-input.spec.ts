import { DomainError } from '../errors';
import type { BusinessHoursInput, WeeklyIntervalInput } from './business-hours';
import { decodeListToken, encodeListToken, validateBusinessHours } from './business-hours-input';

const BASE: BusinessHoursInput = {
  name: 'Office hours',
  timezone: 'Europe/London',
  intervals: [{ day: 'MONDAY', start: '09:00', end: '17:00' }],
  holidays: [],
};

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e: unknown) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

/** `HH:MM` of a minute of the day. */
const clockTime = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const iv = (day: string | undefined, start: string, end: string): WeeklyIntervalInput => ({ day, start, end });

describe('validateBusinessHours', () => {
  it('normalises a whole profile', () => {
    expect(
      validateBusinessHours({
        name: '  Support  ',
        timezone: ' America/New_York ',
        intervals: [
          iv('SUNDAY', '10:00', '14:00'),
          iv('MONDAY', '13:00', '24:00'),
          iv('MONDAY', '08:30:15', '12:00'),
          iv('FRIDAY', '00:00', '23:59:59'),
        ],
        holidays: ['2026-12-25', '2026-01-01', '2026-12-25', ' 2026-07-04 '],
      }),
    ).toEqual({
      name: 'Support',
      timezone: 'America/New_York',
      intervals: [
        { day: 'MONDAY', start: '08:30:15', end: '12:00:00' },
        { day: 'MONDAY', start: '13:00:00', end: '24:00:00' },
        { day: 'FRIDAY', start: '00:00:00', end: '23:59:59' },
        { day: 'SUNDAY', start: '10:00:00', end: '14:00:00' },
      ],
      holidays: ['2026-01-01', '2026-07-04', '2026-12-25'],
    });
  });

  it.each<[string, Partial<BusinessHoursInput>]>([
    ['a name of 200 characters', { name: 'n'.repeat(200) }],
    ['a name of 200 emoji (characters, not UTF-16 units)', { name: '📞'.repeat(200) }],
    ['UTC', { timezone: 'UTC' }],
    ['a half-hour zone', { timezone: 'Asia/Kolkata' }],
    ['intervals that touch', { intervals: [iv('MONDAY', '09:00', '12:00'), iv('MONDAY', '12:00', '13:00')] }],
    ['the same hours on other days', { intervals: [iv('MONDAY', '09:00', '12:00'), iv('TUESDAY', '09:00', '12:00')] }],
    ['the whole day', { intervals: [iv('SATURDAY', '00:00', '24:00:00')] }],
    ['100 intervals', { intervals: Array.from({ length: 100 }, (_, i) => iv('MONDAY', clockTime(i * 10), clockTime(i * 10 + 5))) }],
    ['1,000 holidays', { holidays: Array.from({ length: 1000 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10)) }],
    ['a leap day', { holidays: ['2028-02-29'] }],
  ])('accepts %s', (_, patch) => {
    expect(() => validateBusinessHours({ ...BASE, ...patch })).not.toThrow();
  });

  it.each<[string, Partial<BusinessHoursInput>, string]>([
    ['no name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name'],
    ['no timezone', { timezone: '' }, 'timezone'],
    ['an unknown zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['an offset, not a zone name', { timezone: '+05:30' }, 'timezone'],
    ['no intervals', { intervals: [] }, 'intervals'],
    ['101 intervals', { intervals: Array.from({ length: 101 }, () => iv('MONDAY', '09:00', '10:00')) }, 'intervals'],
    ['no day', { intervals: [iv(undefined, '09:00', '10:00')] }, 'intervals[0]'],
    ['an unknown day', { intervals: [iv('MONDAY', '09:00', '10:00'), iv('8', '09:00', '10:00')] }, 'intervals[1]'],
    ['an empty start', { intervals: [iv('MONDAY', '', '10:00')] }, 'intervals[0]'],
    ['a start of 24:00', { intervals: [iv('MONDAY', '24:00', '24:00')] }, 'intervals[0]'],
    ['a start of 9:00', { intervals: [iv('MONDAY', '9:00', '10:00')] }, 'intervals[0]'],
    ['an end of 24:30', { intervals: [iv('MONDAY', '09:00', '24:30')] }, 'intervals[0]'],
    ['an end of 12:61', { intervals: [iv('MONDAY', '09:00', '12:61')] }, 'intervals[0]'],
    ['an end equal to the start', { intervals: [iv('MONDAY', '09:00', '09:00:00')] }, 'intervals[0]'],
    ['an end before the start', { intervals: [iv('MONDAY', '18:00', '09:00')] }, 'intervals[0]'],
    [
      'overlapping intervals, named by the later one',
      { intervals: [iv('MONDAY', '09:00', '12:00'), iv('TUESDAY', '09:00', '12:00'), iv('MONDAY', '11:59', '13:00')] },
      'intervals[2]',
    ],
    [
      'an interval inside another',
      { intervals: [iv('MONDAY', '09:00', '18:00'), iv('MONDAY', '10:00', '11:00')] },
      'intervals[1]',
    ],
    ['the same interval twice', { intervals: [iv('FRIDAY', '09:00', '10:00'), iv('FRIDAY', '09:00', '10:00')] }, 'intervals[1]'],
    ['1,001 holidays', { holidays: Array.from({ length: 1001 }, () => '2026-01-01') }, 'holidays'],
    ['a holiday that is no date', { holidays: ['2026-01-01', 'christmas'] }, 'holidays[1]'],
    ['31 April', { holidays: ['2026-04-31'] }, 'holidays[0]'],
    ['29 February of a common year', { holidays: ['2027-02-29'] }, 'holidays[0]'],
    ['an empty holiday', { holidays: [''] }, 'holidays[0]'],
    ['a date-time', { holidays: ['2026-01-01T00:00:00Z'] }, 'holidays[0]'],
  ])('refuses %s naming %s', (_, patch, field) => {
    const e = errorOf(() => validateBusinessHours({ ...BASE, ...patch }));
    expect(e.kind).toBe('invalid_argument');
    expect(e.meta.argument).toBe(field);
    expect(e.message.startsWith(field)).toBe(true);
  });

  it('says which intervals overlap', () => {
    const e = errorOf(() =>
      validateBusinessHours({ ...BASE, intervals: [iv('MONDAY', '09:00', '12:00'), iv('MONDAY', '11:00', '13:00')] }),
    );
    expect(e.message).toBe(
      'intervals[1] (MONDAY 11:00:00–13:00:00) overlaps intervals[0] (MONDAY 09:00:00–12:00:00)',
    );
  });

  it('reports the first problem in field order', () => {
    const e = errorOf(() => validateBusinessHours({ name: '', timezone: 'Nowhere', intervals: [], holidays: ['x'] }));
    expect(e.meta.argument).toBe('name');
  });

  it('clips a huge refused value in the message', () => {
    const e = errorOf(() => validateBusinessHours({ ...BASE, holidays: ['x'.repeat(10_000)] }));
    expect(e.message.length).toBeLessThan(200);
  });
});

describe('list tokens', () => {
  it.each(['Office', 'a', 'n'.repeat(200), '📞'.repeat(200), 'Ünïcödé hours: 9–5'])('round-trip %j', (name) => {
    expect(decodeListToken(encodeListToken(name))).toBe(name);
  });

  it('the empty token starts at the beginning', () => {
    expect(decodeListToken('')).toBeUndefined();
  });

  it.each([
    ['garbage', 'not a token!'],
    ['another list', Buffer.from('campaigns:42').toString('base64url')],
    ['no name', Buffer.from('bh:').toString('base64url')],
    ['a name too long', Buffer.from(`bh:${'n'.repeat(201)}`).toString('base64url')],
    ['bytes that are not UTF-8', Buffer.from([0x62, 0x68, 0x3a, 0xff, 0xfe]).toString('base64url')],
    ['a very long token', 'A'.repeat(2000)],
  ])('refuse %s naming page_token', (_, token) => {
    expect(errorOf(() => decodeListToken(token)).meta.argument).toBe('page_token');
  });
});
