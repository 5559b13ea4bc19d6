import type { CampaignStats } from '../../typescript';
import { formatCount, renderFields } from '../output';
import { formatDuration, renderBar } from '../progress';

/** Campaign statuses after which nothing more happens. */
const TERMINAL = new Set(['COMPLETED', 'CANCELLED']);

/** Messages that have ended (succeeded or failed). */
export function finished(stats: CampaignStats): number {
  return stats.succeeded + stats.failed;
}

/** Done watching: the campaign has finished and no message is waiting or in flight. */
export function isSettled(stats: CampaignStats, status: string): boolean {
  return TERMINAL.has(status) && stats.queued + stats.dispatched === 0;
}

/**
 * One live line: status, a bar of ended over total, the four counters, and the rate at which
 * messages have been ending since watching began, with the time left at that rate.
 */
export function formatStatsLine(stats: CampaignStats, status: string, endedPerSecond: number): string {
  const done = finished(stats);
  const fraction = stats.total === 0 ? 0 : done / stats.total;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const left = stats.total - done;
  const eta = endedPerSecond > 0 ? formatDuration(left / endedPerSecond) : '--:--';
  return [
    `${status.padEnd(9)} ${renderBar(fraction)} ${percent}`,
    `${formatCount(done)}/${formatCount(stats.total)} ended`,
    `queued ${formatCount(stats.queued)}`,
    `dispatched ${formatCount(stats.dispatched)}`,
    `succeeded ${formatCount(stats.succeeded)}`,
    `failed ${formatCount(stats.failed)}`,
    `${endedPerSecond.toFixed(1)}/s ETA ${eta}`,
  ].join('  ');
}

/** The counters, by disposition and by attempt number, as `label: value` lines. */
export function renderStats(stats: CampaignStats, status: string): string {
  const byKey = (map: Record<string, number>, order: (a: string, b: string) => number): string =>
    Object.keys(map)
      .sort(order)
      .map((k) => `${k} ${formatCount(map[k] ?? 0)}`)
      .join(', ');
  const done = finished(stats);
  const fraction = stats.total === 0 ? 0 : done / stats.total;
  return renderFields([
    ['campaign_id', stats.campaignId],
    ['status', status],
    ['progress', `${renderBar(fraction)} ${Math.floor(fraction * 100)}% (${formatCount(done)} of ${formatCount(stats.total)} ended)`],
    ['total', formatCount(stats.total)],
    ['queued', formatCount(stats.queued)],
    ['dispatched', formatCount(stats.dispatched)],
    ['succeeded', formatCount(stats.succeeded)],
    ['failed', formatCount(stats.failed)],
    ['by_disposition', byKey(stats.byDisposition, (a, b) => a.localeCompare(b))],
    ['by_attempt', byKey(stats.byAttempt, (a, b) => Number(a) - Number(b))],
  ]);
}
