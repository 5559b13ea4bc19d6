import { sql } from 'kysely';
import { DomainError } from '../server/errors';
import { ManualClock } from '../server/shared/clock';
import {
  addNumbers,
  checkNumbers,
  listNumbers,
  removeNumbers,
} from '../server/do-not-call/do-not-call.service';
import type { AddNumbersInput } from '../server/do-not-call/do-not-call';
import { suppressedSql } from '../server/do-not-call/do-not-call.repository';
import { useHarness } from './support/harness';
import { createTestTenant } from './support/server';

/**
 * The do-not-call service functions against the real database, with a driven clock so that expiry
 * is exercised without waiting. The same rules over HTTP are in do-not-call.test.ts.
 */

const h = useHarness('dnc-service');
const START = '2026-03-04T06:00:00.000Z';

/** The i-th of a block of valid Indian mobile numbers, in E.164. */
const num = (i: number): string => `+9181230${String(i).padStart(5, '0')}`;

async function newTenant(name: string): Promise<string> {
  return (await createTestTenant(h.db, `dnc-service-${name}`)).tenantId;
}

function add(clock: ManualClock, tenantId: string, input: Partial<AddNumbersInput>) {
  return addNumbers(h.db, clock, tenantId, { phoneNumbers: [], source: '', reason: '', expiresAt: '', ...input });
}

async function rowsOf(tenantId: string) {
  return h.db.selectFrom('do_not_call').selectAll().where('tenant_id', '=', tenantId).orderBy('phone_number').execute();
}

async function refusal(run: () => Promise<unknown>): Promise<{ kind: string; argument: string | undefined }> {
  try {
    await run();
  } catch (e: unknown) {
    if (e instanceof DomainError) return { kind: e.kind, argument: e.meta.argument };
    throw e;
  }
  throw new Error('expected a refusal');
}

/** The numbers among these that the pre-dial check (`suppressedSql`, read with the claim) holds back. */
async function suppressedNumbers(tenantId: string, numbers: readonly string[], now: Date): Promise<Set<string>> {
  const result = await sql<{ p: string }>`
    select n.p from (select ${tenantId}::uuid as tenant, unnest(${[...numbers]}::text[]) as p) n
    where ${suppressedSql('n.tenant', 'n.p', now)}`.execute(h.db);
  return new Set(result.rows.map((r) => r.p));
}

describe('AddNumbers', () => {
  const clock = new ManualClock(START);

  it('stores every number in E.164, with or without + and spaces, once', async () => {
    const t = await newTenant('normalise');
    const result = await add(clock, t, { phoneNumbers: ['918123000001', '+91 81230 00002', ' +918123000001 ', '+918123000002'] });
    expect(result).toEqual({ added: 2, updated: 0 });
    const rows = await rowsOf(t);
    expect(rows.map((r) => [r.phone_number, r.source, r.reason, r.expires_at])).toEqual([
      [num(1), 'api', '', null],
      [num(2), 'api', '', null],
    ]);
  });

  it.each([
    ['an invalid number', { phoneNumbers: [num(10), num(11), 'not-a-number'] }, 'phone_numbers[2]'],
    ['an expiry in the past', { phoneNumbers: [num(10)], expiresAt: '2026-03-04T05:59:59Z' }, 'expires_at'],
    ['a source too long', { phoneNumbers: [num(10)], source: 'x'.repeat(101) }, 'source'],
    ['a reason too long', { phoneNumbers: [num(10)], reason: 'x'.repeat(501) }, 'reason'],
    ['no numbers', { phoneNumbers: [] }, 'phone_numbers'],
  ])('refuses a request with %s as a whole and writes nothing', async (_, input, argument) => {
    const t = await newTenant(`refused-${argument}`);
    expect(await refusal(() => add(clock, t, input))).toEqual({ kind: 'invalid_argument', argument });
    expect(await rowsOf(t)).toEqual([]);
  });

  it('counts added and updated, and replaces source, reason, expiry and created_at', async () => {
    const t = await newTenant('counts');
    expect(await add(clock, t, { phoneNumbers: [num(1), num(2)], source: 'crm', reason: 'asked' })).toEqual({ added: 2, updated: 0 });
    const before = (await rowsOf(t))[1]!;
    const expiresAt = '2026-04-01T00:00:00+05:30';
    const result = await add(clock, t, { phoneNumbers: [num(2), num(3), '918123000003'], source: 'provider', expiresAt });
    expect(result).toEqual({ added: 1, updated: 1 });
    const rows = await rowsOf(t);
    expect(rows.map((r) => [r.phone_number, r.source, r.reason, r.expires_at?.toISOString() ?? null])).toEqual([
      [num(1), 'crm', 'asked', null],
      [num(2), 'provider', '', '2026-03-31T18:30:00.000Z'],
      [num(3), 'provider', '', '2026-03-31T18:30:00.000Z'],
    ]);
    expect(rows[1]!.created_at.getTime()).toBeGreaterThanOrEqual(before.created_at.getTime());
  });

  it('takes 10,000 numbers in one request and refuses 10,001', async () => {
    const t = await newTenant('limits');
    const numbers = Array.from({ length: 10_000 }, (_, i) => num(i));
    expect(await add(clock, t, { phoneNumbers: numbers })).toEqual({ added: 10_000, updated: 0 });
    const more = [...numbers, num(10_000)];
    expect(await refusal(() => add(clock, t, { phoneNumbers: more, source: 'again' }))).toEqual({
      kind: 'invalid_argument',
      argument: 'phone_numbers',
    });
    const { n } = await h.db
      .selectFrom('do_not_call')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', t)
      .where('source', '=', 'api')
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(10_000);
  });

  it('counts each number added exactly once across concurrent overlapping requests, without deadlock', async () => {
    const t = await newTenant('concurrent');
    const numbers = Array.from({ length: 2_000 }, (_, i) => num(i));
    // Each request lists the numbers in its own order; the database must still lock in one order.
    const orders = [numbers, [...numbers].reverse(), [...numbers.slice(1_000), ...numbers.slice(0, 1_000)], numbers];
    const results = await Promise.all(orders.map((phoneNumbers) => add(clock, t, { phoneNumbers })));
    expect(results.reduce((s, r) => s + r.added, 0)).toBe(2_000);
    expect(results.reduce((s, r) => s + r.updated, 0)).toBe(6_000);
  });
});

describe('expiry follows the clock', () => {
  const clock = new ManualClock(START);
  let t: string;

  beforeAll(async () => {
    t = await newTenant('expiry');
    await add(clock, t, { phoneNumbers: [num(1)], expiresAt: '2026-03-04T07:00:00Z', reason: 'one hour' });
    await add(clock, t, { phoneNumbers: [num(2)] });
  });

  const blocked = async () =>
    (await checkNumbers(h.db, clock, t, [num(1), num(2)])).map((v) => [v.phoneNumber, v.entry !== undefined]);
  const listed = async () => (await listNumbers(h.db, clock, t, { pageSize: 0, pageToken: '' })).entries.map((e) => e.phoneNumber);

  it('is in force until the instant it expires, and not from that instant on', async () => {
    clock.set('2026-03-04T06:59:59.999Z');
    expect(await blocked()).toEqual([[num(1), true], [num(2), true]]);
    expect(await listed()).toEqual([num(1), num(2)]);
    expect([...(await suppressedNumbers(t, [num(1), num(2)], clock.now()))].sort()).toEqual([num(1), num(2)]);

    clock.set('2026-03-04T07:00:00Z');
    expect(await blocked()).toEqual([[num(1), false], [num(2), true]]);
    expect(await listed()).toEqual([num(2)]);
    expect([...(await suppressedNumbers(t, [num(1), num(2)], clock.now()))]).toEqual([num(2)]);
  });

  it('counts a lapsed entry refreshed by AddNumbers as added, and back in force', async () => {
    clock.set('2026-03-05T00:00:00Z');
    expect(await add(clock, t, { phoneNumbers: [num(1), num(2)] })).toEqual({ added: 1, updated: 1 });
    expect(await blocked()).toEqual([[num(1), true], [num(2), true]]);
  });

  it('does not count a lapsed entry as removed, but deletes it', async () => {
    await add(clock, t, { phoneNumbers: [num(3)], expiresAt: '2026-03-05T01:00:00Z' });
    clock.set('2026-03-05T02:00:00Z');
    expect(await removeNumbers(h.db, clock, t, [num(3), num(2)])).toBe(1);
    expect((await rowsOf(t)).map((r) => r.phone_number)).toEqual([num(1)]);
  });
});

describe('RemoveNumbers, CheckNumber and the pre-dial check', () => {
  const clock = new ManualClock(START);

  it('removes listed numbers given in any form, ignores the rest, and refuses an invalid one', async () => {
    const t = await newTenant('remove');
    await add(clock, t, { phoneNumbers: [num(1), num(2), num(3)] });
    expect(await refusal(() => removeNumbers(h.db, clock, t, [num(1), '+91'])).then((r) => r.argument)).toBe('phone_numbers[1]');
    expect(await removeNumbers(h.db, clock, t, ['918123000001', '+91 81230 00002', num(2), num(9)])).toBe(2);
    expect((await rowsOf(t)).map((r) => r.phone_number)).toEqual([num(3)]);
    expect(await refusal(() => removeNumbers(h.db, clock, t, []))).toEqual({ kind: 'invalid_argument', argument: 'phone_numbers' });
  });

  it('answers in request order, repeats included, with the entry that blocks', async () => {
    const t = await newTenant('check');
    await add(clock, t, { phoneNumbers: [num(2)], source: 'crm', reason: 'asked' });
    const verdicts = await checkNumbers(h.db, clock, t, [num(3), '918123000002', num(1), num(2)]);
    expect(verdicts.map((v) => [v.phoneNumber, v.entry?.source])).toEqual([
      [num(3), undefined],
      [num(2), 'crm'],
      [num(1), undefined],
      [num(2), 'crm'],
    ]);
    expect(verdicts[1]!.entry).toEqual({
      phoneNumber: num(2),
      source: 'crm',
      reason: 'asked',
      expiresAt: null,
      createdAt: expect.any(Date),
    });
    const limit = Array.from({ length: 1_001 }, (_, i) => num(i));
    expect(await refusal(() => checkNumbers(h.db, clock, t, limit))).toEqual({ kind: 'invalid_argument', argument: 'phone_numbers' });
    expect(await checkNumbers(h.db, clock, t, limit.slice(0, 1_000))).toHaveLength(1_000);
  });

  it('keeps tenants apart', async () => {
    const a = await newTenant('iso-a');
    const b = await newTenant('iso-b');
    await add(clock, a, { phoneNumbers: [num(1), num(2)] });
    expect((await checkNumbers(h.db, clock, b, [num(1)]))[0]!.entry).toBeUndefined();
    expect((await listNumbers(h.db, clock, b, { pageSize: 0, pageToken: '' })).entries).toEqual([]);
    expect(await suppressedNumbers(b, [num(1), num(2)], clock.now())).toEqual(new Set());
    expect(await removeNumbers(h.db, clock, b, [num(1), num(2)])).toBe(0);
    expect(await add(clock, b, { phoneNumbers: [num(1)], source: 'b' })).toEqual({ added: 1, updated: 0 });
    expect((await rowsOf(a)).map((r) => [r.phone_number, r.source])).toEqual([[num(1), 'api'], [num(2), 'api']]);
  });

  it('the pre-dial check asks about each number it is given, repeats included', async () => {
    const t = await newTenant('suppressed');
    await add(clock, t, { phoneNumbers: [num(1)] });
    expect(await suppressedNumbers(t, [], clock.now())).toEqual(new Set());
    expect(await suppressedNumbers(t, [num(1), num(1), num(2)], clock.now())).toEqual(new Set([num(1)]));
  });
});

describe('ListNumbers', () => {
  const clock = new ManualClock(START);
  let t: string;
  let expected: string[];

  beforeAll(async () => {
    t = await newTenant('list');
    // Shuffled insertion, and some entries already lapsed, which the list must skip.
    expected = Array.from({ length: 230 }, (_, i) => num(i * 7));
    await add(clock, t, { phoneNumbers: [...expected].reverse() });
    await add(clock, t, { phoneNumbers: [num(1), num(2)], expiresAt: '2026-03-04T06:30:00Z' });
    clock.set('2026-03-04T06:30:00Z');
  });

  async function walk(pageSize: number): Promise<{ numbers: string[]; sizes: number[] }> {
    const numbers: string[] = [];
    const sizes: number[] = [];
    let pageToken = '';
    do {
      const page = await listNumbers(h.db, clock, t, { pageSize, pageToken });
      numbers.push(...page.entries.map((e) => e.phoneNumber));
      sizes.push(page.entries.length);
      pageToken = page.nextPageToken;
    } while (pageToken !== '' && sizes.length < 100);
    return { numbers, sizes };
  }

  it.each([
    [0, [50, 50, 50, 50, 30]],
    [100, [100, 100, 30]],
    [1_000, [100, 100, 30]],
    [115, [100, 100, 30]],
    [23, Array.from({ length: 10 }, () => 23)],
  ])('page_size %i walks every entry in force exactly once, by number, in pages of %j', async (pageSize, sizes) => {
    const walked = await walk(pageSize);
    expect(walked.sizes).toEqual(sizes);
    expect(walked.numbers).toEqual([...expected].sort());
  });

  it('refuses a garbage token and a negative page size', async () => {
    expect(await refusal(() => listNumbers(h.db, clock, t, { pageSize: 0, pageToken: 'garbage!' }))).toEqual({
      kind: 'invalid_argument',
      argument: 'page_token',
    });
    expect(await refusal(() => listNumbers(h.db, clock, t, { pageSize: -1, pageToken: '' }))).toEqual({
      kind: 'invalid_argument',
      argument: 'page_size',
    });
  });
});
