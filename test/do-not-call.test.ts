import { expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { rpc, type RpcOptions, type RpcResponse } from './support/rpc';
import { createTestTenant } from './support/server';

/**
 * The DoNotCall service over real HTTP, on both routes. Expiry as time passes is driven by a
 * manual clock in do-not-call-service.test.ts; here the server runs on the wall clock.
 */

const h = useHarness('dnc');

/** The i-th of a block of valid Indian mobile numbers, in E.164. */
const num = (i: number): string => `+9181230${String(i).padStart(5, '0')}`;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Call = (method: string, body: unknown, options?: Omit<RpcOptions, 'key'>) => Promise<RpcResponse>;

function caller(apiKey: string): Call {
  return (method, body, options = {}) => rpc(h.url, 'DoNotCall', method, body, { ...options, key: apiKey });
}

async function ok(call: Call, method: string, body: unknown, options?: Omit<RpcOptions, 'key'>): Promise<any> {
  const res = await call(method, body, options);
  expect({ method, status: res.status, body: res.body }).toEqual({ method, status: 200, body: expect.any(Object) });
  return res.body;
}

async function tenant(name: string): Promise<Call> {
  return caller((await createTestTenant(h.db, `dnc-${name}`)).apiKey);
}

describe.each(['twirp', 'compat'] as const)('DoNotCall over the %s route', (route) => {
  let call: Call;
  beforeAll(async () => {
    call = await tenant(`route-${route}`);
  });

  it('adds, checks, lists and removes numbers normalised to E.164', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const added = await ok(call, 'AddNumbers', {
      phone_numbers: ['918123000001', '+91 81230 00002', '+918123000001'],
      source: 'crm-import',
      reason: 'asked to stop',
      expires_at: expiresAt,
    }, { route });
    expect(added).toEqual({ added: 2, updated: 0 });
    expect(await ok(call, 'AddNumbers', { phone_numbers: [num(2), num(3)] }, { route })).toEqual({ added: 1, updated: 1 });

    const checked = await ok(call, 'CheckNumber', { phone_numbers: [num(9), ' 918123000001', num(3)] }, { route });
    expect(checked.results.map((r: any) => [r.phone_number, r.blocked])).toEqual([
      [num(9), false],
      [num(1), true],
      [num(3), true],
    ]);
    expect(checked.results[1].entry).toEqual({
      phone_number: num(1),
      source: 'crm-import',
      reason: 'asked to stop',
      expires_at: expiresAt,
      created_at: expect.stringMatching(RFC3339_UTC),
    });
    expect(checked.results[2].entry).toMatchObject({ source: 'api', reason: '', expires_at: '' });

    const listed = await ok(call, 'ListNumbers', {}, { route });
    expect(listed.entries.map((e: any) => e.phone_number)).toEqual([num(1), num(2), num(3)]);
    expect(listed.next_page_token).toBe('');

    expect(await ok(call, 'RemoveNumbers', { phone_numbers: ['918123000002', num(8)] }, { route })).toEqual({ removed: 1 });
    const after = await ok(call, 'ListNumbers', { page_size: 10 }, { route });
    expect(after.entries.map((e: any) => e.phone_number)).toEqual([num(1), num(3)]);
  });
});

describe('validation', () => {
  let call: Call;
  beforeAll(async () => {
    call = await tenant('validation');
  });

  it.each([
    ['AddNumbers', 'no numbers', 'phone_numbers', { phone_numbers: [] }],
    ['AddNumbers', 'an invalid number', 'phone_numbers[1]', { phone_numbers: [num(1), 'nope'] }],
    ['AddNumbers', 'an expiry in the past', 'expires_at', { phone_numbers: [num(1)], expires_at: '2001-01-01T00:00:00Z' }],
    ['AddNumbers', 'an expiry without offset', 'expires_at', { phone_numbers: [num(1)], expires_at: '2099-01-01T00:00:00' }],
    ['AddNumbers', 'a source of 101 characters', 'source', { phone_numbers: [num(1)], source: 's'.repeat(101) }],
    ['AddNumbers', 'a reason of 501 characters', 'reason', { phone_numbers: [num(1)], reason: 'r'.repeat(501) }],
    ['RemoveNumbers', 'no numbers', 'phone_numbers', { phone_numbers: [] }],
    ['RemoveNumbers', 'an invalid number', 'phone_numbers[0]', { phone_numbers: ['12'] }],
    ['CheckNumber', 'no numbers', 'phone_numbers', { phone_numbers: [] }],
    ['CheckNumber', 'an invalid number', 'phone_numbers[2]', { phone_numbers: [num(1), num(2), 'abc'] }],
    ['ListNumbers', 'a garbage token', 'page_token', { page_token: 'garbage' }],
    ['ListNumbers', "another list's token", 'page_token', { page_token: Buffer.from('campaigns:1').toString('base64url') }],
    ['ListNumbers', 'a negative page size', 'page_size', { page_size: -1 }],
  ])('%s with %s → invalid_argument naming %s', async (method, _, argument, body) => {
    expectTwirpError(await call(method, body), { status: 400, code: 'invalid_argument', argument });
  });

  it('refuses 10,001 numbers and 1,001 checks, and writes nothing', async () => {
    const numbers = Array.from({ length: 10_001 }, (_, i) => num(i));
    expectTwirpError(await call('AddNumbers', { phone_numbers: numbers }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'phone_numbers',
    });
    expectTwirpError(await call('RemoveNumbers', { phone_numbers: numbers }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'phone_numbers',
    });
    expectTwirpError(await call('CheckNumber', { phone_numbers: numbers.slice(0, 1_001) }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'phone_numbers',
    });
    expect((await ok(call, 'ListNumbers', {})).entries).toEqual([]);
    expect(await ok(call, 'AddNumbers', { phone_numbers: numbers.slice(0, 10_000) })).toEqual({ added: 10_000, updated: 0 });
  });

  it('refuses a request with one invalid number as a whole', async () => {
    const fresh = await tenant('refused');
    const res = await fresh('AddNumbers', { phone_numbers: [num(1), num(2), '+1 555'] });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'phone_numbers[2]' });
    expect((await ok(fresh, 'ListNumbers', {})).entries).toEqual([]);
  });

  it('answers 401 without a key', async () => {
    const res = await rpc(h.url, 'DoNotCall', 'CheckNumber', { phone_numbers: [num(1)] });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 401,
      body: { code: 'unauthenticated', msg: 'Authentication required' },
    });
  });
});

describe('ListNumbers paging', () => {
  let call: Call;
  const numbers = Array.from({ length: 150 }, (_, i) => num(1_000 - i * 3));

  beforeAll(async () => {
    call = await tenant('paging');
    await ok(call, 'AddNumbers', { phone_numbers: numbers });
  });

  it.each([
    [0, [50, 50, 50]],
    [100, [100, 50]],
    [500, [100, 50]],
    [7, [...Array.from({ length: 21 }, () => 7), 3]],
  ])('page_size %i walks every entry exactly once, by number, in pages of %j', async (pageSize, sizes) => {
    const seen: string[] = [];
    const seenSizes: number[] = [];
    let token = '';
    do {
      const page = await ok(call, 'ListNumbers', { page_size: pageSize, page_token: token });
      seen.push(...page.entries.map((e: any) => e.phone_number));
      seenSizes.push(page.entries.length);
      token = page.next_page_token;
    } while (token !== '' && seenSizes.length < 100);
    expect(seenSizes).toEqual(sizes);
    expect(seen).toEqual([...numbers].sort());
  });
});

describe('tenant isolation', () => {
  let a: Call;
  let b: Call;

  beforeAll(async () => {
    a = await tenant('iso-a');
    b = await tenant('iso-b');
    await ok(a, 'AddNumbers', { phone_numbers: [num(1), num(2)], reason: 'tenant a' });
  });

  it("never shows, blocks on, or removes another tenant's entries", async () => {
    expect((await ok(b, 'ListNumbers', {})).entries).toEqual([]);
    const checked = await ok(b, 'CheckNumber', { phone_numbers: [num(1), num(2)] });
    expect(checked.results.map((r: any) => r.blocked)).toEqual([false, false]);
    expect(await ok(b, 'RemoveNumbers', { phone_numbers: [num(1), num(2)] })).toEqual({ removed: 0 });
    expect(await ok(b, 'AddNumbers', { phone_numbers: [num(1)], reason: 'tenant b' })).toEqual({ added: 1, updated: 0 });

    const own = await ok(a, 'ListNumbers', {});
    expect(own.entries.map((e: any) => [e.phone_number, e.reason])).toEqual([
      [num(1), 'tenant a'],
      [num(2), 'tenant a'],
    ]);
    expect(await ok(a, 'RemoveNumbers', { phone_numbers: [num(1)] })).toEqual({ removed: 1 });
    const stillB = await ok(b, 'CheckNumber', { phone_numbers: [num(1)] });
    expect(stillB.results[0]).toMatchObject({ blocked: true, entry: { reason: 'tenant b' } });
  });
});
