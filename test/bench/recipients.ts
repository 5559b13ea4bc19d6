import http from 'node:http';
import pg from 'pg';
import { uuid7 } from '../../server/shared/uuid7';
import { runCommand, which } from './commands';
import type { BenchContext } from './context';
import { countMessages, libpqEnv, resetMessages } from './database';
import { createCampaign, phoneNumber } from './fixtures';
import { figure, type Baseline, type BenchResult, type Figure } from './report';
import { post } from './rpc-client';
import { median } from './stats';

/** The ratio DESIGN.md §5 asks of one AddRecipients request against a raw multi-row insert. */
const TARGET_RATIO = 0.5;
/** PostgreSQL's limit on bind parameters in one statement. */
const MAX_PARAMS = 65_535;

interface Row {
  readonly id: string;
  readonly phone: string;
  readonly variables: Record<string, string>;
}

/**
 * One AddRecipients request of N rows (distinct valid numbers, three variables each) timed end to
 * end at the client, beside a raw multi-row INSERT of the same rows through node-postgres in one
 * transaction, and (when psql is installed) COPY of the same rows through `psql \copy` as a second
 * reference. Each repetition uses a fresh campaign and starts from an empty `messages` table; the
 * median of the repetitions is reported, after one untimed warm-up of each.
 */
export async function benchRecipients(ctx: BenchContext): Promise<BenchResult> {
  const { settings, log } = ctx;
  const psql = which('psql');
  const timings: Timings = { service: [], raw: [], copy: [] };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const raw = new pg.Client({ connectionString: ctx.db.url });
  await raw.connect();
  try {
    for (let round = 0; round <= settings.repeats; round += 1) {
      const warmup = round === 0;
      const t = await oneRound(ctx, { agent, raw, psql }, round);
      log(
        `recipients ${warmup ? 'warm-up' : `${round}/${settings.repeats}`}: service ${t.serviceMs.toFixed(0)} ms, raw insert ${t.rawMs.toFixed(0)} ms` +
          (t.copyMs === undefined ? '' : `, COPY ${t.copyMs.toFixed(0)} ms`),
      );
      if (warmup) continue;
      timings.service.push(t.serviceMs);
      timings.raw.push(t.rawMs);
      if (t.copyMs !== undefined) timings.copy.push(t.copyMs);
    }
  } finally {
    agent.destroy();
    await raw.end().catch(() => undefined);
  }
  return recipientsResult(settings.recipientRows, settings.repeats, timings);
}

/** Milliseconds per repetition of each way in. */
interface Timings {
  readonly service: number[];
  readonly raw: number[];
  readonly copy: number[];
}

/** The connections one round uses: the service's agent, the raw client, and psql if found. */
interface Ways {
  readonly agent: http.Agent;
  readonly raw: pg.Client;
  readonly psql: string | undefined;
}

/**
 * One repetition on a fresh campaign: the raw insert, AddRecipients, and COPY (with psql), each
 * from an empty `messages` table and checked to leave exactly N rows.
 */
async function oneRound(ctx: BenchContext, ways: Ways, round: number): Promise<{ serviceMs: number; rawMs: number; copyMs: number | undefined }> {
  const n = ctx.settings.recipientRows;
  const campaignId = await createCampaign(ctx.service.url, ctx.apiKey, {
    name: `bench recipients ${round}`,
    trigger: 'BULK',
    start: false,
  });
  const rows = makeRows(n, round);

  await resetMessages(ctx.db.url);
  const rawMs = await rawInsert(ways.raw, ctx.tenantId, campaignId, rows);
  await expectRows(ctx.db.url, n, 'raw insert');

  await resetMessages(ctx.db.url);
  const serviceMs = await addRecipients(ctx, ways.agent, campaignId, rows);
  await expectRows(ctx.db.url, n, 'AddRecipients');

  let copyMs: number | undefined;
  if (ways.psql !== undefined) {
    await resetMessages(ctx.db.url);
    copyMs = await psqlCopy(ctx, ways.psql, campaignId, rows);
    await expectRows(ctx.db.url, n, 'COPY');
  }
  await resetMessages(ctx.db.url);
  return { serviceMs, rawMs, copyMs };
}

/** The medians as figures against the raw insert (and COPY as a reference), with the notes. */
function recipientsResult(n: number, repeats: number, timings: Timings): BenchResult {
  const notes: string[] = [];
  const rate = (ms: number): number => n / (ms / 1000);
  const list = (values: number[]): string => values.map((v) => v.toFixed(0)).join(', ');
  notes.push(`AddRecipients of ${n} rows, ms per request: ${list(timings.service)} (median ${median(timings.service).toFixed(0)})`);
  notes.push(`raw insert of ${n} rows, ms: ${list(timings.raw)} (median ${median(timings.raw).toFixed(0)})`);
  if (timings.copy.length > 0) {
    notes.push(`psql \\copy of ${n} rows, ms (server-side COPY time from psql \\timing): ${list(timings.copy)}`);
  }

  const rawBaseline: Baseline = {
    label: 'raw multi-row INSERT',
    value: rate(median(timings.raw)),
    unit: 'rows/s',
    method:
      `node-postgres, the same ${n} rows as one multi-row INSERT … VALUES (every column the service writes; ` +
      `statements split under ${MAX_PARAMS} parameters) in one transaction, median of ${repeats}`,
  };
  const figures: Figure[] = [
    figure('recipients.rate', `AddRecipients, one ${n}-row request`, rate(median(timings.service)), 'rows/s', rawBaseline, TARGET_RATIO),
  ];
  if (timings.copy.length > 0) {
    figures.push(
      figure('recipients.rate_vs_copy', `AddRecipients vs COPY (reference)`, rate(median(timings.service)), 'rows/s', {
        label: 'COPY',
        value: rate(median(timings.copy)),
        unit: 'rows/s',
        method: `psql \\copy … from pstdin (csv) of the same rows in one statement, timed by psql \\timing, median of ${repeats}`,
      }),
    );
  } else {
    notes.push('psql is not on PATH: no COPY reference');
  }
  return { name: 'recipients', figures, notes };
}

function makeRows(n: number, round: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    // Ids of the kind the service makes, so the baseline's index grows as the service's does.
    id: uuid7(),
    // Distinct within the request; each round uses a fresh campaign anyway.
    phone: phoneNumber(round * n + i),
    variables: { first_name: `Name${i}`, customer_id: `cust-${round}-${i}`, amount_due: `${(i % 997) + 3}.50` },
  }));
}

/** One AddRecipients request; the body is serialized before the clock starts. */
async function addRecipients(ctx: BenchContext, agent: http.Agent, campaignId: string, rows: readonly Row[]): Promise<number> {
  const body = Buffer.from(
    JSON.stringify({
      campaign_id: campaignId,
      recipients: rows.map((r) => ({ phone_number: r.phone, variables: r.variables })),
    }),
  );
  const url = new URL(`${ctx.service.url}/twirp/outreach.v1.Campaign/AddRecipients`);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${ctx.apiKey}` };
  const t0 = performance.now();
  const res = await post(agent, url, headers, body);
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`AddRecipients answered HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  const parsed = JSON.parse(res.body) as { accepted?: number };
  if ((parsed.accepted ?? 0) !== rows.length) {
    throw new Error(`AddRecipients accepted ${parsed.accepted ?? 0} of ${rows.length} rows: ${res.body.slice(0, 500)}`);
  }
  return ms;
}

const COLUMNS =
  'id, tenant_id, campaign_id, phone_number, status, variables, scheduled_at, bypass_calling_window, ' +
  'allow_duplicates, next_attempt_at, metadata, created_at, updated_at';

/**
 * The raw baseline: the rows as multi-row INSERT … VALUES statements in one transaction. The
 * per-row values (id, number, variables) are parameters; tenant, campaign and time are shared.
 */
async function rawInsert(client: pg.Client, tenantId: string, campaignId: string, rows: readonly Row[]): Promise<number> {
  const shared = 3;
  const perRow = 3;
  const chunk = Math.floor((MAX_PARAMS - shared) / perRow);
  const statements: { text: string; values: unknown[] }[] = [];
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const values: unknown[] = [tenantId, campaignId, new Date()];
    const tuples = part.map((r, i) => {
      const p = shared + i * perRow;
      values.push(r.id, r.phone, JSON.stringify(r.variables));
      return `($${p + 1}::uuid, $1::uuid, $2::uuid, $${p + 2}, 'QUEUED', $${p + 3}::jsonb, $3::timestamptz, false, false, $3::timestamptz, '{}', $3::timestamptz, $3::timestamptz)`;
    });
    statements.push({ text: `insert into messages (${COLUMNS}) values ${tuples.join(', ')}`, values });
  }
  const t0 = performance.now();
  await client.query('begin');
  try {
    for (const s of statements) await client.query(s.text, s.values);
    await client.query('commit');
  } catch (e: unknown) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  }
  return performance.now() - t0;
}

/** COPY of the same rows through `psql \copy`, timed by psql itself (its start-up excluded). */
async function psqlCopy(ctx: BenchContext, psql: string, campaignId: string, rows: readonly Row[]): Promise<number> {
  const now = new Date().toISOString();
  const csv = rows
    .map((r) => {
      const vars = `"${JSON.stringify(r.variables).replace(/"/g, '""')}"`;
      return `${r.id},${ctx.tenantId},${campaignId},${r.phone},QUEUED,${vars},${now},f,f,${now},{},${now},${now}`;
    })
    .join('\n');
  const { env } = libpqEnv(ctx.db.url);
  const result = await runCommand(
    ctx.cleanup,
    psql,
    ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', '\\timing on', '-c', `\\copy messages (${COLUMNS}) from pstdin with (format csv)`],
    { env, stdin: `${csv}\n` },
  );
  const time = /Time: ([\d.]+) ms/.exec(result.stdout)?.[1];
  if (result.code !== 0 || time === undefined) {
    throw new Error(`psql \\copy failed (exit ${result.code}): ${`${result.stdout}\n${result.stderr}`.trim().slice(-1500)}`);
  }
  return Number(time);
}

async function expectRows(url: string, n: number, what: string): Promise<void> {
  const count = await countMessages(url);
  if (count !== n) throw new Error(`${what} left ${count} rows in messages, expected ${n}`);
}
