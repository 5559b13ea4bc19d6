import { sql } from 'kysely';
import { explainClaim } from '../server/scheduler/scheduler.repository';
import { campaignCaller, callOk, minimalCampaign } from './support/campaign-fixtures';
import { useHarness } from './support/harness';

/**
 * The claim must walk `messages_campaign_due_idx` and stop at the first message not yet due, so a
 * backlog of not-yet-due messages costs it nothing. Checked on the plan PostgreSQL really picks
 * with fresh statistics over a 50,000-message backlog.
 */
const h = useHarness('claim-plan');

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

it('claims through the due index, not a scan of messages', async () => {
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

  const reservation = { id: '1', campaignId: campaign.campaign_id as string, slots: 500 };
  const [root] = (await explainClaim(h.db, now, [reservation])) as [{ Plan: PlanNode }];
  const all = nodes(root.Plan);
  const onMessages = all.filter((n) => n['Relation Name'] === 'messages');
  expect(onMessages.length).toBeGreaterThan(0);
  expect(onMessages.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
  expect(onMessages.map((n) => n['Index Name'])).toContain('messages_campaign_due_idx');
});
