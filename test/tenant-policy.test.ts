import { findTenantPolicies } from '../server/tenants/tenants.repository';
import { expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { rpc, type RpcResponse } from './support/rpc';
import { ADMIN_KEY, createTestTenant } from './support/server';

/** The tenant calling policy through the Admin service, over real HTTP. */

const h = useHarness('tenant-policy');

const UNKNOWN_TENANT = '0b9a3f0e-5d7c-4e0b-9c61-3f1a2b4c5d6e';

const admin = (method: string, body: unknown, key = ADMIN_KEY): Promise<RpcResponse> =>
  rpc(h.url, 'Admin', method, body, { key });

async function ok(method: string, body: unknown): Promise<any> {
  const res = await admin(method, body);
  expect({ method, status: res.status, body: res.body }).toEqual({ method, status: 200, body: expect.any(Object) });
  return res.body;
}

let tenants = 0;
async function newTenant(): Promise<string> {
  return (await createTestTenant(h.db, `policy-${++tenants}`)).tenantId;
}

const NO_POLICY = {
  quiet_hours_start: '',
  quiet_hours_end: '',
  bypass_may_override_quiet_hours: false,
  max_calls_per_number: 0,
  frequency_window_days: 1,
};

describe('Set/GetTenantPolicy', () => {
  it('a new tenant has no quiet hours and no cap', async () => {
    const tenantId = await newTenant();
    expect(await ok('GetTenantPolicy', { tenant_id: tenantId })).toEqual({ tenant_id: tenantId, ...NO_POLICY });
  });

  it('sets a whole policy, normalised, and reads it back', async () => {
    const tenantId = await newTenant();
    const set = await ok('SetTenantPolicy', {
      tenant_id: tenantId,
      quiet_hours_start: '08:00',
      quiet_hours_end: '21:00:00',
      bypass_may_override_quiet_hours: true,
      max_calls_per_number: 3,
      frequency_window_days: 7,
    });
    const expected = {
      tenant_id: tenantId,
      quiet_hours_start: '08:00:00',
      quiet_hours_end: '21:00:00',
      bypass_may_override_quiet_hours: true,
      max_calls_per_number: 3,
      frequency_window_days: 7,
    };
    expect(set).toEqual(expected);
    expect(await ok('GetTenantPolicy', { tenant_id: tenantId.toUpperCase() })).toEqual(expected);

    const policies = await findTenantPolicies(h.db, [tenantId, UNKNOWN_TENANT, h.tenantId]);
    expect(policies.get(tenantId)).toEqual({
      tenantId,
      quietHours: { start: '08:00:00', end: '21:00:00' },
      bypassMayOverrideQuietHours: true,
      maxCallsPerNumber: 3,
      frequencyWindowDays: 7,
    });
    expect(policies.get(h.tenantId)).toMatchObject({ quietHours: null, maxCallsPerNumber: 0 });
    expect(policies.has(UNKNOWN_TENANT)).toBe(false);
  });

  it('replaces the whole policy: omitted fields return to none', async () => {
    const tenantId = await newTenant();
    await ok('SetTenantPolicy', {
      tenant_id: tenantId,
      quiet_hours_start: '09:00',
      quiet_hours_end: '24:00',
      max_calls_per_number: 2,
      frequency_window_days: 30,
    });
    expect(await ok('SetTenantPolicy', { tenant_id: tenantId })).toEqual({ tenant_id: tenantId, ...NO_POLICY });
    expect(await ok('GetTenantPolicy', { tenant_id: tenantId })).toEqual({ tenant_id: tenantId, ...NO_POLICY });
  });

  it("leaves other tenants' policies alone", async () => {
    const one = await newTenant();
    const other = await newTenant();
    await ok('SetTenantPolicy', { tenant_id: one, quiet_hours_start: '10:00', quiet_hours_end: '18:00' });
    expect(await ok('GetTenantPolicy', { tenant_id: other })).toEqual({ tenant_id: other, ...NO_POLICY });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['only a start', { quiet_hours_start: '08:00' }, 'quiet_hours_end'],
    ['only an end', { quiet_hours_end: '21:00' }, 'quiet_hours_start'],
    ['a start that is no time', { quiet_hours_start: '8 am', quiet_hours_end: '21:00' }, 'quiet_hours_start'],
    ['an end that is no time', { quiet_hours_start: '08:00', quiet_hours_end: '21:75' }, 'quiet_hours_end'],
    ['an end before the start', { quiet_hours_start: '21:00', quiet_hours_end: '08:00' }, 'quiet_hours_end'],
    ['a negative cap', { max_calls_per_number: -1, frequency_window_days: 1 }, 'max_calls_per_number'],
    ['a cap over 1,000', { max_calls_per_number: 1001, frequency_window_days: 1 }, 'max_calls_per_number'],
    ['a cap without its window', { max_calls_per_number: 5 }, 'frequency_window_days'],
    ['a window over 365 days', { max_calls_per_number: 5, frequency_window_days: 366 }, 'frequency_window_days'],
  ])('refuses %s naming %s, writing nothing', async (_, patch, argument) => {
    const tenantId = await newTenant();
    const res = await admin('SetTenantPolicy', { tenant_id: tenantId, ...patch });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument });
    expect(res.body.msg.startsWith(argument)).toBe(true);
    expect(await ok('GetTenantPolicy', { tenant_id: tenantId })).toEqual({ tenant_id: tenantId, ...NO_POLICY });
  });

  it.each([
    ['an unknown tenant', UNKNOWN_TENANT, 404, 'not_found'],
    ['a tenant id that is no UUID', 'tenant-1', 404, 'not_found'],
    ['no tenant id', '', 400, 'invalid_argument'],
  ])('answers %s with %i', async (_, tenantId, status, code) => {
    expectTwirpError(await admin('GetTenantPolicy', { tenant_id: tenantId }), { status, code });
    expectTwirpError(await admin('SetTenantPolicy', { tenant_id: tenantId, quiet_hours_start: '08:00', quiet_hours_end: '20:00' }), {
      status,
      code,
    });
  });
});

describe('authorisation', () => {
  it.each(['SetTenantPolicy', 'GetTenantPolicy'])('%s refuses a tenant API key with 403', async (method) => {
    const res = await admin(method, { tenant_id: h.tenantId }, h.apiKey);
    expectTwirpError(res, { status: 403, code: 'permission_denied' });
    expect(await ok('GetTenantPolicy', { tenant_id: h.tenantId })).toEqual({ tenant_id: h.tenantId, ...NO_POLICY });
  });

  it.each(['SetTenantPolicy', 'GetTenantPolicy'])('%s without a key is 401', async (method) => {
    const res = await rpc(h.url, 'Admin', method, { tenant_id: h.tenantId });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 401,
      body: { code: 'unauthenticated', msg: 'Authentication required' },
    });
  });
});
