import { DomainError } from '../errors';
import { checkState, checkStringMap, localTimeToInstant, parseSchedule, requirePhoneNumber } from './message-input';
import { RecipientRowSorter, sortRecipientRows, type RecipientRowInput } from './recipient-rows';

function argumentOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e: unknown) {
    if (e instanceof DomainError) return e.meta.argument;
    throw e;
  }
  return undefined;
}

describe('parseSchedule', () => {
  it.each([
    ['2026-03-04T11:52:30Z', '2026-03-04T11:52:30.000Z'],
    ['2026-03-04T11:52:30+05:30', '2026-03-04T06:22:30.000Z'],
    ['2026-03-04T11:52:30+0530', '2026-03-04T06:22:30.000Z'],
    ['2026-03-04T11:52:30.250-08:00', '2026-03-04T19:52:30.250Z'],
    ['2026-03-04 11:52:30Z', '2026-03-04T11:52:30.000Z'],
    ['2026-03-04T11:52:30+14:00', '2026-03-03T21:52:30.000Z'],
  ])('%s is the instant %s', (text, iso) => {
    expect(parseSchedule(text, 'ScheduledAt.Time')).toEqual({ kind: 'instant', at: new Date(iso) });
  });

  it('reads a time without offset later, in the campaign zone', () => {
    expect(parseSchedule('2026-03-04T11:52:30', 'f')).toEqual({ kind: 'local', text: '2026-03-04T11:52:30' });
  });

  it('treats an empty time as now', () => expect(parseSchedule('  ', 'f')).toEqual({ kind: 'now' }));

  it.each(['tomorrow', '2026-03-04', '2026-13-04T10:00:00Z', '2026-02-30T10:00:00', '2026-03-04T25:00:00Z', '2026-03-04T11:52:30+99:00', '2026-03-04T11:52:30+05:70', '1741089150'])(
    'refuses %j naming the field',
    (text) => expect(argumentOf(() => parseSchedule(text, 'ScheduledAt.Time'))).toBe('ScheduledAt.Time'),
  );
});

describe('localTimeToInstant', () => {
  it.each([
    ['2026-03-04T11:52:30', 'Asia/Kolkata', '2026-03-04T06:22:30.000Z'],
    ['2026-07-01T09:00:00', 'America/New_York', '2026-07-01T13:00:00.000Z'],
    ['2026-01-01T09:00:00', 'America/New_York', '2026-01-01T14:00:00.000Z'],
    // 02:30 does not exist on 2026-03-08 in New York (spring forward): it moves on by the gap.
    ['2026-03-08T02:30:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    // 01:30 happens twice on 2026-11-01 in New York (fall back): the earlier one is taken.
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    // Lord Howe turns its clocks back half an hour: 01:45 happens twice, the earlier is taken.
    ['2026-04-05T01:45:00', 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z'],
    ['2026-04-05T02:30:00', 'Australia/Lord_Howe', '2026-04-04T16:00:00.000Z'],
  ])('%s in %s is %s', (text, zone, iso) => expect(localTimeToInstant(text, zone).toISOString()).toBe(iso));
});

describe('requirePhoneNumber', () => {
  it('normalises with or without +', () => {
    expect(requirePhoneNumber('918123002929', 'To.PhoneNumber')).toBe('+918123002929');
    expect(requirePhoneNumber('+91 81230 02929', 'To.PhoneNumber')).toBe('+918123002929');
  });
  it.each(['', '12', 'abc'])('refuses %j naming the field', (value) =>
    expect(argumentOf(() => requirePhoneNumber(value, 'To.PhoneNumber'))).toBe('To.PhoneNumber'),
  );
});

describe('limits', () => {
  it('refuses too many variables, long values and large state', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v']));
    expect(argumentOf(() => checkStringMap(many, 'Variables'))).toBe('Variables');
    expect(argumentOf(() => checkStringMap({ a: 'x'.repeat(4097) }, 'Variables'))).toBe('Variables.a');
    expect(argumentOf(() => checkState({ blob: 'x'.repeat(17 * 1024) }, 'Callback.State'))).toBe('Callback.State');
    expect(checkState(null, 'Callback.State')).toBeNull();
  });
});

const row = (phoneNumber: string, extra: Partial<RecipientRowInput> = {}): RecipientRowInput => ({
  phoneNumber,
  variables: {},
  language: '',
  metadata: {},
  timezone: '',
  externalId: '',
  ...extra,
});

describe('recipient rows', () => {
  it('skips invalid numbers and repeats, across slices, keeping row indexes', () => {
    const sorter = new RecipientRowSorter();
    const first = sorter.sort([row('+14155550100'), row('12'), row('14155550100')], 0);
    const second = sorter.sort([row('+14155550101', { externalId: 'a' }), row('+14155550102', { externalId: 'a' }), row('+1 415 555 0100')], 3);
    expect(first.map((r) => r.index)).toEqual([0]);
    expect(second.map((r) => [r.index, r.phoneNumber])).toEqual([[3, '+14155550101']]);
    expect(sorter.rejected).toEqual([
      { index: 1, phoneNumber: '12', reason: 'invalid_phone_number' },
      { index: 2, phoneNumber: '+14155550100', reason: 'duplicate_in_request' },
      { index: 4, phoneNumber: '+14155550102', reason: 'duplicate_in_request' },
      { index: 5, phoneNumber: '+14155550100', reason: 'duplicate_in_request' },
    ]);
  });

  it('refuses a malformed row naming it, and request sizes out of range', () => {
    expect(argumentOf(() => sortRecipientRows([row('+14155550100'), row('+14155550101', { timezone: 'Mars/Base' })]))).toBe(
      'recipients[1].timezone',
    );
    expect(argumentOf(() => sortRecipientRows([]))).toBe('recipients');
    expect(argumentOf(() => sortRecipientRows(Array.from({ length: 10_001 }, () => row('1'))))).toBe('recipients');
  });
});
