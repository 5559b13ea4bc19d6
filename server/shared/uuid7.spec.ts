import { isUuid } from './ids';
import { uuid7 } from './uuid7';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function msOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

describe('uuid7', () => {
  it('is a version 7, variant 10 UUID carrying the millisecond it was made in', () => {
    const before = Date.now();
    const id = uuid7();
    const after = Date.now();
    expect(id).toMatch(V7);
    expect(isUuid(id)).toBe(true);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(after);
    expect(msOf(uuid7(Date.UTC(2030, 0, 1) + 1))).toBe(Date.UTC(2030, 0, 1) + 1);
  });

  it('sorts in the order the ids were made, within one millisecond and across them, and never repeats', () => {
    const ids: string[] = [];
    for (let i = 0; i < 100_000; i += 1) ids.push(uuid7());
    // Many in the same millisecond: a frozen clock makes the counter do all the ordering.
    const frozen = Date.UTC(2031, 5, 1);
    for (let i = 0; i < 10_000; i += 1) ids.push(uuid7(frozen));
    expect(ids.every((id) => V7.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('stays ordered when the clock goes back', () => {
    const later = uuid7(Date.UTC(2032, 0, 1, 12));
    const earlierClock = uuid7(Date.UTC(2032, 0, 1, 11));
    expect(earlierClock > later).toBe(true);
    expect(msOf(earlierClock)).toBe(Date.UTC(2032, 0, 1, 12));
  });
});
