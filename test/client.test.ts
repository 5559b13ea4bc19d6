import { promises as fs } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ts from 'typescript';
import * as outreachClient from '../clients/typescript';
import {
  CampaignInfo_Status,
  CampaignInfo_Trigger,
  createOutreachClient,
  OutreachError,
  SendMessageResponse,
  type OutreachClientOptions,
} from '../clients/typescript';
import { retryAfterMs, retryDelayMs } from '../clients/typescript/src/retry-policy';
import { useHarness } from './support/harness';
import { ADMIN_KEY, startTestServer, type TestServer } from './support/server';

/**
 * `@outreach/client` against the real server in both formats, and against small loopback servers
 * for what the real one will not do on demand: hang, fail twice, answer as a proxy would.
 */
const h = useHarness('typescript-client');
const formats = ['json', 'protobuf'] as const;

function client(options: Partial<OutreachClientOptions> = {}) {
  return createOutreachClient({ baseUrl: h.url, apiKey: h.apiKey, retryBaseDelayMs: 1, ...options });
}

async function failure(promise: Promise<unknown>): Promise<OutreachError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(OutreachError);
  return outcome as OutreachError;
}

describe.each(formats)('over %s, against the real server', (format) => {
  it('creates and starts a campaign, sends a message, adds recipients and reads the stats', async () => {
    const outreach = client({ format });
    const campaign = await outreach.campaign.CreateCampaign({
      name: `client ${format}`,
      trigger: CampaignInfo_Trigger.API,
      assistantId: 'asst_1',
      phoneNumberId: '918123002929',
      timezone: 'Asia/Kolkata',
    });
    expect(campaign.phoneNumberId).toBe('+918123002929');
    const started = await outreach.campaign.StartCampaign({ campaignId: campaign.campaignId });
    expect(started.status).toBe(CampaignInfo_Status.RUNNING);

    const sent = await outreach.campaign.SendMessage({ campaignId: campaign.campaignId, to: { phoneNumber: '14155550101' }, externalId: 'order-1' });
    const again = await outreach.campaign.SendMessage({ campaignId: campaign.campaignId, to: { phoneNumber: '14155550101' }, externalId: 'order-1' });
    expect(again).toMatchObject({ messageId: sent.messageId, replayed: true });

    const added = await outreach.campaign.AddRecipients({
      campaignId: campaign.campaignId,
      recipients: [{ phoneNumber: '+14155550102' }, { phoneNumber: '14155550103', variables: { name: 'Asha' } }, { phoneNumber: 'not a number' }],
    });
    expect(added).toMatchObject({ accepted: 2, skippedInvalid: 1, skippedDuplicate: 0 });

    const stats = await outreach.campaign.GetCampaignStats({ campaignId: campaign.campaignId });
    expect(stats).toMatchObject({ campaignId: campaign.campaignId, total: 3, queued: 3 });
  });

  it('surfaces a Twirp error as OutreachError with code, msg, meta, status and request id', async () => {
    const request = { name: 'x', assistantId: 'a', phoneNumberId: '+14155550100', timezone: 'Nowhere/Land' };
    const e = await failure(client({ format }).campaign.CreateCampaign(request));
    expect(e).toMatchObject({ code: 'invalid_argument', meta: { argument: 'timezone' }, status: 400 });
    expect(e.msg).toMatch(/timezone/);
    expect(e.message).toBe(e.msg);
    expect(e.requestId).toMatch(/\S/);

    const wrongKey = await failure(client({ format, apiKey: 'nope' }).campaign.ListCampaigns({}));
    expect(wrongKey).toMatchObject({ code: 'unauthenticated', msg: 'Authentication required', status: 401 });
  });

  it('calls Admin with the admin key, and the new tenant key works', async () => {
    const tenant = await client({ format, apiKey: ADMIN_KEY }).admin.CreateTenant({ name: `tenant over ${format}` });
    const listed = await client({ format, apiKey: tenant.apiKey }).campaign.ListCampaigns({ pageSize: 5 });
    expect(listed.campaigns).toEqual([]);
    expect((await failure(client({ format }).admin.CreateTenant({ name: 'not with a tenant key' }))).code).toBe('permission_denied');
  });
});

it('runs the README usage example as written against the real server', async () => {
  const readme = await fs.readFile(path.resolve(__dirname, '../clients/typescript/README.md'), 'utf8');
  const example = /## Usage\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const { outputText } = ts.transpileModule(example, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  // Run in-process as the body of an async function (the example awaits at top level), with the
  // package, the environment and console.log it uses handed in.
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...params: string[]
  ) => (...args: unknown[]) => Promise<void>;
  const printed: string[] = [];
  const run = new AsyncFunction('exports', 'require', 'process', 'console', outputText);
  await run(
    {},
    (name: string) => (name === '@outreach/client' ? outreachClient : undefined),
    { env: { OUTREACH_URL: h.url, OUTREACH_API_KEY: h.apiKey } },
    { log: (...args: unknown[]) => printed.push(args.join(' ')) },
  );
  expect(printed).toEqual([expect.stringMatching(/^[0-9a-f-]{36} false$/), '0/1 done']);
});

describe('rate limits on the real server', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer(h.db, { rateLimit: { perSecond: 5, burst: 1 } });
  });
  afterAll(() => limited.close());

  it('waits at least meta.retry_after_ms after a 429, even for a SendMessage without external_id', async () => {
    const campaign = await client().campaign.CreateCampaign({ name: 'limited', assistantId: 'a', phoneNumberId: '+14155550100', timezone: 'UTC' });
    const seen: { status: number; at: number; retryAfterMs?: number }[] = [];
    const observed: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = response.status === 429 ? ((await response.clone().json()) as { meta: Record<string, string> }) : undefined;
      seen.push({ status: response.status, at: Date.now(), retryAfterMs: body === undefined ? undefined : Number(body.meta.retry_after_ms) });
      return response;
    };
    const outreach = client({ baseUrl: limited.url, fetch: observed });
    await outreach.campaign.GetCampaign({ campaignId: campaign.campaignId });
    const sent = await outreach.campaign.SendMessage({ campaignId: campaign.campaignId, to: { phoneNumber: '+14155550104' } });
    expect(sent.messageId).toMatch(/\S/);
    const refused = seen.findIndex((s) => s.status === 429);
    expect(refused).toBeGreaterThan(0);
    const [before, after] = [seen[refused], seen[refused + 1]];
    expect(after?.status).toBe(200);
    expect(before?.retryAfterMs).toBeGreaterThan(0);
    expect(after!.at - before!.at).toBeGreaterThanOrEqual(before!.retryAfterMs!);

    const noRetry = await failure(client({ baseUrl: limited.url, maxRetries: 0 }).campaign.ListCampaigns({}));
    expect(noRetry).toMatchObject({ code: 'resource_exhausted', status: 429 });
    expect(Number(noRetry.meta.retry_after_ms)).toBeGreaterThan(0);
  });
});

/** A loopback HTTP server that answers each request as `answer` says, or never (`'hang'`). */
interface FakeAnswer {
  status: number;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}
interface Fake {
  readonly url: string;
  readonly requests: { path: string; headers: IncomingHttpHeaders; body: Buffer }[];
  close(): Promise<void>;
}
const fakes: Server[] = [];

async function fake(answer: (n: number, contentType: string) => FakeAnswer | 'hang'): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const reply = answer(requests.length, req.headers['content-type'] ?? '');
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers ?? { 'content-type': 'application/json' }).end(reply.body ?? '');
    });
  });
  fakes.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close };
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))));
});

const unavailable: FakeAnswer = { status: 503, body: '{"code":"unavailable","msg":"x"}' };
function sendMessageOk(contentType: string): FakeAnswer {
  const message = SendMessageResponse.create({ messageId: 'm-1' });
  return contentType === 'application/protobuf'
    ? { status: 200, body: SendMessageResponse.toBinary(message), headers: { 'content-type': 'application/protobuf' } }
    : { status: 200, body: JSON.stringify(SendMessageResponse.toJson(message, { useProtoFieldName: true })) };
}

describe.each(formats)('retries over %s', (format) => {
  it('retries unavailable twice, then returns the answer, with the same request each time', async () => {
    const server = await fake((n, type) => (n <= 2 ? unavailable : sendMessageOk(type)));
    const sent = await client({ baseUrl: server.url, format }).campaign.SendMessage({ campaignId: 'c', to: { phoneNumber: '1' }, externalId: 'e-1' });
    expect(sent.messageId).toBe('m-1');
    expect(server.requests).toHaveLength(3);
    const [first] = server.requests;
    expect(first?.path).toBe('/twirp/outreach.v1.Campaign/SendMessage');
    expect(first?.headers).toMatchObject({ authorization: `Bearer ${h.apiKey}`, 'content-type': `application/${format}` });
    expect(first?.headers['user-agent']).toMatch(/^outreach-client-ts\//);
    expect(new Set(server.requests.map((r) => r.body.toString('hex'))).size).toBe(1);
  });

  it('does not retry a SendMessage without external_id, nor AddRecipients with a row without one', async () => {
    const server = await fake(() => unavailable);
    const outreach = client({ baseUrl: server.url, format });
    const e = await failure(outreach.campaign.SendMessage({ campaignId: 'c', to: { phoneNumber: '1' } }));
    expect(e).toMatchObject({ code: 'unavailable', msg: 'x', status: 503 });
    expect(server.requests).toHaveLength(1);
    await failure(outreach.campaign.AddRecipients({ campaignId: 'c', recipients: [{ phoneNumber: '1', externalId: 'a' }, { phoneNumber: '2' }] }));
    expect(server.requests).toHaveLength(2);
    await failure(outreach.campaign.AddRecipients({ campaignId: 'c', recipients: [{ phoneNumber: '1', externalId: 'a' }, { phoneNumber: '2', externalId: 'b' }] }));
    expect(server.requests).toHaveLength(2 + 4);
  });
});

describe('retries, against loopback servers', () => {
  it('gives up after maxRetries and never retries other codes', async () => {
    const down = await fake(() => unavailable);
    expect((await failure(client({ baseUrl: down.url, maxRetries: 2 }).campaign.GetCampaign({ campaignId: 'c' }))).code).toBe('unavailable');
    expect(down.requests).toHaveLength(3);

    const broken = await fake(() => ({ status: 500, body: '{"code":"internal","msg":"internal error"}' }));
    expect((await failure(client({ baseUrl: broken.url }).campaign.GetCampaign({ campaignId: 'c' }))).code).toBe('internal');
    expect(broken.requests).toHaveLength(1);
  });

  it('maps what an intermediary sends by HTTP status, as Twirp clients do, and retries a 502', async () => {
    const proxy = await fake(() => ({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } }));
    const e = await failure(client({ baseUrl: proxy.url, maxRetries: 1 }).campaign.GetCampaign({ campaignId: 'c' }));
    expect(e).toMatchObject({ code: 'unavailable', status: 502, meta: { http_error_from_intermediary: 'true', status_code: '502', body: '<html>Bad Gateway</html>' } });
    expect(proxy.requests).toHaveLength(2);

    const missing = await fake(() => ({ status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } }));
    expect(await failure(client({ baseUrl: missing.url }).campaign.GetCampaign({ campaignId: 'c' }))).toMatchObject({ code: 'bad_route', status: 404 });
    expect(missing.requests).toHaveLength(1);

    const moved = await fake(() => ({ status: 302, headers: { location: 'https://elsewhere.example/' } }));
    const redirect = await failure(client({ baseUrl: moved.url }).campaign.GetCampaign({ campaignId: 'c' }));
    expect(redirect).toMatchObject({ code: 'internal', status: 302, meta: { location: 'https://elsewhere.example/' } });
  });

  it('turns a network error into unavailable with its cause, and retries a refused connection even without external_id', async () => {
    const gone = await fake(() => unavailable);
    await gone.close();
    let attempts = 0;
    const counting: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const e = await failure(client({ baseUrl: gone.url, fetch: counting, maxRetries: 2 }).campaign.SendMessage({ campaignId: 'c' }));
    expect(e).toMatchObject({ code: 'unavailable', status: undefined, msg: 'network error: the request to the server failed' });
    expect(e.cause).toHaveProperty('message', 'fetch failed');
    expect(attempts).toBe(3);
  });
});

describe('deadlines and cancellation', () => {
  it('ends a call past its deadline with deadline_exceeded, the client default or the call own', async () => {
    const silent = await fake(() => 'hang');
    const started = Date.now();
    const e = await failure(client({ baseUrl: silent.url, timeoutMs: 150 }).campaign.GetCampaign({ campaignId: 'c' }));
    expect(e).toMatchObject({ code: 'deadline_exceeded', status: undefined });
    const perCall = await failure(client({ baseUrl: silent.url }).campaign.GetCampaign({ campaignId: 'c' }, { timeoutMs: 100 }));
    expect(perCall.code).toBe('deadline_exceeded');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(silent.requests).toHaveLength(2);
  });

  it('ends a call with canceled when the caller aborts, before or during the request', async () => {
    const silent = await fake(() => 'hang');
    const controller = new AbortController();
    const call = client({ baseUrl: silent.url }).campaign.GetCampaign({ campaignId: 'c' }, { signal: controller.signal });
    while (silent.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await failure(call)).toMatchObject({ code: 'canceled', status: undefined });

    const early = await failure(client({ baseUrl: silent.url }).campaign.GetCampaign({ campaignId: 'c' }, { signal: controller.signal }));
    expect(early.code).toBe('canceled');
    expect(silent.requests).toHaveLength(1);

    const timedOut = await failure(client({ baseUrl: silent.url }).campaign.GetCampaign({ campaignId: 'c' }, { signal: AbortSignal.timeout(50) }));
    expect(timedOut.code).toBe('deadline_exceeded');
  });

  it('ends a backoff wait at once when the caller aborts, and skips a wait that would outlast the deadline', async () => {
    const slowDown = await fake(() => ({ status: 503, body: '{"code":"unavailable","msg":"x","meta":{"retry_after_ms":"60000"}}' }));
    let answered: Response | undefined;
    const observed: typeof fetch = async (input, init) => (answered = await fetch(input, init));
    const controller = new AbortController();
    const started = Date.now();
    const call = client({ baseUrl: slowDown.url, fetch: observed }).campaign.GetCampaign({ campaignId: 'c' }, { signal: controller.signal });
    // Once the client has read the 503 it is in its (5 s, capped) wait.
    while (answered?.bodyUsed !== true) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await failure(call)).code).toBe('canceled');
    expect(slowDown.requests).toHaveLength(1);

    const e = await failure(client({ baseUrl: slowDown.url, timeoutMs: 2_000 }).campaign.GetCampaign({ campaignId: 'c' }));
    expect(e).toMatchObject({ code: 'unavailable', meta: { retry_after_ms: '60000' } });
    expect(slowDown.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('the retry policy', () => {
  const settings = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 5_000 };
  const err = (code: 'unavailable' | 'internal', meta: Record<string, string> = {}) => new OutreachError(code, 'x', meta);

  it.each([
    ['full jitter under the doubling ceiling', { error: err('unavailable'), notProcessed: false }, 2, true, 0.5, 200],
    ['the server hint when longer', { error: err('unavailable'), retryAfterMs: 700, notProcessed: false }, 0, true, 0.5, 700],
    ['capped at 5 s', { error: err('unavailable'), retryAfterMs: 60_000, notProcessed: false }, 0, true, 0.5, 5_000],
    ['none past maxRetries', { error: err('unavailable'), notProcessed: false }, 3, true, 0.5, undefined],
    ['none for other codes', { error: err('internal'), notProcessed: false }, 0, true, 0.5, undefined],
    ['none for an unsafe call that may have run', { error: err('unavailable'), notProcessed: false }, 0, false, 0.5, undefined],
    ['a wait for an unsafe call that did not run', { error: err('unavailable'), notProcessed: true }, 0, false, 1, 100],
  ])('%s', (_label, failed, attempt, replaySafe, random, expected) => {
    expect(retryDelayMs(failed, attempt, replaySafe, settings, () => random)).toBe(expected);
  });

  it('reads the hint from meta.retry_after_ms, else Retry-After in seconds or as a date', () => {
    expect(retryAfterMs(err('unavailable', { retry_after_ms: '250' }), new Headers({ 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(err('unavailable'), new Headers({ 'retry-after': '2' }))).toBe(2_000);
    const now = Date.parse('2027-01-04T10:00:00Z');
    expect(retryAfterMs(err('unavailable'), new Headers({ 'retry-after': 'Mon, 04 Jan 2027 10:00:03 GMT' }), now)).toBe(3_000);
    expect(retryAfterMs(err('unavailable'), new Headers())).toBeUndefined();
  });
});
