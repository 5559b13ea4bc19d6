import { END_OF_DAY, isCalendarDate, parseTimeOfDay } from './time-of-day';

describe('parseTimeOfDay', () => {
  it.each([
    ['00:00', '00:00:00'],
    ['09:30', '09:30:00'],
    ['23:59:59', '23:59:59'],
    ['08:15:30', '08:15:30'],
  ])('%j → %j whether or not it may end a day', (value, expected) => {
    expect(parseTimeOfDay(value, { endOfDay: false })).toBe(expected);
    expect(parseTimeOfDay(value, { endOfDay: true })).toBe(expected);
  });

  it.each(['24:00', '24:00:00'])('%j is the end of the day, only where a day may end', (value) => {
    expect(parseTimeOfDay(value, { endOfDay: true })).toBe(END_OF_DAY);
    expect(parseTimeOfDay(value, { endOfDay: false })).toBeUndefined();
  });

  it.each(['', '9:00', '09:00:0', '24:00:01', '24:01', '25:00', '12:60', '12:00:60', '12:00:00.5', ' 09:00', 'noon', '09-00'])(
    '%j is not a time',
    (value) => {
      expect(parseTimeOfDay(value, { endOfDay: true })).toBeUndefined();
    },
  );
});

describe('isCalendarDate', () => {
  it.each(['2026-01-01', '2026-12-31', '2028-02-29', '2000-02-29'])('%j is a date', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each(['', '2026-1-01', '2026-13-01', '2026-00-10', '2026-04-31', '2027-02-29', '1900-02-29', '2026/01/01', '2026-01-01T00:00:00Z', ' 2026-01-01'])(
    '%j is not a date',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );
});
