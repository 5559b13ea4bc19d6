/**
 * The GetCampaignStats bench's campaign: N messages inserted by SQL in statements of 100,000 rows,
 * with the counter triggers of migration 0002 enabled (they keep the counters the RPC reads),
 * then a slice moved QUEUED → DISPATCHED by one UPDATE so the update trigger runs too.
 */
import type pg from 'pg';
import { messageIdSql } from './fixtures';

/** Rows per INSERT … SELECT statement (each one fires the statement-level insert trigger once). */
export const SEED_CHUNK = 100_000;
/** The share of the campaign the UPDATE moves from QUEUED (never called) to DISPATCHED. */
const UPDATED_SHARE = 0.05;

/** How long each step of the seed took, and what it did. */
export interface Seed {
  readonly messages: number;
  readonly statements: number;
  readonly insertMs: number;
  /** Rows the UPDATE moved QUEUED → DISPATCHED, attempt 0 → 1. */
  readonly updated: number;
  readonly updateMs: number;
  readonly vacuumMs: number;
}

/**
 * The mix, by `g % 100` of the row's number: 64 % QUEUED never called, 6 % QUEUED again for a
 * retry after NO_ANSWER (a disposition that `by_disposition` must not count), 10 % DISPATCHED,
 * 12 % SUCCEEDED/COMPLETED, 8 % FAILED (3 BUSY after three calls, 2 OPTED_OUT, 3 CANCELLED
 * before any call). The numbers `+1` || 2000000000 + g are distinct, as the duplicate rule needs.
 */
const INSERT_CHUNK = `
  insert into messages
    (id, tenant_id, campaign_id, phone_number, status, disposition, scheduled_at, next_attempt_at, attempt_count)
  select
    ${messageIdSql('g', 'now()')}, $1::uuid, $2::uuid, '+1' || (2000000000 + g),
    case when r < 70 then 'QUEUED' when r < 80 then 'DISPATCHED' when r < 92 then 'SUCCEEDED' else 'FAILED' end,
    case when r < 64 then null when r < 70 then 'NO_ANSWER' when r < 80 then null when r < 92 then 'COMPLETED'
         when r < 95 then 'BUSY' when r < 97 then 'OPTED_OUT' else 'CANCELLED' end,
    $3::timestamptz,
    case when r < 70 then $3::timestamptz end,
    case when r < 64 then 0 when r < 92 then 1 when r < 95 then 3 when r < 97 then 1 else 0 end
  from (select g, g % 100 as r from generate_series($4::bigint, $5::bigint) g) s`;

/** A slice of never-called QUEUED rows, oldest first (the (campaign_id, status, seq) index). */
const UPDATE_SLICE = `
  update messages set status = 'DISPATCHED', attempt_count = attempt_count + 1, next_attempt_at = null, updated_at = now()
  where id in (
    select id from messages
    where campaign_id = $1::uuid and status = 'QUEUED' and attempt_count = 0
    order by seq limit $2)`;

/**
 * Seeds `messages` of one campaign with N rows (scheduled for `scheduledAt`, so nothing becomes
 * due), runs the UPDATE, then `vacuum analyze` and a checkpoint so the measurements that follow
 * neither pay for dead tuples and unset visibility bits nor compete with a checkpoint.
 */
export async function seedCampaign(
  client: pg.Client,
  target: { tenantId: string; campaignId: string; messages: number; scheduledAt: Date },
  log: (line: string) => void,
): Promise<Seed> {
  const { tenantId, campaignId, messages, scheduledAt } = target;
  const t0 = performance.now();
  let statements = 0;
  for (let first = 0; first < messages; first += SEED_CHUNK) {
    const last = Math.min(messages, first + SEED_CHUNK) - 1;
    const result = await client.query(INSERT_CHUNK, [tenantId, campaignId, scheduledAt, first, last]);
    if (result.rowCount !== last - first + 1) throw new Error(`seed insert wrote ${result.rowCount} rows, expected ${last - first + 1}`);
    statements += 1;
    log(`stats: seeded ${last + 1} of ${messages} messages (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const insertMs = performance.now() - t0;

  const slice = Math.max(1, Math.round(messages * UPDATED_SHARE));
  const t1 = performance.now();
  const updated = (await client.query(UPDATE_SLICE, [campaignId, slice])).rowCount ?? 0;
  const updateMs = performance.now() - t1;
  if (updated !== slice) throw new Error(`seed update moved ${updated} rows, expected ${slice}`);
  log(`stats: UPDATE moved ${updated} messages QUEUED → DISPATCHED in ${updateMs.toFixed(0)} ms`);

  const t2 = performance.now();
  await client.query('vacuum (analyze) messages, campaign_counts');
  await client.query('checkpoint');
  const vacuumMs = performance.now() - t2;
  return { messages, statements, insertMs, updated, updateMs, vacuumMs };
}

/** The seed's timings, for the notes. */
export function describeSeed(seed: Seed): string {
  const perRow = (seed.messages / (seed.insertMs / 1000)).toFixed(0);
  return (
    `seed: ${seed.messages} messages by ${seed.statements} INSERT … SELECT generate_series statement(s) of ≤ ${SEED_CHUNK} rows ` +
    `with the counter triggers enabled in ${(seed.insertMs / 1000).toFixed(1)} s (${perRow} rows/s); ` +
    `one UPDATE of ${seed.updated} rows QUEUED → DISPATCHED, attempt 0 → 1, in ${(seed.updateMs / 1000).toFixed(1)} s; ` +
    `vacuum (analyze) + checkpoint ${(seed.vacuumMs / 1000).toFixed(1)} s (not part of the seed time)`
  );
}
