/**
 * Requests per API key: a token bucket per key that refills at `perSecond` up to `burst`. Pure
 * over the instants it is given, so tests drive it with a clock. Per process: N processes behind a
 * load balancer allow N times the rate, which the README says. Buckets of keys gone quiet are
 * dropped, so the map is bounded by the keys active within a refill.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes one request's token for `key` at `nowMs`: 0 when allowed, else how long until one is there (ms). */
  take(key: string, nowMs: number): number {
    this.sweep(nowMs);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    const tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * this.perSecond);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
      return 0;
    }
    this.buckets.set(key, { tokens, at: nowMs });
    return Math.ceil(((1 - tokens) / this.perSecond) * 1000);
  }

  /** Forgets buckets that would be full again: they hold nothing a fresh bucket would not. */
  private sweep(nowMs: number): void {
    const refillMs = (this.burst / this.perSecond) * 1000;
    if (nowMs - this.lastSweep < Math.max(1_000, refillMs)) return;
    this.lastSweep = nowMs;
    for (const [key, bucket] of this.buckets) if (nowMs - bucket.at >= refillMs) this.buckets.delete(key);
  }
}
