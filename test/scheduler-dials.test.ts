import { sql } from 'kysely';
import type { DialRequest, Provider } from '../server/providers/provider';
import { FIRST_ROUND_BATCH } from '../server/scheduler/scheduler';
import { phone, row } from './support/message-fixtures';
import { at, providerRig, runningCampaign, sleepUntil, useSchedulerHarness } from './support/scheduler-fixtures';

/**
 * A round's dials run beside the next round: a slow provider does not hold the claiming back, up to
 * four rounds of dials in flight; the loop's stop waits for them and their provider call ids.
 */

const h = useSchedulerHarness('scheduler-dials');
const { call } = h;
const T0 = at('2027-01-04T10:00');

/** Accepts each dial only when the test opens the gate. */
class GatedProvider implements Provider {
  readonly name = 'gated';
  readonly waiting: DialRequest[] = [];
  private open!: () => void;
  private gate = new Promise<void>((resolve) => (this.open = resolve));

  async dial(request: DialRequest): Promise<{ providerCallId: string }> {
    this.waiting.push(request);
    await this.gate;
    return { providerCallId: `gated_${request.attemptKey}` };
  }

  release(): void {
    this.open();
  }

  async close(): Promise<void> {
    this.open();
  }
}

async function counts(campaignId: string): Promise<{ attempts: number; providerCalls: number }> {
  const result = await sql<{ attempts: number; provider_calls: number }>`
    select (select count(*)::int from attempts where campaign_id = ${campaignId}::uuid) as attempts,
      (select count(*)::int from provider_calls p join attempts a on a.message_id = p.message_id and a.number = p.number
       where a.campaign_id = ${campaignId}::uuid) as provider_calls`.execute(h.db);
  const r = result.rows[0]!;
  return { attempts: r.attempts, providerCalls: r.provider_calls };
}

async function campaignWith(messages: number): Promise<string> {
  const campaignId = await runningCampaign(call, { max_concurrent_calls: 1000 });
  const rows = Array.from({ length: messages }, (_, i) => row(phone(i, 1)));
  const added = await call('AddRecipients', { campaign_id: campaignId, recipients: rows });
  expect(added.body).toMatchObject({ accepted: messages });
  return campaignId;
}

it('claims four more rounds while the first round dials, then waits for a batch to finish', async () => {
  const campaignId = await campaignWith(60);
  const provider = new GatedProvider();
  const rig = providerRig(h.db, T0, provider, { scheduler: { claimBatch: 10, perCampaign: 10 } });
  for (let i = 0; i < 4; i += 1) await rig.scheduler.runRoundBesideDials();
  // Four rounds recorded their attempts and are dialing; none has its provider call ids yet.
  expect(await counts(campaignId)).toEqual({ attempts: 40, providerCalls: 0 });
  await sleepUntil(() => provider.waiting.length === 40, 'the four rounds dialing');

  let fifthDone = false;
  const fifth = rig.scheduler.runRoundBesideDials().then(() => (fifthDone = true));
  // The fifth waits for a batch before it claims: several round trips later it has written nothing.
  for (let i = 0; i < 5; i += 1) expect(await counts(campaignId)).toEqual({ attempts: 40, providerCalls: 0 });
  expect(fifthDone).toBe(false);

  provider.release();
  await fifth;
  await rig.scheduler.settled();
  expect(await counts(campaignId)).toEqual({ attempts: 50, providerCalls: 50 });
});

it('stop waits for the dials of past rounds and records their provider call ids', async () => {
  const campaignId = await campaignWith(10);
  const provider = new GatedProvider();
  const rig = providerRig(h.db, T0, provider, { scheduler: { claimBatch: 10, perCampaign: 10 } });
  await rig.scheduler.runRoundBesideDials();
  let stopped = false;
  const stopping = rig.scheduler.stop().then(() => (stopped = true));
  await sleepUntil(() => provider.waiting.length === 10, 'the round dialing');
  expect(stopped).toBe(false);
  provider.release();
  await stopping;
  expect(await counts(campaignId)).toEqual({ attempts: 10, providerCalls: 10 });
});

it('a provider call id handed out twice keeps its first attempt, and the round records every other id', async () => {
  const campaignId = await campaignWith(6);
  // The third and the fifth dial get the same id from the provider.
  let dials = 0;
  let firstWithRepeatedId: string | undefined;
  const provider: Provider = {
    name: 'repeating',
    dial: async (request) => {
      dials += 1;
      if (dials === 3) firstWithRepeatedId = request.attemptKey;
      return { providerCallId: dials === 3 || dials === 5 ? 'repeated-id' : `unique_${request.attemptKey}` };
    },
    close: async () => undefined,
  };
  const rig = providerRig(h.db, T0, provider, { scheduler: { claimBatch: 10, perCampaign: 10 } });
  await rig.scheduler.runRound();
  expect(dials).toBe(6);
  expect(await counts(campaignId)).toEqual({ attempts: 6, providerCalls: 5 });
  const repeated = await sql<{ key: string }>`
    select message_id || ':' || number as key from provider_calls where provider_call_id = 'repeated-id'`.execute(h.db);
  expect(repeated.rows.map((r) => r.key)).toEqual([firstWithRepeatedId]);
});

it('a burst is claimed in rounds that double from FIRST_ROUND_BATCH up to claimBatch, and a short round starts over', async () => {
  const first = await campaignWith(1000);
  const provider: Provider = { name: 'instant', dial: async (r) => ({ providerCallId: `instant_${r.attemptKey}` }), close: async () => undefined };
  const rig = providerRig(h.db, T0, provider, { scheduler: { claimBatch: 400, perCampaign: 400 } });
  const claimedPerRound: number[] = [];
  let before = 0;
  for (let i = 0; i < 3; i += 1) {
    await rig.scheduler.runRound();
    const { attempts } = await counts(first);
    claimedPerRound.push(attempts - before);
    before = attempts;
  }
  expect(FIRST_ROUND_BATCH).toBe(250);
  // 250, then 500 capped at claimBatch; the third finds the last 350 and comes back short.
  expect(claimedPerRound).toEqual([250, 400, 350]);
  const second = await campaignWith(600);
  await rig.scheduler.runRound();
  expect((await counts(second)).attempts).toBe(250);
});
