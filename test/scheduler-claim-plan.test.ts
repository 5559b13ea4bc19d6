import { sql } from 'kysely';
import { activeMessageQuery } from '../server/messages/messages.repository';
import { attemptKeyOf } from '../server/call-events/attempts.repository';
import { finishMessages, requeueMessages, startAttempts } from '../server/scheduler/message-transitions.repository';
import { explainClaim } from '../server/scheduler/scheduler.repository';
import { campaignCaller, callOk, minimalCampaign } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { planNodes, type PlanNode } from './support/query-plan';

/**
 * The claim must walk the due queue's primary key in due order and stop at the first message not yet
 * due, reading messages only by id, so a backlog of not-yet-due messages costs it nothing. Checked on
 * the plan PostgreSQL really picks with fresh statistics over a 50,000-message backlog.
 */
const h = useHarness('claim-plan');

it('claims through the due queue, and finds a number\'s active message through its indexes, never by a scan of messages', async () => {
  const call = campaignCaller(h.url, h.apiKey);
  const campaign = await callOk(call, 'CreateCampaign', minimalCampaign('plan', { timezone: 'UTC' }));
  await callOk(call, 'StartCampaign', { campaign_id: campaign.campaign_id });
  const now = new Date('2026-06-01T12:00:00Z');
  await sql`
    insert into messages (id, tenant_id, campaign_id, phone_number, status, scheduled_at, next_attempt_at, allow_duplicates)
    select gen_random_uuid(), ${h.tenantId}::uuid, ${campaign.campaign_id}::uuid, '+1415' || (5000000 + g), 'QUEUED',
      ${now}::timestamptz + case when g <= 10 then interval '-1 minute' else interval '365 days' end,
      ${now}::timestamptz + case when g <= 10 then interval '-1 minute' else interval '365 days' end, true
    from generate_series(1, 50000) g`.execute(h.db);
  await sql`analyze messages`.execute(h.db);
  await sql`analyze message_queue`.execute(h.db);

  const reservation = { id: '1', campaignId: campaign.campaign_id as string, slots: 500 };
  const [root] = (await explainClaim(h.db, now, [reservation])) as [{ Plan: PlanNode }];
  const all = planNodes(root.Plan);
  const onMessages = all.filter((n) => n['Relation Name'] === 'messages');
  expect(onMessages.length).toBeGreaterThan(0);
  expect(onMessages.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
  expect(onMessages.map((n) => n['Index Name'])).toEqual(onMessages.map(() => 'messages_pkey'));
  // The duplicate rule's lookup (the 409's existing message) reads the two partial indexes.
  const [dup] = (await activeMessageQuery(h.db, campaign.campaign_id as string, '+14155000005').explain('json')) as unknown as [
    { 'QUERY PLAN': [{ Plan: PlanNode }] },
  ];
  const dupIndexes = planNodes(dup!['QUERY PLAN'][0].Plan).map((n) => n['Index Name']).filter((n) => n !== undefined);
  expect(dupIndexes.sort()).toEqual(['messages_active_duplicates_idx', 'messages_one_active_per_number']);
  const onQueue = all.filter((n) => n['Relation Name'] === 'message_queue');
  expect(onQueue.map((n) => n['Index Name'])).toEqual(['message_queue_pkey']);
  expect(['Index Scan', 'Index Only Scan']).toContain(onQueue[0]?.['Node Type']);
});

it('keeps the due queue exactly the QUEUED messages, and the counters exact, through every kind of change', async () => {
  const call = campaignCaller(h.url, h.apiKey);
  const campaign = await callOk(call, 'CreateCampaign', minimalCampaign('queue sync', { timezone: 'UTC' }));
  const id = campaign.campaign_id as string;
  await sql`
    insert into messages (id, tenant_id, campaign_id, phone_number, status, scheduled_at, next_attempt_at)
    select gen_random_uuid(), ${h.tenantId}::uuid, ${id}::uuid, '+1415' || (6000000 + g), 'QUEUED', now(), now() + g * interval '1 second'
    from generate_series(1, 100) g`.execute(h.db);
  const mismatches = async () =>
    (
      await sql<{ n: number }>`
        select count(*)::int as n from (
          (select id, next_attempt_at from messages where campaign_id = ${id}::uuid and status = 'QUEUED'
           except select message_id, due_at from message_queue where campaign_id = ${id}::uuid)
          union all
          (select message_id, due_at from message_queue where campaign_id = ${id}::uuid
           except select id, next_attempt_at from messages where campaign_id = ${id}::uuid and status = 'QUEUED')
        ) d`.execute(h.db)
    ).rows[0]?.n;
  expect(await mismatches()).toBe(0);
  const inRange = (from: number, to: number) => sql`phone_number between ${`+1415${6000000 + from}`} and ${`+1415${6000000 + to}`}`;
  await sql`update messages set status = 'DISPATCHED', next_attempt_at = null where campaign_id = ${id}::uuid and ${inRange(1, 20)}`.execute(h.db);
  await sql`update messages set next_attempt_at = next_attempt_at + interval '1 hour' where campaign_id = ${id}::uuid and ${inRange(21, 40)}`.execute(h.db);
  await sql`update messages set status = 'QUEUED', next_attempt_at = now() where campaign_id = ${id}::uuid and ${inRange(1, 10)}`.execute(h.db);
  await sql`update messages set last_reason = 'touched' where campaign_id = ${id}::uuid and ${inRange(41, 60)}`.execute(h.db);
  await sql`update messages set status = 'FAILED', disposition = 'CANCELLED', next_attempt_at = null where campaign_id = ${id}::uuid and ${inRange(61, 70)}`.execute(h.db);
  await sql`delete from messages where campaign_id = ${id}::uuid and ${inRange(71, 80)}`.execute(h.db);
  // Ended rows change disposition, status with the same disposition, and both in one statement.
  await sql`update messages set disposition = 'EXPIRED' where campaign_id = ${id}::uuid and ${inRange(61, 65)}`.execute(h.db);
  await sql`update messages set status = 'SUCCEEDED' where campaign_id = ${id}::uuid and ${inRange(66, 67)}`.execute(h.db);
  await sql`update messages set status = 'SUCCEEDED', disposition = 'COMPLETED', attempt_count = attempt_count + 2
    where campaign_id = ${id}::uuid and ${inRange(11, 15)}`.execute(h.db);
  await sql`update messages set status = 'QUEUED', next_attempt_at = now(), attempt_count = attempt_count + 1, disposition = 'BUSY'
    where campaign_id = ${id}::uuid and ${inRange(16, 18)}`.execute(h.db);
  expect(await mismatches()).toBe(0);
  // The counters the same trigger keeps equal a count of the rows.
  const counters = await sql<{ key: string; n: number }>`
    select key, sum(n)::int as n from campaign_counts where campaign_id = ${id}::uuid and key not like 'attempt:%'
    group by key having sum(n) <> 0 order by key`.execute(h.db);
  const truth = await sql<{ key: string; n: number }>`
    select key, count(*)::int as n from (
      select 'total' as key from messages where campaign_id = ${id}::uuid
      union all select 'status:' || status from messages where campaign_id = ${id}::uuid
      union all select 'disposition:' || disposition from messages
        where campaign_id = ${id}::uuid and disposition is not null and status in ('SUCCEEDED', 'FAILED')
    ) k group by key order by key`.execute(h.db);
  expect(counters.rows).toEqual(truth.rows);
  const queued = await sql<{ n: number }>`select count(*)::int as n from message_queue where campaign_id = ${id}::uuid`.execute(h.db);
  // 100, less 10 still dispatched (11–20, of which 16–18 came back), 10 cancelled, 10 deleted.
  expect(queued.rows[0]?.n).toBe(100 - 10 - 10 - 10 + 3);
  await expect(
    sql`update messages set next_attempt_at = null where campaign_id = ${id}::uuid and ${inRange(90, 90)}`.execute(h.db),
  ).rejects.toThrow(/messages_queued_has_due_time/);
});

it('dispatches a message without writing an index entry of messages (a HOT update)', async () => {
  const call = campaignCaller(h.url, h.apiKey);
  const campaign = await callOk(call, 'CreateCampaign', minimalCampaign('hot', { timezone: 'UTC' }));
  const id = campaign.campaign_id as string;
  await sql`
    insert into messages (id, tenant_id, campaign_id, phone_number, status, scheduled_at, next_attempt_at, variables)
    select gen_random_uuid(), ${h.tenantId}::uuid, ${id}::uuid, '+1415' || (7000000 + g), 'QUEUED', now(), now(), '{"customer_id":"c1"}'
    from generate_series(1, 1000) g`.execute(h.db);
  // This backend's counts not yet flushed to the statistics: read before and after, one connection.
  await h.db.transaction().execute(async (trx) => {
    const counts = async () =>
      (
        await sql<{ updated: string; hot: string }>`
          select pg_stat_get_xact_tuples_updated('messages'::regclass) as updated,
            pg_stat_get_xact_tuples_hot_updated('messages'::regclass) as hot`.execute(trx)
      ).rows[0] ?? { updated: '0', hot: '0' };
    const before = await counts();
    await sql`update messages set status = 'DISPATCHED', attempt_count = 1, next_attempt_at = null, updated_at = now()
      where campaign_id = ${id}::uuid`.execute(trx);
    const after = await counts();
    expect({ updated: Number(after.updated) - Number(before.updated), hot: Number(after.hot) - Number(before.hot) }).toEqual({ updated: 1000, hot: 1000 });
  });
});

it('writes a round\'s batch of 2,000 decisions through the primary key of messages, not a scan of the campaign', async () => {
  const call = campaignCaller(h.url, h.apiKey);
  const campaign = await callOk(call, 'CreateCampaign', minimalCampaign('batch writes', { timezone: 'UTC' }));
  const id = campaign.campaign_id as string;
  const now = new Date('2026-06-01T12:00:00Z');
  const ids = await sql<{ id: string }>`
    insert into messages (id, tenant_id, campaign_id, phone_number, status, scheduled_at, next_attempt_at)
    select gen_random_uuid(), ${h.tenantId}::uuid, ${id}::uuid, '+1415' || (8000000 + g), 'QUEUED', ${now}::timestamptz, ${now}::timestamptz
    from generate_series(1, 50000) g
    returning id`.execute(h.db);
  await sql`analyze messages`.execute(h.db);
  const batch = (k: number) => ids.rows.slice(k * 2000, (k + 1) * 2000).map((r) => r.id);
  // This backend's sequential scans of messages, not yet flushed to the statistics: read in the
  // transaction that made them.
  await h.db.transaction().execute(async (trx) => {
    const scans = async () =>
      (await sql<{ seq: string }>`select pg_stat_get_xact_numscans('messages'::regclass) as seq`.execute(trx)).rows[0]?.seq;
    const before = Number(await scans());
    await startAttempts(trx, batch(0).map((messageId) => ({
      messageId, number: 1, attemptKey: attemptKeyOf(messageId, 1), callerId: '+14155550100', deadlineAt: now, listened: false,
    })), now);
    await requeueMessages(trx, batch(1).map((messageId) => ({ messageId, at: now, reason: 'daily_cap', kind: 'waiting' as const })), now);
    await finishMessages(trx, batch(2).map((messageId) => ({ messageId, status: 'FAILED' as const, disposition: 'CANCELLED', reason: null })), now);
    expect(Number(await scans()) - before).toBe(0);
    const written = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from messages where id = any(${[...batch(0), ...batch(1), ...batch(2)]}::uuid[])
      group by status order by status`.execute(trx);
    expect(written.rows).toEqual([{ status: 'DISPATCHED', n: 2000 }, { status: 'FAILED', n: 2000 }, { status: 'QUEUED', n: 2000 }]);
  });
});
