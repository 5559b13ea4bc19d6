import type { RpcResponse } from './support/rpc';
import {
  callOk,
  campaignCaller,
  createOk,
  expectTwirpError,
  minimalCampaign,
  type CampaignCall,
  type CampaignJson,
} from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { createTestTenant } from './support/server';

const h = useHarness('lifecycle');
const { call } = h;

type State = 'DRAFT' | 'RUNNING' | 'PAUSED' | 'CANCELLED';
type Action = 'Start' | 'Pause' | 'Resume' | 'Cancel';

/** The RPCs that bring a new DRAFT campaign into each state. */
const PATH_TO: Readonly<Record<State, readonly Action[]>> = {
  DRAFT: [],
  RUNNING: ['Start'],
  PAUSED: ['Start', 'Pause'],
  CANCELLED: ['Start', 'Cancel'],
};

let created = 0;

async function campaignIn(state: State): Promise<CampaignJson> {
  let campaign = await createOk(call, minimalCampaign(`lifecycle ${++created}`));
  for (const action of PATH_TO[state]) campaign = await act(campaign.campaign_id, action);
  expect(campaign.status).toBe(state);
  return campaign;
}

const send = (campaignId: string, action: Action, caller: CampaignCall = call): Promise<RpcResponse> =>
  caller(`${action}Campaign`, { campaign_id: campaignId });

const act = (campaignId: string, action: Action): Promise<CampaignJson> =>
  callOk(call, `${action}Campaign`, { campaign_id: campaignId });

const get = (campaignId: string): Promise<CampaignJson> => callOk(call, 'GetCampaign', { campaign_id: campaignId });

/** Every (state, action) pair; `to` is the new state of a legal edge, undefined for an illegal one. */
const EDGES: readonly [State, Action, State | undefined][] = [
  ['DRAFT', 'Start', 'RUNNING'],
  ['DRAFT', 'Pause', undefined],
  ['DRAFT', 'Resume', undefined],
  ['DRAFT', 'Cancel', 'CANCELLED'],
  ['RUNNING', 'Start', undefined],
  ['RUNNING', 'Pause', 'PAUSED'],
  ['RUNNING', 'Resume', undefined],
  ['RUNNING', 'Cancel', 'CANCELLED'],
  ['PAUSED', 'Start', undefined],
  ['PAUSED', 'Pause', undefined],
  ['PAUSED', 'Resume', 'RUNNING'],
  ['PAUSED', 'Cancel', 'CANCELLED'],
  ['CANCELLED', 'Start', undefined],
  ['CANCELLED', 'Pause', undefined],
  ['CANCELLED', 'Resume', undefined],
  ['CANCELLED', 'Cancel', undefined],
];

describe('lifecycle edges', () => {
  it.each(EDGES.filter(([, , to]) => to !== undefined))('%s → %sCampaign → %s', async (from, action, to) => {
    const before = await campaignIn(from);
    const res = await send(before.campaign_id, action);
    expect({ status: res.status, campaignStatus: res.body?.status }).toEqual({ status: 200, campaignStatus: to });
    expect(await get(before.campaign_id)).toEqual(res.body);
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
  });

  it.each(EDGES.filter(([, , to]) => to === undefined))(
    '%s: %sCampaign → 412 failed_precondition naming the state, nothing changed',
    async (from, action) => {
      const before = await campaignIn(from);
      const res = await send(before.campaign_id, action);
      expectTwirpError(res, { status: 412, code: 'failed_precondition' });
      expect(res.body.msg).toContain(from);
      expect(await get(before.campaign_id)).toEqual(before);
    },
  );

  it('serves the lifecycle on the package-less /api/v1/Campaign/ route too', async () => {
    const draft = await campaignIn('DRAFT');
    const res = await call('StartCampaign', { campaign_id: draft.campaign_id }, { route: 'compat' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('RUNNING');
  });
});

describe('lifecycle timestamps', () => {
  it('sets started_at on start, keeps it across pause and resume, and sets ended_at on cancel', async () => {
    const draft = await campaignIn('DRAFT');
    expect(draft).toMatchObject({ started_at: '', ended_at: '' });

    const running = await act(draft.campaign_id, 'Start');
    expect(running.started_at).not.toBe('');
    expect(Date.parse(running.started_at)).toBeGreaterThanOrEqual(Date.parse(draft.created_at));
    expect(running.ended_at).toBe('');

    for (let cycle = 0; cycle < 2; cycle++) {
      const paused = await act(draft.campaign_id, 'Pause');
      const resumed = await act(draft.campaign_id, 'Resume');
      expect([paused.started_at, resumed.started_at]).toEqual([running.started_at, running.started_at]);
      expect([paused.ended_at, resumed.ended_at]).toEqual(['', '']);
    }

    const cancelled = await act(draft.campaign_id, 'Cancel');
    expect(cancelled.started_at).toBe(running.started_at);
    expect(cancelled.ended_at).not.toBe('');
    expect(Date.parse(cancelled.ended_at)).toBeGreaterThan(Date.parse(running.started_at));
    expect(await get(draft.campaign_id)).toEqual(cancelled);
  });

  it('a DRAFT cancelled before it ever ran has ended_at and no started_at', async () => {
    const draft = await campaignIn('DRAFT');
    const cancelled = await act(draft.campaign_id, 'Cancel');
    expect(cancelled.started_at).toBe('');
    expect(Date.parse(cancelled.ended_at)).toBeGreaterThanOrEqual(Date.parse(draft.created_at));
  });
});

describe('lifecycle of a campaign that cannot be found', () => {
  const ACTIONS: readonly Action[] = ['Start', 'Pause', 'Resume', 'Cancel'];

  it.each(ACTIONS)('%sCampaign of an unknown id → 404 not_found', async (action) => {
    expectTwirpError(await send('00000000-0000-4000-8000-000000000000', action), { status: 404, code: 'not_found' });
  });

  it.each(ACTIONS)("%sCampaign of another tenant's campaign → 404, and it is left alone", async (action) => {
    const campaign = await campaignIn(action === 'Resume' ? 'PAUSED' : action === 'Pause' ? 'RUNNING' : 'DRAFT');
    const stranger = campaignCaller(h.url, (await createTestTenant(h.db, `lifecycle-${action}`)).apiKey);
    expectTwirpError(await send(campaign.campaign_id, action, stranger), { status: 404, code: 'not_found' });
    expect(await get(campaign.campaign_id)).toEqual(campaign);
  });

  it.each(ACTIONS)('%sCampaign without campaign_id → invalid_argument naming campaign_id', async (action) => {
    expectTwirpError(await call(`${action}Campaign`, {}), { status: 400, code: 'invalid_argument', argument: 'campaign_id' });
  });
});

/** Both outcomes a racing lifecycle call may have; anything else (a 5xx above all) fails. */
function outcome(res: RpcResponse): 'ok' | 'refused' {
  if (res.status === 200) return 'ok';
  expectTwirpError(res, { status: 412, code: 'failed_precondition' });
  return 'refused';
}

describe('concurrent lifecycle calls', () => {
  it('start + cancel racing, 10 rounds: the final state matches exactly the calls that succeeded', async () => {
    for (let round = 0; round < 10; round++) {
      const draft = await campaignIn('DRAFT');
      const [start, cancel] = await Promise.all([send(draft.campaign_id, 'Start'), send(draft.campaign_id, 'Cancel')]);
      const started = outcome(start) === 'ok';
      const cancelled = outcome(cancel) === 'ok';
      const final = await get(draft.campaign_id);
      // Cancel is legal from DRAFT and from RUNNING, so it wins whichever call comes first.
      expect(cancelled).toBe(true);
      expect(final.status).toBe('CANCELLED');
      expect(final.ended_at).not.toBe('');
      expect(final.started_at !== '').toBe(started);
      if (started) {
        expect(start.body.status).toBe('RUNNING');
        expect(final.started_at).toBe(start.body.started_at);
      } else {
        expect(start.body.msg).toContain('CANCELLED');
      }
    }
  });

  it('two concurrent starts, 10 rounds: exactly one succeeds', async () => {
    for (let round = 0; round < 10; round++) {
      const draft = await campaignIn('DRAFT');
      const results = await Promise.all([send(draft.campaign_id, 'Start'), send(draft.campaign_id, 'Start')]);
      expect(results.map(outcome).sort()).toEqual(['ok', 'refused']);
      expect((await get(draft.campaign_id)).status).toBe('RUNNING');
    }
  });

  it('pause + cancel racing on a RUNNING campaign, 10 rounds: consistent with the successful calls', async () => {
    for (let round = 0; round < 10; round++) {
      const running = await campaignIn('RUNNING');
      const [pause, cancel] = await Promise.all([send(running.campaign_id, 'Pause'), send(running.campaign_id, 'Cancel')]);
      const paused = outcome(pause) === 'ok';
      expect(outcome(cancel)).toBe('ok');
      const final = await get(running.campaign_id);
      expect(final).toMatchObject({ status: 'CANCELLED', started_at: running.started_at });
      if (!paused) expect(pause.body.msg).toContain('CANCELLED');
    }
  });

  it('5 pauses and 5 resumes at once: successes alternate, so the final state follows from their counts', async () => {
    const running = await campaignIn('RUNNING');
    const calls: Action[] = ['Pause', 'Resume', 'Pause', 'Resume', 'Pause', 'Resume', 'Pause', 'Resume', 'Pause', 'Resume'];
    const results = await Promise.all(calls.map((action) => send(running.campaign_id, action)));
    const succeeded = (action: Action) => results.filter((res, i) => calls[i] === action && outcome(res) === 'ok').length;
    const pauses = succeeded('Pause');
    const resumes = succeeded('Resume');
    const final = await get(running.campaign_id);
    expect(pauses).toBeGreaterThanOrEqual(1);
    expect(pauses - resumes).toBe(final.status === 'PAUSED' ? 1 : 0);
    expect(['PAUSED', 'RUNNING']).toContain(final.status);
    expect(final.started_at).toBe(running.started_at);
  });
});
