import { sql } from 'kysely';
import type { Db } from '../db/database';

/**
 * Every counter of a campaign, its shards summed. One statement reads all keys in one snapshot,
 * and the triggers change messages and counters in the same transaction, so the figures are
 * exact together: a reader never sees a status change half-counted. It reads at most
 * (keys × 16 shards) rows, whatever the campaign's size.
 */
export async function readCampaignCounts(db: Db, campaignId: string): Promise<Map<string, number>> {
  const result = await sql<{ key: string; n: string }>`
    select key, sum(n)::bigint as n from campaign_counts where campaign_id = ${campaignId} group by key`.execute(db);
  return new Map(result.rows.map((row) => [row.key, Number(row.n)]));
}
