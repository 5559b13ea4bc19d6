import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db, DoNotCallTable } from '../db/database';
import type { AddNumbersResult, DoNotCallEntry, NewSuppressions } from './do-not-call';

/** SQL of the do-not-call ledger. Every statement is scoped to one tenant. */

type DoNotCallRow = Selectable<DoNotCallTable>;

/** Row → domain; the only place ledger rows are read. */
function rowToEntry(row: DoNotCallRow): DoNotCallEntry {
  return {
    phoneNumber: row.phone_number,
    source: row.source,
    reason: row.reason,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}

/**
 * The entry in `entry` (a do_not_call row or its alias) is in force at `now`: it never expires or
 * expires after `now`. Every read of the ledger, and the intake and dispatch checks, ask this.
 */
export function inForceSql(entry: string, now: Date): RawBuilder<boolean> {
  const expiresAt = sql.ref(`${entry}.expires_at`);
  return sql<boolean>`(${expiresAt} is null or ${expiresAt} > ${now}::timestamptz)`;
}

/**
 * A condition for another statement: the number in column `phone` is suppressed for the tenant in
 * column `tenant` by an entry in force at `now` (the dispatch round's claim asks it of every row).
 */
export function suppressedSql(tenant: string, phone: string, now: Date): RawBuilder<boolean> {
  return sql<boolean>`exists (
    select 1 from do_not_call d where d.tenant_id = ${sql.ref(tenant)} and d.phone_number = ${sql.ref(phone)}
      and ${inForceSql('d', now)})`;
}

/**
 * Adds or refreshes one entry per number in ONE statement. `added` counts numbers that had no
 * entry in force (none at all, or a lapsed one); `updated` counts entries in force that were
 * replaced. `xmax = 0` tells a fresh insert from an ON CONFLICT update; `prior` (the statement's
 * snapshot) tells whether an updated row had lapsed. A row a concurrent request committed after
 * that snapshot is updated but not in `prior`, and counts as updated, which is what it was.
 * Rows are inserted in number order so two overlapping requests lock rows in the same order
 * and cannot deadlock. The numbers must be distinct (ON CONFLICT may touch a row only once).
 */
export async function upsertEntries(
  db: Db,
  tenantId: string,
  entries: NewSuppressions,
  now: Date,
): Promise<AddNumbersResult> {
  const numbers = [...entries.phoneNumbers];
  const { rows } = await sql<{ added: number; updated: number }>`
    with prior as (
      select phone_number, not ${inForceSql('do_not_call', now)} as lapsed
      from do_not_call
      where tenant_id = ${tenantId} and phone_number = any(${numbers}::text[])
    ), upserted as (
      insert into do_not_call (tenant_id, phone_number, source, reason, expires_at)
      select ${tenantId}::uuid, n, ${entries.source}, ${entries.reason}, ${entries.expiresAt}::timestamptz
      from unnest(${numbers}::text[]) as n
      order by n
      on conflict (tenant_id, phone_number) do update
        set source = excluded.source, reason = excluded.reason, expires_at = excluded.expires_at, created_at = now()
      returning phone_number, xmax = 0 as inserted
    )
    select
      count(*) filter (where u.inserted or coalesce(p.lapsed, false))::int as added,
      count(*) filter (where not u.inserted and not coalesce(p.lapsed, false))::int as updated
    from upserted u left join prior p using (phone_number)`.execute(db);
  const counts = rows[0];
  return { added: counts?.added ?? 0, updated: counts?.updated ?? 0 };
}

/** Deletes the entries of these numbers in one statement; answers how many of them were in force. */
export async function deleteEntries(db: Db, tenantId: string, phoneNumbers: readonly string[], now: Date): Promise<number> {
  const row = await db
    .with('removed', (qb) =>
      qb
        .deleteFrom('do_not_call')
        .where('tenant_id', '=', tenantId)
        // Lock the rows in number order first, as AddNumbers writes them, so that overlapping
        // adds and removes wait for each other instead of deadlocking.
        .where('phone_number', 'in', (eb) =>
          eb
            .selectFrom('do_not_call as locked')
            .select('locked.phone_number')
            .where('locked.tenant_id', '=', tenantId)
            .where('locked.phone_number', '=', (inner) => inner.fn.any(inner.val([...phoneNumbers])))
            .orderBy('locked.phone_number')
            .forUpdate(),
        )
        .returning('expires_at'),
    )
    .selectFrom('removed')
    .select((eb) =>
      eb.fn
        .countAll<string>()
        .filterWhere(inForceSql('removed', now))
        .as('removed'),
    )
    .executeTakeFirstOrThrow();
  return Number(row.removed);
}

/** Entries in force at `now`, by number, after `after` (exclusive) when given. */
export async function listEntriesInForce(
  db: Db,
  tenantId: string,
  query: { readonly after: string | undefined; readonly limit: number; readonly now: Date },
): Promise<DoNotCallEntry[]> {
  let select = db.selectFrom('do_not_call').selectAll().where('tenant_id', '=', tenantId).where(inForceSql('do_not_call', query.now));
  if (query.after !== undefined) select = select.where('phone_number', '>', query.after);
  // The primary key (tenant_id, phone_number) serves both the keyset condition and the order.
  const rows = await select.orderBy('phone_number').limit(query.limit).execute();
  return rows.map(rowToEntry);
}

/** The entries in force at `now` among these numbers, in no particular order. */
export async function findEntriesInForce(
  db: Db,
  tenantId: string,
  phoneNumbers: readonly string[],
  now: Date,
): Promise<DoNotCallEntry[]> {
  const rows = await db
    .selectFrom('do_not_call')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('phone_number', '=', (eb) => eb.fn.any(eb.val([...phoneNumbers])))
    .where(inForceSql('do_not_call', now))
    .execute();
  return rows.map(rowToEntry);
}
