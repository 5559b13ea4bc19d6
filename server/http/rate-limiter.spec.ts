import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst, then one request per refill interval, and says how long to wait', () => {
    const limiter = new RateLimiter(2, 3);
    expect([0, 0, 0].map(() => limiter.take('k', 0))).toEqual([0, 0, 0]);
    expect(limiter.take('k', 0)).toBe(500);
    expect(limiter.take('k', 250)).toBe(250);
    expect(limiter.take('k', 500)).toBe(0);
    expect(limiter.take('k', 500)).toBe(500);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(1_000);
    expect(limiter.take('b', 0)).toBe(0);
  });

  it('refills up to the burst, not beyond, however long a key was quiet', () => {
    const limiter = new RateLimiter(10, 2);
    expect(limiter.take('k', 0)).toBe(0);
    expect(limiter.take('k', 0)).toBe(0);
    expect(limiter.take('k', 60_000)).toBe(0);
    expect(limiter.take('k', 60_000)).toBe(0);
    expect(limiter.take('k', 60_000)).toBe(100);
  });
});
