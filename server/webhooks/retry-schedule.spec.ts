import { afterFailure, GIVE_UP_AFTER_SECONDS } from './retry-schedule';

const created = new Date('2027-01-04T15:00:00Z');
const plus = (s: number) => new Date(created.getTime() + s * 1000);

describe('afterFailure', () => {
  it.each([
    [1, 1, 2],
    [1, 0, 1],
    [2, 1, 4],
    [3, 1, 8],
    [11, 1, 2048],
    [12, 1, 3600],
    [40, 1, 3600],
    [40, 0, 1800],
  ])('failure %i with draw %d waits %d s', (failures, random, wait) => {
    expect(afterFailure({ failures, createdAt: created, now: plus(10), httpStatus: 500, random })).toEqual({ kind: 'retry', at: plus(10 + wait) });
  });

  it('the first retry comes within 5 s, whatever the draw', () => {
    for (const random of [0, 0.3, 0.999]) {
      const next = afterFailure({ failures: 1, createdAt: created, now: created, httpStatus: null, random });
      expect(next.kind === 'retry' && next.at.getTime() - created.getTime()).toBeLessThanOrEqual(5_000);
    }
  });

  it('keeps trying for 24 h, then gives up; tries are never more than an hour apart', () => {
    let now = created;
    let failures = 0;
    for (;;) {
      failures += 1;
      const next = afterFailure({ failures, createdAt: created, now, httpStatus: 503, random: 1 });
      if (next.kind === 'dead') {
        expect(next.reason).toBe('gave_up');
        break;
      }
      expect(next.at.getTime() - now.getTime()).toBeLessThanOrEqual(3_600_000);
      now = next.at;
    }
    expect(now.getTime() - created.getTime()).toBeGreaterThanOrEqual(GIVE_UP_AFTER_SECONDS * 1000);
    expect(now.getTime() - created.getTime()).toBeLessThan((GIVE_UP_AFTER_SECONDS + 3_600) * 1000);
  });

  it('410 Gone is dead at once', () => {
    expect(afterFailure({ failures: 1, createdAt: created, now: created, httpStatus: 410, random: 1 })).toEqual({ kind: 'dead', reason: 'gone' });
  });
});
