import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from './support/database';
import { rpc, type RpcOptions, type RpcResponse } from './support/rpc';
import { ADMIN_KEY, createTestTenant, startTestServer, type TestServer } from './support/server';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const UNAUTHENTICATED = '{"code":"unauthenticated","msg":"Authentication required"}';
const ROUTES = ['twirp', 'compat'] as const;

let database: TestDatabase;
let server: TestServer;
/** Every plain key this file sees, to prove none is stored. */
const issuedKeys: string[] = [];

function campaign(method: string, body: unknown, options: RpcOptions): Promise<RpcResponse> {
  return rpc(server.url, 'Campaign', method, body, options);
}

function admin(method: string, body: unknown, options: RpcOptions = { key: ADMIN_KEY }): Promise<RpcResponse> {
  return rpc(server.url, 'Admin', method, body, options);
}

function expectUnauthenticated(res: RpcResponse): void {
  expect({ status: res.status, text: res.text }).toEqual({ status: 401, text: UNAUTHENTICATED });
}

function expectError(res: RpcResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
}

let counter = 0;
async function createCampaign(key: string, extra: Record<string, unknown> = {}): Promise<any> {
  counter += 1;
  const res = await campaign(
    'CreateCampaign',
    { name: `auth-${counter}`, assistant_id: 'agent-a', phone_number_id: '+14155550100', timezone: 'UTC', ...extra },
    { key },
  );
  expect(res.status).toBe(200);
  return res.body;
}

async function newTenant(name: string): Promise<{ tenant_id: string; api_key: string; webhook_secret: string; name: string }> {
  const res = await admin('CreateTenant', { name });
  expect(res.status).toBe(200);
  issuedKeys.push(res.body.api_key);
  return res.body;
}

async function listIds(key: string, body: Record<string, unknown> = {}): Promise<string[]> {
  const res = await campaign('ListCampaigns', { page_size: 100, ...body }, { key });
  expect(res.status).toBe(200);
  return (res.body.campaigns as Array<{ campaign_id: string }>).map((c) => c.campaign_id);
}

// ---------------------------------------------------------------------------------------------

let keyA: string;
let keyB: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  ({ apiKey: keyA } = await createTestTenant(database.db, 'tenant-a'));
  ({ apiKey: keyB } = await createTestTenant(database.db, 'tenant-b'));
  issuedKeys.push(keyA, keyB);
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

describe('API key header forms', () => {
  const forms: Array<[string, (key: string) => string]> = [
    ['Bearer <key>', (key) => `Bearer ${key}`],
    ['bearer <key>', (key) => `bearer ${key}`],
    ['BEARER <key>', (key) => `BEARER ${key}`],
    ['Token <key>', (key) => `Token ${key}`],
    ['token <key>', (key) => `token ${key}`],
    ['<key>', (key) => key],
    ['Bearer <key> with surrounding spaces', (key) => `  Bearer   ${key}  `],
  ];
  const cases = forms.flatMap(([label, header]) => ROUTES.map((route) => [label, route, header] as const));

  it.each(cases)('%s works on the %s route', async (_label, route, header) => {
    const res = await campaign('ListCampaigns', {}, { authorization: header(keyA), route });
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('campaigns');
  });
});

describe('refused credentials answer 401 with the exact body', () => {
  const refused: Array<[string, () => RpcOptions]> = [
    ['a missing header', () => ({})],
    ['an empty header', () => ({ authorization: '' })],
    ['a bare scheme', () => ({ authorization: 'Bearer' })],
    ['a scheme and spaces', () => ({ authorization: 'Bearer   ' })],
    ['a wrong key', () => ({ key: 'outreach_not-a-real-key' })],
    ['a bare wrong key', () => ({ authorization: 'wrong' })],
    ['a truncated key', () => ({ key: keyA.slice(0, -1) })],
    ['a key with a suffix', () => ({ key: `${keyA}x` })],
    ['a key in another case', () => ({ key: keyA.toUpperCase() })],
    ['Basic with the key', () => ({ authorization: `Basic ${keyA}` })],
    ['Basic credentials', () => ({ authorization: `Basic ${Buffer.from(`${keyA}:`).toString('base64')}` })],
    ['two keys', () => ({ authorization: `Bearer ${keyA} ${keyB}` })],
    ['the admin key', () => ({ key: ADMIN_KEY })],
    ['the admin key, bare', () => ({ authorization: ADMIN_KEY })],
  ];
  const cases = refused.flatMap(([label, options]) => ROUTES.map((route) => [label, route, options] as const));

  it.each(cases)('%s on the %s route', async (_label, route, options) => {
    expectUnauthenticated(await campaign('ListCampaigns', {}, { ...options(), route }));
  });

  it('is the same on every tenant RPC', async () => {
    const id = randomUUID();
    for (const method of ['CreateCampaign', 'GetCampaign', 'UpdateCampaign', 'StartCampaign', 'PauseCampaign', 'ResumeCampaign', 'CancelCampaign']) {
      expectUnauthenticated(await campaign(method, { campaign_id: id }, { key: 'wrong' }));
    }
  });

  it('a revoked key fails on the very next request, other keys keep working', async () => {
    const tenant = await newTenant('revoked-key-tenant');
    const second = await admin('CreateApiKey', { tenant_id: tenant.tenant_id, label: 'to revoke' });
    expect(second.status).toBe(200);
    issuedKeys.push(second.body.api_key);
    for (const route of ROUTES) {
      expect((await campaign('ListCampaigns', {}, { key: second.body.api_key, route })).status).toBe(200);
    }

    const revoked = await admin('RevokeApiKey', { api_key: second.body.api_key });
    expect(revoked.status).toBe(200);
    expect(revoked.body.key_id).toBe(second.body.key_id);

    for (const route of ROUTES) {
      expectUnauthenticated(await campaign('ListCampaigns', {}, { key: second.body.api_key, route }));
      expectUnauthenticated(await campaign('ListCampaigns', {}, { authorization: `Token ${second.body.api_key}`, route }));
    }
    expect((await campaign('ListCampaigns', {}, { key: tenant.api_key })).status).toBe(200);
  });
});

describe('tenant isolation', () => {
  let draft: any;
  let running: any;
  let paused: any;

  beforeAll(async () => {
    draft = await createCampaign(keyA, { assistant_id: 'agent-of-a' });
    running = await createCampaign(keyA, { assistant_id: 'agent-of-a' });
    paused = await createCampaign(keyA, { assistant_id: 'agent-of-a' });
    expect((await campaign('StartCampaign', { campaign_id: running.campaign_id }, { key: keyA })).status).toBe(200);
    expect((await campaign('StartCampaign', { campaign_id: paused.campaign_id }, { key: keyA })).status).toBe(200);
    expect((await campaign('PauseCampaign', { campaign_id: paused.campaign_id }, { key: keyA })).status).toBe(200);
  });

  // Each RPC aims at an A campaign in a state where it would succeed for A.
  const attempts: Array<[string, () => string, Record<string, unknown>]> = [
    ['GetCampaign', () => draft.campaign_id, {}],
    ['UpdateCampaign', () => draft.campaign_id, { name: 'hijacked', max_call_attempts: 5 }],
    ['StartCampaign', () => draft.campaign_id, {}],
    ['PauseCampaign', () => running.campaign_id, {}],
    ['ResumeCampaign', () => paused.campaign_id, {}],
    ['CancelCampaign', () => running.campaign_id, {}],
  ];

  it.each(attempts)('B cannot %s an A campaign: not_found, as for an unknown id', async (method, id, extra) => {
    for (const route of ROUTES) {
      const foreign = await campaign(method, { campaign_id: id(), ...extra }, { key: keyB, route });
      const foreignUpper = await campaign(method, { campaign_id: id().toUpperCase(), ...extra }, { key: keyB, route });
      const unknown = await campaign(method, { campaign_id: randomUUID(), ...extra }, { key: keyB, route });
      const notUuid = await campaign(method, { campaign_id: 'not-a-uuid', ...extra }, { key: keyB, route });
      expectError(foreign, 404, 'not_found');
      for (const other of [foreignUpper, unknown, notUuid]) {
        expect({ status: other.status, text: other.text }).toEqual({ status: foreign.status, text: foreign.text });
      }
    }
  });

  it("leaves A's campaigns untouched", async () => {
    const states = await Promise.all(
      [draft, running, paused].map(async (c) => (await campaign('GetCampaign', { campaign_id: c.campaign_id }, { key: keyA })).body),
    );
    expect(states.map((c) => [c.name, c.status, c.max_call_attempts])).toEqual([
      [draft.name, 'DRAFT', draft.max_call_attempts],
      [running.name, 'RUNNING', running.max_call_attempts],
      [paused.name, 'PAUSED', paused.max_call_attempts],
    ]);
  });

  it("B's ListCampaigns holds only B's campaigns", async () => {
    const own = await createCampaign(keyB, { assistant_id: 'agent-of-b' });
    const aIds = [draft.campaign_id, running.campaign_id, paused.campaign_id];
    const bIds = await listIds(keyB);
    expect(bIds).toContain(own.campaign_id);
    for (const id of aIds) expect(bIds).not.toContain(id);
    expect(await listIds(keyB, { assistant_id: 'agent-of-a' })).toEqual([]);
    expect(await listIds(keyB, { status: ['RUNNING', 'PAUSED'] })).toEqual([]);
    expect(await listIds(keyA)).toEqual(expect.arrayContaining(aIds));
    expect(await listIds(keyA)).not.toContain(own.campaign_id);
  });

  it("B may use a name A already uses (names are unique per tenant)", async () => {
    const same = await campaign(
      'CreateCampaign',
      { name: draft.name, assistant_id: 'agent-of-b', phone_number_id: '+14155550100', timezone: 'UTC' },
      { key: keyB },
    );
    expect(same.status).toBe(200);
  });
});

describe('Admin', () => {
  it('CreateTenant returns an id, a key that works at once, and a webhook secret', async () => {
    const tenant = await newTenant('acme');
    expect(tenant.tenant_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(tenant.name).toBe('acme');
    expect(tenant.api_key.length).toBeGreaterThanOrEqual(32);
    expect(tenant.webhook_secret.length).toBeGreaterThanOrEqual(32);
    const list = await campaign('ListCampaigns', {}, { key: tenant.api_key });
    expect(list.status).toBe(200);
    expect(list.body.campaigns).toEqual([]);
  });

  it('a duplicate tenant name, in any case → already_exists', async () => {
    await newTenant('acme-dup');
    for (const name of ['acme-dup', 'ACME-DUP', '  acme-dup ']) {
      expectError(await admin('CreateTenant', { name }), 409, 'already_exists');
    }
  });

  it('CreateApiKey issues a second working key of the same tenant', async () => {
    const tenant = await newTenant('two-keys');
    const second = await admin('CreateApiKey', { tenant_id: tenant.tenant_id, label: 'billing service' });
    expect(second.status).toBe(200);
    issuedKeys.push(second.body.api_key);
    expect(second.body.api_key).not.toBe(tenant.api_key);
    expect(second.body.api_key.startsWith(second.body.key_prefix)).toBe(true);
    const made = await createCampaign(second.body.api_key);
    const got = await campaign('GetCampaign', { campaign_id: made.campaign_id }, { key: tenant.api_key });
    expect(got.status).toBe(200);
  });

  it.each([
    ['an unknown tenant', () => randomUUID()],
    ['a tenant id that is no UUID', () => 'tenant-x'],
  ])('CreateApiKey for %s → not_found', async (_label, tenantId) => {
    expectError(await admin('CreateApiKey', { tenant_id: tenantId() }), 404, 'not_found');
  });

  it('RevokeApiKey of an unknown key → not_found', async () => {
    expectError(await admin('RevokeApiKey', { api_key: 'outreach_never-issued' }), 404, 'not_found');
  });

  it('revoking twice keeps the first revoked_at', async () => {
    const tenant = await newTenant('revoke-twice');
    const first = await admin('RevokeApiKey', { api_key: tenant.api_key });
    expect(first.status).toBe(200);
    expect(Number.isNaN(Date.parse(first.body.revoked_at))).toBe(false);
    const again = await admin('RevokeApiKey', { api_key: tenant.api_key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expectUnauthenticated(await campaign('ListCampaigns', {}, { key: tenant.api_key }));
  });

  it('RotateWebhookSecret returns a new, different secret each time', async () => {
    const tenant = await newTenant('rotate');
    const first = await admin('RotateWebhookSecret', { tenant_id: tenant.tenant_id });
    const second = await admin('RotateWebhookSecret', { tenant_id: tenant.tenant_id });
    expect([first.status, second.status]).toEqual([200, 200]);
    const secrets = [tenant.webhook_secret, first.body.webhook_secret, second.body.webhook_secret];
    expect(new Set(secrets).size).toBe(3);
    const stored = await database.db.selectFrom('tenants').select('webhook_secret').where('id', '=', tenant.tenant_id).executeTakeFirstOrThrow();
    expect(stored.webhook_secret).toBe(second.body.webhook_secret);
  });

  it('RotateWebhookSecret of an unknown tenant → not_found', async () => {
    expectError(await admin('RotateWebhookSecret', { tenant_id: randomUUID() }), 404, 'not_found');
  });

  describe('guarded by the admin key only', () => {
    const calls: Array<[string, () => Record<string, unknown>]> = [
      ['CreateTenant', () => ({ name: `intruder-${randomUUID()}` })],
      ['CreateApiKey', () => ({ tenant_id: randomUUID() })],
      ['RevokeApiKey', () => ({ api_key: keyB })],
      ['RotateWebhookSecret', () => ({ tenant_id: randomUUID() })],
    ];

    it.each(calls)('%s with a tenant key → 403 permission_denied', async (method, body) => {
      for (const authorization of [`Bearer ${keyA}`, `Token ${keyA}`, keyA]) {
        expectError(await admin(method, body(), { authorization }), 403, 'permission_denied');
      }
    });

    it.each(calls)('%s with no, an empty or a wrong key → 401 with the exact body', async (method, body) => {
      for (const options of [{}, { authorization: '' }, { key: 'wrong' }, { key: `${ADMIN_KEY}x` }, { authorization: `Basic ${ADMIN_KEY}` }]) {
        expectUnauthenticated(await admin(method, body(), options));
      }
    });

    it('accepts the admin key in every header form', async () => {
      for (const authorization of [`Bearer ${ADMIN_KEY}`, `Token ${ADMIN_KEY}`, ADMIN_KEY]) {
        const res = await admin('RotateWebhookSecret', { tenant_id: randomUUID() }, { authorization });
        expectError(res, 404, 'not_found');
      }
    });

    it('tenant keys still work after being refused by Admin', async () => {
      expect((await campaign('ListCampaigns', {}, { key: keyB })).status).toBe(200);
    });
  });
});

describe('key storage', () => {
  it('no column of api_keys holds a plain key', async () => {
    const tenant = await newTenant('stored-hashed');
    const extra = await admin('CreateApiKey', { tenant_id: tenant.tenant_id, label: 'extra' });
    issuedKeys.push(extra.body.api_key);
    const rows = await database.db.selectFrom('api_keys').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(issuedKeys.length);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        const forms = Buffer.isBuffer(value)
          ? (['utf8', 'hex', 'base64', 'base64url'] as const).map((encoding) => value.toString(encoding))
          : [String(value)];
        for (const key of issuedKeys) {
          for (const form of forms) expect(form.includes(key)).toBe(false);
        }
      }
    }
  });
});
