import { findProfiles } from '../server/business-hours/business-hours.service';
import { businessHoursCaller, officeHoursBody, okBody, type BusinessHoursCall } from './support/business-hours-fixtures';
import { expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { rpc } from './support/rpc';
import { createTestTenant } from './support/server';

/** The BusinessHours service over real HTTP; how campaigns refer to profiles is in business-hours-campaigns.test.ts. */

const h = useHarness('business-hours');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UNKNOWN_ID = '0b9a3f0e-5d7c-4e0b-9c61-3f1a2b4c5d6e';

type Call = BusinessHoursCall;
const ok = okBody;

async function tenant(name: string): Promise<{ tenantId: string; apiKey: string; call: Call }> {
  const created = await createTestTenant(h.db, `bh-${name}`);
  return { ...created, call: businessHoursCaller(h.url, created.apiKey) };
}

describe('profile CRUD', () => {
  let call: Call;
  beforeAll(async () => {
    ({ call } = await tenant('crud'));
  });

  it('creates a profile, normalised, and reads it back', async () => {
    const created = await ok(call, 'CreateProfile', {
      name: '  Support desk ',
      timezone: 'America/New_York',
      intervals: [
        { day: 'SUNDAY', start_time: '10:00', end_time: '14:00' },
        { day: 'MONDAY', start_time: '13:00', end_time: '24:00' },
        { day: 'MONDAY', start_time: '08:30:15', end_time: '12:00' },
      ],
      holidays: ['2026-12-25', '2026-07-04', '2026-12-25'],
    });
    expect(created).toEqual({
      profile_id: expect.stringMatching(UUID),
      name: 'Support desk',
      timezone: 'America/New_York',
      intervals: [
        { day: 'MONDAY', start_time: '08:30:15', end_time: '12:00:00' },
        { day: 'MONDAY', start_time: '13:00:00', end_time: '24:00:00' },
        { day: 'SUNDAY', start_time: '10:00:00', end_time: '14:00:00' },
      ],
      holidays: ['2026-07-04', '2026-12-25'],
      created_at: expect.stringMatching(RFC3339_UTC),
      updated_at: expect.stringMatching(RFC3339_UTC),
    });
    expect(await ok(call, 'GetProfile', { profile_id: created.profile_id.toUpperCase() })).toEqual(created);
  });

  it('replaces every setting on update, and deletes', async () => {
    const created = await ok(call, 'CreateProfile', officeHoursBody('to replace'));
    const updated = await ok(call, 'UpdateProfile', {
      profile_id: created.profile_id,
      name: 'Replaced',
      timezone: 'Asia/Kolkata',
      intervals: [{ day: 'SATURDAY', start_time: '10:00', end_time: '13:30' }],
    });
    expect(updated).toEqual({
      ...created,
      name: 'Replaced',
      timezone: 'Asia/Kolkata',
      intervals: [{ day: 'SATURDAY', start_time: '10:00:00', end_time: '13:30:00' }],
      holidays: [],
      updated_at: expect.stringMatching(RFC3339_UTC),
    });
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at));
    expect(await ok(call, 'GetProfile', { profile_id: created.profile_id })).toEqual(updated);

    expect(await ok(call, 'DeleteProfile', { profile_id: created.profile_id })).toEqual({ profile_id: created.profile_id });
    expectTwirpError(await call('GetProfile', { profile_id: created.profile_id }), { status: 404, code: 'not_found' });
    expectTwirpError(await call('DeleteProfile', { profile_id: created.profile_id }), { status: 404, code: 'not_found' });
  });

  it('keeps names unique per tenant regardless of case, on create and on update', async () => {
    const first = await ok(call, 'CreateProfile', officeHoursBody('Night shift'));
    expectTwirpError(await call('CreateProfile', officeHoursBody('NIGHT SHIFT')), {
      status: 409,
      code: 'already_exists',
      argument: 'name',
    });
    const other = await ok(call, 'CreateProfile', officeHoursBody('Day shift'));
    expectTwirpError(await call('UpdateProfile', { ...officeHoursBody(' night Shift '), profile_id: other.profile_id }), {
      status: 409,
      code: 'already_exists',
      argument: 'name',
    });
    // A profile may keep its own name in another case.
    expect((await ok(call, 'UpdateProfile', { ...officeHoursBody('NIGHT shift'), profile_id: first.profile_id })).name).toBe(
      'NIGHT shift',
    );
  });

  it.each([
    ['an empty id', '', 400, 'invalid_argument'],
    ['an id that is no UUID', 'office-hours', 404, 'not_found'],
    ['an unknown UUID', UNKNOWN_ID, 404, 'not_found'],
  ])('answers %s with %i', async (_, profileId, status, code) => {
    for (const method of ['GetProfile', 'DeleteProfile']) {
      expectTwirpError(await call(method, { profile_id: profileId }), { status, code });
    }
    expectTwirpError(await call('UpdateProfile', { ...officeHoursBody('whatever'), profile_id: profileId }), { status, code });
  });
});

describe('validation', () => {
  let call: Call;
  let existing: string;
  beforeAll(async () => {
    ({ call } = await tenant('validation'));
    existing = (await ok(call, 'CreateProfile', officeHoursBody('existing'))).profile_id;
  });

  const interval = (day: string | undefined, start: string, end: string) => ({ day, start_time: start, end_time: end });

  it.each<[string, Record<string, unknown>, string]>([
    ['no name', { name: '' }, 'name'],
    ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name'],
    ['no timezone', { timezone: '' }, 'timezone'],
    ['a zone that is not IANA', { timezone: 'Europe/Atlantis' }, 'timezone'],
    ['no intervals', { intervals: [] }, 'intervals'],
    ['101 intervals', { intervals: Array.from({ length: 101 }, () => interval('MONDAY', '09:00', '10:00')) }, 'intervals'],
    ['an interval without a day', { intervals: [interval('MONDAY', '09:00', '10:00'), interval(undefined, '09:00', '10:00')] }, 'intervals[1]'],
    ['DAY_OF_WEEK_UNSPECIFIED', { intervals: [interval('DAY_OF_WEEK_UNSPECIFIED', '09:00', '10:00')] }, 'intervals[0]'],
    ['a start that is no time', { intervals: [interval('MONDAY', '9am', '10:00')] }, 'intervals[0]'],
    ['a start of 24:00', { intervals: [interval('MONDAY', '24:00', '24:00')] }, 'intervals[0]'],
    ['an end of 25:00', { intervals: [interval('MONDAY', '09:00', '25:00')] }, 'intervals[0]'],
    ['an end before the start', { intervals: [interval('MONDAY', '17:00', '09:00')] }, 'intervals[0]'],
    [
      'overlapping intervals of one day',
      { intervals: [interval('MONDAY', '09:00', '12:00'), interval('TUESDAY', '11:00', '13:00'), interval('MONDAY', '11:00', '13:00')] },
      'intervals[2]',
    ],
    ['1,001 holidays', { holidays: Array.from({ length: 1001 }, () => '2026-01-01') }, 'holidays'],
    ['a holiday that is no date', { holidays: ['2026-01-01', '2026-02-30'] }, 'holidays[1]'],
  ])('refuses %s naming %s, on create and on update, writing nothing', async (_, patch, argument) => {
    const body = officeHoursBody('refused', patch);
    expectTwirpError(await call('CreateProfile', body), { status: 400, code: 'invalid_argument', argument });
    expectTwirpError(await call('UpdateProfile', { ...body, profile_id: existing }), {
      status: 400,
      code: 'invalid_argument',
      argument,
    });
    const listed = await ok(call, 'ListProfiles', {});
    expect(listed.profiles.map((p: any) => p.name)).toEqual(['existing']);
  });

  it('refuses a bad page token and a negative page size', async () => {
    expectTwirpError(await call('ListProfiles', { page_token: 'nope!' }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'page_token',
    });
    expectTwirpError(await call('ListProfiles', { page_size: -1 }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'page_size',
    });
  });
});

describe('ListProfiles', () => {
  let call: Call;
  beforeAll(async () => {
    ({ call } = await tenant('list'));
    for (const name of ['delta', 'Bravo', 'echo', 'alpha', 'Foxtrot', 'charlie', 'golf']) {
      await ok(call, 'CreateProfile', officeHoursBody(name));
    }
  });

  async function walk(pageSize: number): Promise<string[][]> {
    const pages: string[][] = [];
    let token = '';
    do {
      const page = await ok(call, 'ListProfiles', { page_size: pageSize, page_token: token });
      pages.push(page.profiles.map((p: any) => p.name));
      token = page.next_page_token;
    } while (token !== '');
    return pages;
  }

  it('lists by name regardless of case, in pages', async () => {
    expect(await walk(3)).toEqual([
      ['alpha', 'Bravo', 'charlie'],
      ['delta', 'echo', 'Foxtrot'],
      ['golf'],
    ]);
    expect(await walk(7)).toEqual([['alpha', 'Bravo', 'charlie', 'delta', 'echo', 'Foxtrot', 'golf']]);
    expect((await ok(call, 'ListProfiles', {})).profiles).toHaveLength(7);
  });

  it('resumes after the last profile of a page even when that profile is renamed or deleted meanwhile', async () => {
    const first = await ok(call, 'ListProfiles', { page_size: 2 });
    expect(first.profiles.map((p: any) => p.name)).toEqual(['alpha', 'Bravo']);
    const bravo = first.profiles[1];
    await ok(call, 'UpdateProfile', { ...officeHoursBody('zulu'), profile_id: bravo.profile_id });
    const second = await ok(call, 'ListProfiles', { page_size: 2, page_token: first.next_page_token });
    expect(second.profiles.map((p: any) => p.name)).toEqual(['charlie', 'delta']);
    await ok(call, 'DeleteProfile', { profile_id: second.profiles[1].profile_id });
    const third = await ok(call, 'ListProfiles', { page_size: 10, page_token: second.next_page_token });
    expect(third.profiles.map((p: any) => p.name)).toEqual(['echo', 'Foxtrot', 'golf', 'zulu']);
    expect(third.next_page_token).toBe('');
  });
});

describe('tenant isolation', () => {
  let mine: Call;
  let theirs: Call;
  let theirsTenantId: string;
  let mineTenantId: string;
  let profileId: string;
  beforeAll(async () => {
    const a = await tenant('iso-mine');
    const b = await tenant('iso-theirs');
    mine = a.call;
    theirs = b.call;
    mineTenantId = a.tenantId;
    theirsTenantId = b.tenantId;
    profileId = (await ok(mine, 'CreateProfile', officeHoursBody('Shared name'))).profile_id;
  });

  it("answers another tenant's profile as if it did not exist", async () => {
    expectTwirpError(await theirs('GetProfile', { profile_id: profileId }), { status: 404, code: 'not_found' });
    expectTwirpError(await theirs('UpdateProfile', { ...officeHoursBody('stolen'), profile_id: profileId }), {
      status: 404,
      code: 'not_found',
    });
    expectTwirpError(await theirs('DeleteProfile', { profile_id: profileId }), { status: 404, code: 'not_found' });
    expect((await ok(theirs, 'ListProfiles', {})).profiles).toEqual([]);
    expect((await ok(mine, 'GetProfile', { profile_id: profileId })).name).toBe('Shared name');
  });

  it('lets another tenant use the same name', async () => {
    expect((await ok(theirs, 'CreateProfile', officeHoursBody('shared NAME'))).name).toBe('shared NAME');
  });

  it('findProfiles answers only the tenant’s own profiles, in one map', async () => {
    const own = await ok(mine, 'CreateProfile', officeHoursBody('second'));
    const found = await findProfiles(h.db, mineTenantId, [profileId, own.profile_id, UNKNOWN_ID, 'not-a-uuid', profileId]);
    expect([...found.keys()].sort()).toEqual([profileId, own.profile_id].sort());
    expect(found.get(own.profile_id)).toMatchObject({
      id: own.profile_id,
      tenantId: mineTenantId,
      name: 'second',
      timezone: 'Europe/London',
      intervals: expect.arrayContaining([{ day: 'MONDAY', start: '09:00:00', end: '17:00:00' }]),
      holidays: ['2026-12-25'],
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect((await findProfiles(h.db, theirsTenantId, [profileId, own.profile_id])).size).toBe(0);
    expect((await findProfiles(h.db, mineTenantId, [])).size).toBe(0);
  });

  it('needs an API key', async () => {
    const res = await rpc(h.url, 'BusinessHours', 'ListProfiles', {});
    expect({ status: res.status, body: res.body }).toEqual({
      status: 401,
      body: { code: 'unauthenticated', msg: 'Authentication required' },
    });
  });
});
