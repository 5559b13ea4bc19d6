import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { CampaignInfo, CreateCampaignRequest, GetCampaignRequest } from '../generated/outreach/v1/campaign';
import type { Database } from '../server/db/database';
import { createDb } from '../server/db/pool';
import { createLogger } from '../server/logger';
import { createTestDatabase, type TestDatabase } from './support/database';
import { rpc, rpcPath } from './support/rpc';
import { createTestTenant, startTestServer, type TestServer } from './support/server';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly body: any;
}

interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** One request through `node:http`, with nothing added but framing: no Content-Type unless given. */
function send(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(request.path, baseUrl);
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method ?? 'POST', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve(toRawResponse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

function toRawResponse(status: number, headers: IncomingHttpHeaders, body: Buffer): RawResponse {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status, headers, text, body: parsed };
}

/**
 * Streams a body of up to `maxBytes` in chunks, each written once the previous one reached the
 * socket, and stops as soon as the server answers. The server may close the connection after
 * answering, so errors after the answer are expected and ignored.
 */
function sendUntilAnswered(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  maxBytes: number,
): Promise<RawResponse & { sentBytes: number }> {
  const url = new URL(path, baseUrl);
  const chunk = Buffer.alloc(16 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', headers, agent: false });
    const noAnswer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer after sending ${sentBytes} bytes`));
    }, 15_000);
    req.on('response', (res) => {
      answered = true;
      clearTimeout(noAnswer);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => undefined);
      res.on('end', () => {
        req.destroy();
        resolve({ ...toRawResponse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks)), sentBytes });
      });
    });
    req.on('error', (e) => {
      if (answered) return;
      clearTimeout(noAnswer);
      reject(e);
    });
    const pump = (): void => {
      if (answered || req.destroyed || sentBytes >= maxBytes) return;
      sentBytes += chunk.length;
      req.write(chunk, (err) => {
        if (err === undefined || err === null) pump();
      });
    };
    req.flushHeaders();
    pump();
  });
}

/** A pino logger whose JSON lines are kept for assertions. */
function capturingLogger(): { log: ReturnType<typeof createLogger>; lines: () => Array<Record<string, any>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const lines = (): Array<Record<string, any>> =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, any>);
  return { log: createLogger('info', stream), lines };
}

async function sleepUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function expectTwirpError(res: { status: number; body: any }, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(typeof res.body.msg).toBe('string');
  expect(Object.keys(res.body).every((key) => ['code', 'msg', 'meta'].includes(key))).toBe(true);
  if (res.body.meta !== undefined) {
    expect(Object.values(res.body.meta).every((value) => typeof value === 'string')).toBe(true);
  }
}

let counter = 0;
function campaignBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return { name: `http-${counter}`, assistant_id: 'agent-1', phone_number_id: '+14155550100', timezone: 'Asia/Kolkata', ...extra };
}

const CREATE = rpcPath('Campaign', 'CreateCampaign');
const GET_COMPAT = rpcPath('Campaign', 'GetCampaign', 'compat');

// ---------------------------------------------------------------------------------------------
// Set-up: one database, the main server (capturing its log), a small-body server, and a server
// whose database cannot be reached.
// ---------------------------------------------------------------------------------------------

let database: TestDatabase;
let server: TestServer;
let smallBodyServer: TestServer;
let deadDb: Kysely<Database>;
let deadDbServer: TestServer;
let logLines: () => Array<Record<string, any>>;
let apiKey: string;
let auth: Record<string, string>;

const SMALL_BODY_LIMIT = 64 * 1024;

beforeAll(async () => {
  database = await createTestDatabase();
  const captured = capturingLogger();
  logLines = captured.lines;
  server = await startTestServer(database.db, { log: captured.log });
  smallBodyServer = await startTestServer(database.db, { maxBodyBytes: SMALL_BODY_LIMIT });
  deadDb = createDb({ connectionString: 'postgres://x:y@127.0.0.1:1/db', max: 2, statementTimeoutMs: 1_000, connectTimeoutMs: 500 }).db;
  deadDbServer = await startTestServer(deadDb);
  ({ apiKey } = await createTestTenant(database.db, 'http-layer'));
  auth = { Authorization: `Bearer ${apiKey}` };
});

afterAll(async () => {
  await Promise.all([server?.close(), smallBodyServer?.close(), deadDbServer?.close()]);
  await deadDb?.destroy();
  await database?.drop();
});

// ---------------------------------------------------------------------------------------------

describe('routes', () => {
  it.each(['twirp', 'compat'] as const)('creates via %s and reads back via the other route', async (route) => {
    const other = route === 'twirp' ? 'compat' : 'twirp';
    const created = await rpc(server.url, 'Campaign', 'CreateCampaign', campaignBody(), { key: apiKey, route });
    expect(created.status).toBe(200);
    const got = await rpc(server.url, 'Campaign', 'GetCampaign', { campaign_id: created.body.campaign_id }, { key: apiKey, route: other });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
  });

  it.each([
    ['unknown method', '/twirp/outreach.v1.Campaign/Nope'],
    ['method in the wrong case', '/twirp/outreach.v1.Campaign/createCampaign'],
    ['unknown service', '/twirp/outreach.v1.Nope/CreateCampaign'],
    ['wrong package', '/twirp/outreach.v2.Campaign/CreateCampaign'],
    ['no package on the twirp prefix', '/twirp/Campaign/CreateCampaign'],
    ['package on the compat prefix', '/api/v1/outreach.v1.Campaign/CreateCampaign'],
    ['wrong compat version', '/api/v2/Campaign/CreateCampaign'],
    ['unknown compat method', '/api/v1/Campaign/Nope'],
    ['extra trailing segment', '/twirp/outreach.v1.Campaign/CreateCampaign/extra'],
    ['extra leading segment', '/x/twirp/outreach.v1.Campaign/CreateCampaign'],
    ['extra compat segment', '/api/v1/Campaign/CreateCampaign/extra'],
    ['trailing slash', '/twirp/outreach.v1.Campaign/CreateCampaign/'],
    ['no method', '/twirp/outreach.v1.Campaign'],
    ['root', '/'],
  ])('%s → 404 bad_route', async (_label, path) => {
    const res = await send(server.url, { path, headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
    expectTwirpError(res, 404, 'bad_route');
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s on an RPC path → 404 bad_route', async (method) => {
    for (const path of [CREATE, rpcPath('Campaign', 'CreateCampaign', 'compat')]) {
      const body = method === 'GET' ? undefined : JSON.stringify(campaignBody());
      const res = await send(server.url, { method, path, headers: { ...auth, 'Content-Type': 'application/json' }, body });
      expectTwirpError(res, 404, 'bad_route');
    }
  });

  it.each([CREATE, rpcPath('Campaign', 'CreateCampaign', 'compat')])('ignores a query string on %s', async (path) => {
    const created = await send(server.url, {
      path: `${path}?x=1&y=two`,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(campaignBody()),
    });
    expect(created.status).toBe(200);
    const got = await send(server.url, {
      path: `${GET_COMPAT}?x=1`,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ campaign_id: created.body.campaign_id }),
    });
    expect(got.status).toBe(200);
    expect(got.body.campaign_id).toBe(created.body.campaign_id);
  });
});

describe('content types', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON', ' application/json ;charset=UTF-8'])(
    'accepts %j',
    async (contentType) => {
      const res = await send(server.url, { path: CREATE, headers: { ...auth, 'Content-Type': contentType }, body: JSON.stringify(campaignBody()) });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.status).toBe('DRAFT');
    },
  );

  it.each([
    ['twirp', 'application/protobuf'],
    ['compat', 'application/protobuf'],
    ['twirp', 'Application/Protobuf; proto=outreach.v1.CreateCampaignRequest'],
  ] as const)('speaks protobuf on the %s route (%s)', async (route, contentType) => {
    const request = CreateCampaignRequest.create({ name: `proto-${route}-${counter++}`, assistantId: 'agent-p', phoneNumberId: '+14155550101', timezone: 'Europe/Berlin' });
    const path = rpcPath('Campaign', 'CreateCampaign', route);
    const created = await rawProtobuf(path, CreateCampaignRequest.toBinary(request), contentType);
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/protobuf');
    const info = CampaignInfo.fromBinary(created.bytes);
    expect(info).toMatchObject({ name: request.name, assistantId: 'agent-p', timezone: 'Europe/Berlin' });
    const other = route === 'twirp' ? 'compat' : 'twirp';
    const got = await rawProtobuf(rpcPath('Campaign', 'GetCampaign', other), GetCampaignRequest.toBinary({ campaignId: info.campaignId }), 'application/protobuf');
    expect(CampaignInfo.fromBinary(got.bytes)).toEqual(info);
  });

  async function rawProtobuf(path: string, body: Uint8Array, contentType: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
    const res = await fetch(server.url + path, { method: 'POST', headers: { ...auth, 'Content-Type': contentType }, body });
    return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  it.each([
    ['text/plain', 'text/plain'],
    ['form', 'application/x-www-form-urlencoded'],
    ['a json-like type', 'application/jsonx'],
    ['a json suffix type', 'application/vnd.api+json'],
    ['missing', undefined],
  ])('Content-Type %s → 404 bad_route', async (_label, contentType) => {
    const headers: Record<string, string> = { ...auth };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    const res = await send(server.url, { path: CREATE, headers, body: JSON.stringify(campaignBody()) });
    expectTwirpError(res, 404, 'bad_route');
  });
});

describe('request bodies', () => {
  const post = (body: string | Uint8Array, contentType = 'application/json'): Promise<RawResponse> =>
    send(server.url, { path: CREATE, headers: { ...auth, 'Content-Type': contentType }, body });

  it.each(['', '   ', '\n'])('an empty JSON body %j → 400 malformed', async (body) => {
    expectTwirpError(await post(body), 400, 'malformed');
  });

  it('an empty protobuf body is an empty message: the handler validates it', async () => {
    const res = await post(new Uint8Array(0), 'application/protobuf');
    expectTwirpError(res, 400, 'invalid_argument');
    expect(res.body.meta.argument).toBe('name');
  });

  it.each([
    ['broken JSON', '{"name": '],
    ['a trailing comma', '{"name": "x",}'],
    ['a JSON array', '[]'],
    ['an array of objects', '[{"name": "x"}]'],
    ['null', 'null'],
    ['a string', '"hello"'],
    ['a number', '42'],
    ['true', 'true'],
  ])('%s → 400 malformed without meta.cause', async (_label, body) => {
    const res = await post(body);
    expectTwirpError(res, 400, 'malformed');
    expect(res.body.meta?.cause).toBeUndefined();
    expect(res.text).not.toMatch(/Unexpected token|SyntaxError|at position|\bat \S+:\d+/);
  });

  it('garbage protobuf → 400 malformed without meta.cause', async () => {
    const res = await post(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 'application/protobuf');
    expectTwirpError(res, 400, 'malformed');
    expect(res.body.meta?.cause).toBeUndefined();
  });

  it.each([
    ['a number for a string', { name: 5 }, 'name'],
    ['an object for a string', { assistant_id: { id: 1 } }, 'assistant_id'],
    ['a word for an integer', { max_call_attempts: 'x' }, 'max_call_attempts'],
    ['a fraction for an integer', { max_call_attempts: 1.5 }, 'max_call_attempts'],
    ['an integer beyond int32', { max_call_attempts: 2147483648 }, 'max_call_attempts'],
    ['an integer below int32', { ring_duration_seconds: -2147483649 }, 'ring_duration_seconds'],
    ['a boolean for an integer', { max_concurrent_calls: true }, 'max_concurrent_calls'],
    ['a string for a bool', { consider_voicemail_as_answered: 'yes' }, 'consider_voicemail_as_answered'],
    ['an unknown enum word', { trigger: 'BULKK' }, 'trigger'],
    ['an enum word in the wrong case', { dialer_type: 'single' }, 'dialer_type'],
    ['an unknown enum number', { start_logic: 99 }, 'start_logic'],
    ['an unknown day', { days_of_week: ['FUNDAY'] }, 'days_of_week[0]'],
    ['an unknown day later in the list', { days_of_week: ['MONDAY', 'FUNDAY'] }, 'days_of_week[1]'],
    ['a scalar for a list', { days_of_week: 'MONDAY' }, 'days_of_week'],
    ['a number in a string list', { phone_number_pool: ['+14155550100', 7] }, 'phone_number_pool[1]'],
    ['an unknown retry scenario', { retry_scenarios: ['BUSY', 'ANGRY'] }, 'retry_scenarios[1]'],
    ['a word as a map value', { retry_delays: { BUSY: 'soon' } }, 'retry_delays.BUSY'],
    ['a list for a map', { retry_delays: [5] }, 'retry_delays'],
    ['a camelCase name, as sent', { maxCallAttempts: 'x' }, 'maxCallAttempts'],
  ])('%s → 400 invalid_argument naming the field', async (_label, fields, argument) => {
    const res = await post(JSON.stringify(campaignBody(fields)));
    expectTwirpError(res, 400, 'invalid_argument');
    expect(res.body.meta).toEqual({ argument });
    expect(res.body.msg).toContain(argument);
  });

  it('ignores unknown fields, nested or not', async () => {
    const res = await post(
      JSON.stringify(campaignBody({ campaign_type: 'OUTBOUND', unknown_number: 5, unknown: { nested: [1, 2, { a: null }] }, language: 'en' })),
    );
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('unknown');
  });
});

describe(`the body cap (${SMALL_BODY_LIMIT} bytes)`, () => {
  it('accepts a body just under the cap', async () => {
    const body = JSON.stringify(campaignBody({ padding: 'p'.repeat(SMALL_BODY_LIMIT - 300) }));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(SMALL_BODY_LIMIT);
    const res = await send(smallBodyServer.url, { path: CREATE, headers: { ...auth, 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(200);
  });

  it('refuses a declared Content-Length over the cap before the body is sent', async () => {
    const declared = 10 * 1024 * 1024;
    const headers = { ...auth, 'Content-Type': 'application/json', 'Content-Length': String(declared) };
    // Only the first chunk is sent: an answer proves the server did not wait for the rest.
    const res = await sendUntilAnswered(smallBodyServer.url, CREATE, headers, 16 * 1024);
    expectTwirpError(res, 400, 'malformed');
    expect(res.body.meta).toEqual({ limit_bytes: String(SMALL_BODY_LIMIT) });
    expect(res.sentBytes).toBeLessThan(declared);
  });

  it('refuses a chunked body as soon as it grows past the cap', async () => {
    // Far more than kernel socket buffers absorb: an answer before the end proves an early refusal.
    const attempted = 256 * 1024 * 1024;
    const res = await sendUntilAnswered(smallBodyServer.url, CREATE, { ...auth, 'Content-Type': 'application/json' }, attempted);
    expectTwirpError(res, 400, 'malformed');
    expect(res.body.meta).toEqual({ limit_bytes: String(SMALL_BODY_LIMIT) });
    expect(res.sentBytes).toBeLessThan(attempted / 4);
  });

  it('keeps serving after refusing', async () => {
    const res = await rpc(smallBodyServer.url, 'Campaign', 'CreateCampaign', campaignBody(), { key: apiKey });
    expect(res.status).toBe(200);
  });
});

describe('request ids', () => {
  const ID_HEADER = 'x-request-id';

  it.each([
    ['a successful RPC', { path: CREATE, headers: { 'Content-Type': 'application/json' }, body: '{"name":"rid","assistant_id":"a","phone_number_id":"+14155550100","timezone":"UTC"}', withKey: true }],
    ['an RPC error', { path: CREATE, headers: { 'Content-Type': 'application/json' }, body: '{}', withKey: true }],
    ['a bad route', { path: '/twirp/outreach.v1.Campaign/Nope', headers: { 'Content-Type': 'application/json' }, body: '{}', withKey: true }],
    ['an unauthenticated call', { path: CREATE, headers: { 'Content-Type': 'application/json' }, body: '{}', withKey: false }],
    ['/healthz', { method: 'GET', path: '/healthz', headers: {}, withKey: false }],
    ['/readyz', { method: 'GET', path: '/readyz', headers: {}, withKey: false }],
  ])('is set on %s', async (_label, { withKey, ...request }) => {
    const res = await send(server.url, { ...request, headers: { ...request.headers, ...(withKey ? auth : {}) } });
    expect(res.headers[ID_HEADER]).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });

  it('differs between requests', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await send(server.url, { method: 'GET', path: '/healthz' })).headers[ID_HEADER]));
    expect(new Set(ids).size).toBe(3);
  });

  it('echoes a valid incoming id', async () => {
    const res = await send(server.url, { method: 'GET', path: '/healthz', headers: { 'X-Request-Id': 'client-req_42.a:b' } });
    expect(res.headers[ID_HEADER]).toBe('client-req_42.a:b');
  });

  it.each([
    ['with spaces', 'a b c'],
    ['too long', 'x'.repeat(300)],
    ['with markup', '<script>alert(1)</script>'],
    ['with quotes and semicolons', '"id";drop'],
    ['empty', ''],
  ])('replaces a junk incoming id (%s)', async (_label, junk) => {
    const res = await send(server.url, { method: 'GET', path: '/healthz', headers: { 'X-Request-Id': junk } });
    const id = res.headers[ID_HEADER];
    expect(id).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(id).not.toBe(junk);
  });
});

describe('health', () => {
  it('GET /healthz → 200', async () => {
    expect((await send(server.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
  });

  it('GET /readyz → 200 with the database up', async () => {
    expect((await send(server.url, { method: 'GET', path: '/readyz' })).status).toBe(200);
  });

  it('GET /readyz → 503 when the database is unreachable, /healthz still 200', async () => {
    expect((await send(deadDbServer.url, { method: 'GET', path: '/readyz' })).status).toBe(503);
    expect((await send(deadDbServer.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
  });
});

describe('unexpected failures do not leak', () => {
  const LEAKS = ['campaigns_gone', 'relation', 'SELECT', 'select', 'insert', 'at ', '.ts:', '.js:', 'Error', 'postgres', 'ECONNREFUSED', '127.0.0.1'];

  it.each([
    ['CreateCampaign', () => campaignBody()],
    ['GetCampaign', () => ({ campaign_id: randomUUID() })],
    ['ListCampaigns', () => ({})],
    ['StartCampaign', () => ({ campaign_id: randomUUID() })],
  ])('the unreachable database answers %s with 503 unavailable and a generic message', async (method, body) => {
    const res = await rpc(deadDbServer.url, 'Campaign', method, body(), { key: apiKey });
    expectTwirpError(res, 503, 'unavailable');
    expect(res.body.meta).toBeUndefined();
    for (const leak of LEAKS) expect(res.text).not.toContain(leak);
  });

  describe('with the campaigns table gone', () => {
    beforeAll(async () => {
      await sql`alter table campaigns rename to campaigns_gone`.execute(database.db);
    });
    afterAll(async () => {
      await sql`alter table campaigns_gone rename to campaigns`.execute(database.db);
    });

    it.each([
      ['CreateCampaign', () => campaignBody()],
      ['GetCampaign', () => ({ campaign_id: randomUUID() })],
      ['ListCampaigns', () => ({})],
    ])('%s → 500 internal, the cause only in the log under the request id', async (method, body) => {
      for (const route of ['twirp', 'compat'] as const) {
        const res = await rpc(server.url, 'Campaign', method, body(), { key: apiKey, route });
        expect(res.status).toBe(500);
        expect(res.text).toBe('{"code":"internal","msg":"internal error"}');
        for (const leak of LEAKS) expect(res.text).not.toContain(leak);

        const requestId = res.headers.get('x-request-id');
        expect(requestId).toBeTruthy();
        const causeLogged = (): boolean =>
          logLines().some((line) => line.req_id === requestId && line.level >= 50 && /relation "campaigns" does not exist/.test(line.err?.message));
        await sleepUntil(causeLogged);
        expect(logLines().some((line) => line.req_id === requestId && line.status === 500)).toBe(true);
      }
    });
  });
});
