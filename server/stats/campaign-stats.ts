import { DISPOSITIONS, type Disposition } from '../messages/message';

/** A campaign's counters at one instant. */
export interface CampaignStats {
  readonly campaignId: string;
  readonly total: number;
  readonly queued: number;
  readonly dispatched: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly byDisposition: Readonly<Partial<Record<Disposition, number>>>;
  /** Calls made, by attempt number. */
  readonly byAttempt: Readonly<Record<number, number>>;
}

/**
 * Counter keys (`total`, `status:QUEUED`, `disposition:OPTED_OUT`, `attempt:2`) summed over their
 * shards → stats. Keys at zero are left out of the maps.
 */
export function statsFromCounts(campaignId: string, counts: ReadonlyMap<string, number>): CampaignStats {
  const count = (key: string): number => counts.get(key) ?? 0;
  const byDisposition: Partial<Record<Disposition, number>> = {};
  for (const disposition of DISPOSITIONS) {
    const n = count(`disposition:${disposition}`);
    if (n !== 0) byDisposition[disposition] = n;
  }
  const byAttempt: Record<number, number> = {};
  for (const [key, n] of counts) {
    const attempt = /^attempt:(\d+)$/.exec(key)?.[1];
    if (attempt !== undefined && n !== 0) byAttempt[Number(attempt)] = n;
  }
  return {
    campaignId,
    total: count('total'),
    queued: count('status:QUEUED'),
    dispatched: count('status:DISPATCHED'),
    succeeded: count('status:SUCCEEDED'),
    failed: count('status:FAILED'),
    byDisposition,
    byAttempt,
  };
}
