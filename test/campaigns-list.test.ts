import {
  callOk,
  campaignCaller,
  createOk,
  expectTwirpError,
  insertCampaigns,
  minimalCampaign,
  type CampaignCall,
  type CampaignJson,
} from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { createTestTenant } from './support/server';

const h = useHarness('list');

/** A tenant of its own for each group, so counts and orders are exact. */
async function tenant(name: string): Promise<{ tenantId: string; call: CampaignCall }> {
  const { tenantId, apiKey } = await createTestTenant(h.db, `list-${name}`);
  return { tenantId, call: campaignCaller(h.url, apiKey) };
}

interface Page {
  readonly campaigns: CampaignJson[];
  readonly next_page_token: string;
}

async function list(call: CampaignCall, request: Record<string, unknown> = {}): Promise<Page> {
  return (await callOk(call, 'ListCampaigns', request)) as unknown as Page;
}

/** Follows `next_page_token` to the end; every page but the last is full. */
async function walk(call: CampaignCall, request: Record<string, unknown>): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let token = '';
  do {
    const page = await list(call, { ...request, page_token: token });
    ids.push(...page.campaigns.map((c) => c.campaign_id));
    sizes.push(page.campaigns.length);
    token = page.next_page_token;
  } while (token !== '' && sizes.length < 1_000);
  return { ids, sizes };
}

const idsOf = (campaigns: readonly CampaignJson[]): string[] => campaigns.map((c) => c.campaign_id);

describe('ListCampaigns order and filters', () => {
  let call: CampaignCall;
  /** In creation order: [name, assistant, status]. */
  const SPEC = [
    ['draft-a', 'asst_x', 'DRAFT'],
    ['running-a', 'asst_y', 'RUNNING'],
    ['paused-a', 'asst_x', 'PAUSED'],
    ['cancelled-a', 'asst_y', 'CANCELLED'],
    ['draft-b', 'asst_y', 'DRAFT'],
    ['running-b', 'asst_x', 'RUNNING'],
  ] as const;
  const STEPS: Record<string, string[]> = {
    DRAFT: [],
    RUNNING: ['StartCampaign'],
    PAUSED: ['StartCampaign', 'PauseCampaign'],
    CANCELLED: ['CancelCampaign'],
  };
  let campaigns: { id: string; name: string; assistant: string; status: string }[];

  beforeAll(async () => {
    ({ call } = await tenant('filters'));
    campaigns = [];
    for (const [name, assistant, status] of SPEC) {
      const { campaign_id: id } = await createOk(call, minimalCampaign(name, { assistant_id: assistant }));
      for (const step of STEPS[status] ?? []) await callOk(call, step, { campaign_id: id });
      campaigns.push({ id, name, assistant, status });
    }
  });

  /** The ids the filter should return, newest first. */
  const expected = (keep: (c: { assistant: string; status: string }) => boolean) =>
    campaigns.filter(keep).map((c) => c.id).reverse();

  it('lists every campaign newest first, on one page with an empty token', async () => {
    const page = await list(call);
    expect(idsOf(page.campaigns)).toEqual(expected(() => true));
    expect(page.next_page_token).toBe('');
    const created = page.campaigns.map((c) => Date.parse(c.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('returns each campaign with its status and settings, as GetCampaign does', async () => {
    const page = await list(call);
    for (const campaign of page.campaigns) {
      expect(await callOk(call, 'GetCampaign', { campaign_id: campaign.campaign_id })).toEqual(campaign);
    }
  });

  it.each<[string, Record<string, unknown>, (c: { assistant: string; status: string }) => boolean]>([
    ['one status', { status: ['RUNNING'] }, (c) => c.status === 'RUNNING'],
    ['several statuses', { status: ['PAUSED', 'CANCELLED'] }, (c) => c.status === 'PAUSED' || c.status === 'CANCELLED'],
    ['an assistant', { assistant_id: 'asst_x' }, (c) => c.assistant === 'asst_x'],
    [
      'status and assistant',
      { status: ['DRAFT', 'RUNNING'], assistant_id: 'asst_y' },
      (c) => c.assistant === 'asst_y' && ['DRAFT', 'RUNNING'].includes(c.status),
    ],
    ['a status no campaign has', { status: ['COMPLETED'] }, () => false],
    ['an unknown assistant', { assistant_id: 'asst_nobody' }, () => false],
    ['an empty status list', { status: [] }, () => true],
  ])('filters by %s', async (_label, filter, keep) => {
    const page = await list(call, filter);
    expect(idsOf(page.campaigns)).toEqual(expected(keep));
    expect(page.next_page_token).toBe('');
  });

  it('pages through a filtered list', async () => {
    const { ids, sizes } = await walk(call, { assistant_id: 'asst_x', page_size: 1 });
    expect(ids).toEqual(expected((c) => c.assistant === 'asst_x'));
    expect(sizes).toEqual([1, 1, 1]);
  });

  it("never shows another tenant's campaigns", async () => {
    const stranger = await tenant('filters-stranger');
    expect((await list(stranger.call)).campaigns).toEqual([]);
    expect((await list(stranger.call, { assistant_id: 'asst_x' })).campaigns).toEqual([]);
  });
});

describe('ListCampaigns paging', () => {
  const TOTAL = 120;
  let call: CampaignCall;
  let newestFirst: string[];

  beforeAll(async () => {
    const owner = await tenant('paging');
    call = owner.call;
    newestFirst = (await insertCampaigns(h.db, owner.tenantId, TOTAL)).reverse();
  });

  it.each<[string, Record<string, unknown>, number]>([
    ['defaults to 50', {}, 50],
    ['defaults to 50 for page_size 0', { page_size: 0 }, 50],
    ['honours a small page_size', { page_size: 7 }, 7],
    ['honours page_size 100', { page_size: 100 }, 100],
    ['caps page_size 101 at 100', { page_size: 101 }, 100],
    ['caps page_size 1000 at 100', { page_size: 1000 }, 100],
  ])('%s', async (_label, request, size) => {
    const page = await list(call, request);
    expect(idsOf(page.campaigns)).toEqual(newestFirst.slice(0, size));
    expect(page.next_page_token).not.toBe('');
  });

  it.each<[number, number[]]>([
    [0, [50, 50, 20]],
    [100, [100, 20]],
    [7, [...Array<number>(17).fill(7), 1]],
    [120, [100, 20]],
    [40, [40, 40, 40]],
  ])('walks every campaign exactly once, newest first, with page_size %s', async (pageSize, sizes) => {
    const walked = await walk(call, { page_size: pageSize });
    expect(walked.ids).toEqual(newestFirst);
    expect(walked.sizes).toEqual(sizes);
  });

  it('returns every original campaign exactly once while others are being created', async () => {
    const owner = await tenant('paging-while-inserting');
    const original = new Set(await insertCampaigns(h.db, owner.tenantId, 60));
    let inserted = 0;
    const createOne = async () => {
      const res = await owner.call('CreateCampaign', minimalCampaign(`concurrent ${++inserted}`));
      expect(res.status).toBe(200);
    };

    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      // Two creates race each page read, and both have landed before the next page is asked for.
      const [page] = await Promise.all([
        list(owner.call, { page_size: 7, page_token: token }),
        createOne(),
        createOne(),
      ]);
      seen.push(...idsOf(page.campaigns));
      token = page.next_page_token;
      pages++;
    } while (token !== '' && pages < 100);

    expect(token).toBe('');
    expect(inserted).toBeGreaterThanOrEqual(2 * pages);
    expect(new Set(seen).size).toBe(seen.length);
    const missing = [...original].filter((id) => !seen.includes(id));
    expect(missing).toEqual([]);
    // The originals came exactly once each, newest first; new ones only ahead of them.
    expect(seen.filter((id) => original.has(id))).toEqual([...original].reverse());
  });
});

describe('ListCampaigns refuses bad paging input', () => {
  let call: CampaignCall;

  beforeAll(async () => {
    ({ call } = await tenant('bad-input'));
    await createOk(call, minimalCampaign('only one'));
  });

  const token = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

  it.each([
    ['garbage', 'garbage!'],
    ['base64 of nonsense', token('hello world')],
    ['another list’s token', token('messages:5')],
    ['a position that is not a number', token('campaigns:abc')],
    ['a position beyond bigint', token('campaigns:9999999999999999999')],
    ['a very long token', 'A'.repeat(5_000)],
  ])('a page_token that is %s → invalid_argument naming page_token', async (_label, pageToken) => {
    const res = await call('ListCampaigns', { page_token: pageToken });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'page_token' });
  });

  it('a negative page_size → invalid_argument naming page_size', async () => {
    expectTwirpError(await call('ListCampaigns', { page_size: -1 }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'page_size',
    });
  });

  it('an unknown status → invalid_argument naming it', async () => {
    expectTwirpError(await call('ListCampaigns', { status: ['RUNNING', 'ARCHIVED'] }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'status[1]',
    });
  });
});
