import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/db/database';
import { callOk, createOk, minimalCampaign, type CampaignCall } from './campaign-fixtures';
import type { RpcResponse } from './rpc';

/** A message or a SendMessage answer as the wire returns it (proto field names, enum words). */
export type MessageJson = Record<string, any>;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A valid Indian mobile number, without `+`, unique per (series, i): `9181230` + five digits.
 * Series keep the numbers of different purposes in one file from colliding.
 */
export function phone(i: number, series = 0): string {
  const prefix = ['9181230', '9198450', '9177000', '9199990', '9170420', '9193220'][series];
  if (prefix === undefined || i < 0 || i > 99_999) throw new Error(`no phone number ${i} in series ${series}`);
  return `${prefix}${String(i).padStart(5, '0')}`;
}

/** The same number in E.164, as the service stores it. */
export const e164 = (digits: string): string => `+${digits.replace(/\D/g, '')}`;

export type CampaignState = 'DRAFT' | 'RUNNING' | 'PAUSED' | 'CANCELLED' | 'COMPLETED';

let campaigns = 0;

/**
 * A new campaign of the caller's tenant in the given state. COMPLETED is set in SQL: no RPC
 * completes a campaign yet.
 */
export async function campaignIn(
  call: CampaignCall,
  db: Kysely<Database>,
  state: CampaignState = 'DRAFT',
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const created = await createOk(call, minimalCampaign(`messages ${++campaigns} ${state}`, overrides));
  const id = created.campaign_id as string;
  const path: Record<CampaignState, string[]> = {
    DRAFT: [],
    RUNNING: ['Start'],
    PAUSED: ['Start', 'Pause'],
    CANCELLED: ['Cancel'],
    COMPLETED: [],
  };
  for (const action of path[state]) await callOk(call, `${action}Campaign`, { campaign_id: id });
  if (state === 'COMPLETED') {
    await sql`update campaigns set status = 'COMPLETED', ended_at = now() where id = ${id}`.execute(db);
  }
  return id;
}

/** A SendMessage body as the established API's clients write it (PascalCase). */
export function sendBody(campaignId: string, number: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { CampaignID: campaignId, To: { PhoneNumber: number }, ...extra };
}

/** Asserts a 200 answer and returns its body. */
export function okBody(res: RpcResponse, what = 'call'): MessageJson {
  expect({ what, status: res.status, body: res.body }).toEqual({ what, status: 200, body: expect.any(Object) });
  return res.body as MessageJson;
}

/** SendMessage that must succeed; returns its answer. */
export async function sendOk(call: CampaignCall, body: Record<string, unknown>): Promise<MessageJson> {
  return okBody(await call('SendMessage', body), 'SendMessage');
}

export async function getMessageOk(call: CampaignCall, messageId: string): Promise<MessageJson> {
  return okBody(await call('GetMessage', { message_id: messageId }), 'GetMessage');
}

/** Every message of a campaign over ListMessages, following the cursor to the end. */
export async function listAll(call: CampaignCall, campaignId: string, extra: Record<string, unknown> = {}): Promise<MessageJson[]> {
  const all: MessageJson[] = [];
  let token = '';
  for (let page = 0; page < 1_000; page++) {
    const body = okBody(await call('ListMessages', { campaign_id: campaignId, page_size: 100, page_token: token, ...extra }), 'ListMessages');
    all.push(...(body.messages as MessageJson[]));
    token = body.next_page_token as string;
    if (token === '') return all;
  }
  throw new Error('ListMessages never returned an empty next_page_token');
}

/** A recipient row for AddRecipients. */
export const row = (number: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ phone_number: number, ...extra });

/** Puts numbers on a tenant's do-not-call list in SQL (setup only). */
export async function addDoNotCall(
  db: Kysely<Database>,
  tenantId: string,
  numbers: readonly string[],
  expiresAt: Date | null = null,
): Promise<void> {
  for (const number of numbers) {
    await sql`
      insert into do_not_call (tenant_id, phone_number, source, reason, expires_at)
      values (${tenantId}, ${e164(number)}, 'test', 'asked not to be called', ${expiresAt})`.execute(db);
  }
}

/** The rows of a campaign as the database holds them (ground truth). */
export async function messageRows(
  db: Kysely<Database>,
  campaignId: string,
): Promise<{ id: string; phone_number: string; status: string; disposition: string | null; external_id: string | null }[]> {
  const result = await sql<{ id: string; phone_number: string; status: string; disposition: string | null; external_id: string | null }>`
    select id, phone_number, status, disposition, external_id from messages where campaign_id = ${campaignId} order by seq`.execute(db);
  return result.rows;
}

export async function countMessages(db: Kysely<Database>, campaignId: string): Promise<number> {
  const result = await sql<{ n: string }>`select count(*) as n from messages where campaign_id = ${campaignId}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/** What GetCampaignStats must answer, counted from the messages themselves. */
export interface StatsTruth {
  campaign_id: string;
  total: number;
  queued: number;
  dispatched: number;
  succeeded: number;
  failed: number;
  by_disposition: Record<string, number>;
  by_attempt: Record<string, number>;
}

/**
 * Counts a campaign's messages in SQL. `by_disposition` counts ended (SUCCEEDED/FAILED) messages,
 * as the contract says; `by_attempt` counts calls made, one per attempt number up to each
 * message's `attempt_count`.
 */
export async function statsTruth(db: Kysely<Database>, campaignId: string): Promise<StatsTruth> {
  const byStatus = await sql<{ status: string; disposition: string | null; n: string }>`
    select status, disposition, count(*) as n from messages where campaign_id = ${campaignId} group by status, disposition`.execute(db);
  const byAttempt = await sql<{ a: number; n: string }>`
    select a, count(*) as n from messages m cross join generate_series(1, m.attempt_count) a
    where m.campaign_id = ${campaignId} group by a`.execute(db);
  const truth: StatsTruth = {
    campaign_id: campaignId,
    total: 0,
    queued: 0,
    dispatched: 0,
    succeeded: 0,
    failed: 0,
    by_disposition: {},
    by_attempt: {},
  };
  for (const r of byStatus.rows) {
    const n = Number(r.n);
    truth.total += n;
    const key = r.status.toLowerCase() as 'queued' | 'dispatched' | 'succeeded' | 'failed';
    truth[key] += n;
    if (r.disposition !== null && (r.status === 'SUCCEEDED' || r.status === 'FAILED')) {
      truth.by_disposition[r.disposition] = (truth.by_disposition[r.disposition] ?? 0) + n;
    }
  }
  for (const r of byAttempt.rows) truth.by_attempt[String(r.a)] = Number(r.n);
  return truth;
}

export async function statsOk(call: CampaignCall, campaignId: string): Promise<StatsTruth> {
  return okBody(await call('GetCampaignStats', { campaign_id: campaignId }), 'GetCampaignStats') as StatsTruth;
}
