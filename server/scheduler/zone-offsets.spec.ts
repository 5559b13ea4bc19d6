import { localDay, offsetMs, OffsetTimeline, zoneNamed } from './zone-offsets';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(`${iso}Z`);

describe('OffsetTimeline', () => {
  const cases: [string, string, string, string, { from: string; offset: number }[]][] = [
    [
      'New York springs forward at 02:00 EST on 2026-03-08',
      'America/New_York',
      '2026-03-07T00:00:00',
      '2026-03-09T00:00:00',
      [
        { from: '2026-03-07T00:00:00', offset: -5 * HOUR },
        { from: '2026-03-08T07:00:00', offset: -4 * HOUR },
      ],
    ],
    [
      'New York falls back at 02:00 EDT on 2026-11-01',
      'America/New_York',
      '2026-10-31T00:00:00',
      '2026-11-02T00:00:00',
      [
        { from: '2026-10-31T00:00:00', offset: -4 * HOUR },
        { from: '2026-11-01T06:00:00', offset: -5 * HOUR },
      ],
    ],
    [
      'Kolkata has no transitions',
      'Asia/Kolkata',
      '2026-01-01T00:00:00',
      '2027-01-01T00:00:00',
      [{ from: '2026-01-01T00:00:00', offset: 5.5 * HOUR }],
    ],
  ];
  test.each(cases)('%s', (_name, zone, from, to, expected) => {
    const pieces = new OffsetTimeline(zoneNamed(zone), at(from)).between(at(from), at(to));
    expect(pieces.map((piece) => ({ from: piece.from, offset: piece.offset }))).toEqual(
      expected.map((piece) => ({ from: at(piece.from), offset: piece.offset })),
    );
    // Pieces tile the range: each ends where the next begins; the last is still open.
    pieces.slice(1).forEach((piece, i) => expect(pieces[i]?.to).toBe(piece.from));
    expect(pieces[pieces.length - 1]?.to).toBe(Infinity);
  });

  test('between() keeps earlier pieces and returns only those overlapping the range', () => {
    const timeline = new OffsetTimeline(zoneNamed('America/New_York'), at('2026-03-01T00:00:00'));
    expect(timeline.between(at('2026-03-01T00:00:00'), at('2026-03-15T00:00:00'))).toHaveLength(2);
    const late = timeline.between(at('2026-03-10T00:00:00'), at('2026-03-11T00:00:00'));
    expect(late).toEqual([{ from: at('2026-03-08T07:00:00'), to: Infinity, offset: -4 * HOUR }]);
  });
});

describe('offsetMs and localDay', () => {
  const ny = zoneNamed('America/New_York');
  test('wall time is the instant plus the offset', () => {
    expect(offsetMs(ny, at('2026-01-15T12:00:00'))).toBe(-5 * HOUR);
    expect(offsetMs(ny, at('2026-07-15T12:00:00'))).toBe(-4 * HOUR);
  });
  test('the local date changes at local midnight, not UTC midnight', () => {
    expect(localDay(ny, at('2026-01-16T04:59:59'))).toBe(at('2026-01-15T00:00:00') / DAY);
    expect(localDay(ny, at('2026-01-16T05:00:00'))).toBe(at('2026-01-16T00:00:00') / DAY);
  });
});

describe('zoneNamed', () => {
  test('finds an IANA zone', () => expect(zoneNamed('Europe/London').name).toBe('Europe/London'));
  test('rejects an unknown name', () => expect(() => zoneNamed('Mars/Olympus')).toThrow(RangeError));
});
