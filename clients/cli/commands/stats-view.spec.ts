import { formatStatsLine, isSettled, renderStats } from './stats-view';

const stats = (counts: { total: number; queued: number; dispatched: number; succeeded: number; failed: number }) => ({
  campaignId: 'c1',
  ...counts,
  byDisposition: { COMPLETED: counts.succeeded, BUSY: counts.failed },
  byAttempt: { 2: 3, 1: counts.succeeded + counts.failed },
});

describe('stats view', () => {
  it.each([
    ['RUNNING', { total: 10, queued: 0, dispatched: 0, succeeded: 10, failed: 0 }, false],
    ['COMPLETED', { total: 10, queued: 0, dispatched: 1, succeeded: 9, failed: 0 }, false],
    ['COMPLETED', { total: 10, queued: 0, dispatched: 0, succeeded: 9, failed: 1 }, true],
    ['CANCELLED', { total: 0, queued: 0, dispatched: 0, succeeded: 0, failed: 0 }, true],
  ])('%s with %j settled: %p', (status, counts, settled) => {
    expect(isSettled(stats(counts), status)).toBe(settled);
  });

  it('the live line shows ended over total, the counters, the rate and the ETA', () => {
    expect(formatStatsLine(stats({ total: 1_000, queued: 500, dispatched: 10, succeeded: 400, failed: 90 }), 'RUNNING', 10)).toBe(
      'RUNNING   [############............]  49%  490/1,000 ended  queued 500  dispatched 10  succeeded 400  failed 90  10.0/s ETA 0:51',
    );
  });

  it('the full view lists dispositions by name and attempts by number', () => {
    const text = renderStats(stats({ total: 5, queued: 0, dispatched: 0, succeeded: 4, failed: 1 }), 'COMPLETED');
    expect(text).toContain('by_disposition: BUSY 1, COMPLETED 4');
    expect(text).toContain('by_attempt:     1 5, 2 3');
    expect(text).toContain('progress:       [########################] 100% (5 of 5 ended)');
  });
});
