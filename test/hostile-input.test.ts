import fc from 'fast-check';
import { sql } from 'kysely';
import type { ServiceType } from '@protobuf-ts/runtime-rpc';
import { Admin } from '../generated/outreach/v1/admin';
import { BusinessHours } from '../generated/outreach/v1/business_hours';
import { CallEvents } from '../generated/outreach/v1/call_events';
import { Campaign } from '../generated/outreach/v1/campaign';
import { DoNotCall } from '../generated/outreach/v1/do_not_call';
import { Webhooks } from '../generated/outreach/v1/webhooks';
import { callOk, campaignCaller, createOk, minimalCampaign } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { ADMIN_KEY } from './support/server';

/**
 * Property-based hostile input: every RPC of every service, on both routes, with generated bodies —
 * arbitrary JSON, the method's own fields with values of any type, truncated JSON, `__proto__` and
 * `constructor` keys, NUL and non-BMP characters, long strings, deep nesting — and odd headers.
 * The service must never answer 5xx, never crash, never let internal text through, and never
 * write part of a request it refused.
 */
jest.setTimeout(120_000);
const h = useHarness('hostile');

const SERVICES: readonly { service: ServiceType; name: string; admin: boolean }[] = [
  { service: Campaign, name: 'Campaign', admin: false },
  { service: DoNotCall, name: 'DoNotCall', admin: false },
  { service: BusinessHours, name: 'BusinessHours', admin: false },
  { service: CallEvents, name: 'CallEvents', admin: false },
  { service: Webhooks, name: 'Webhooks', admin: false },
  { service: Admin, name: 'Admin', admin: true },
];

const METHODS = SERVICES.flatMap(({ service, name, admin }) =>
  service.methods.map((m) => ({ service: name, method: m.name, admin, fields: m.I.fields.flatMap((f) => [f.jsonName, f.name]) })),
);

const TWIRP_CODES = new Set([
  'canceled', 'unknown', 'invalid_argument', 'malformed', 'deadline_exceeded', 'not_found', 'bad_route', 'already_exists',
  'permission_denied', 'unauthenticated', 'resource_exhausted', 'failed_precondition', 'aborted', 'out_of_range', 'unimplemented',
  'unavailable',
]);

/** What an answer must never carry: stack frames, SQL, driver or runtime error names. */
const INTERNAL = /\bat \S+ \(|\bselect\b.*\bfrom\b|\binsert into\b|\bkysely\b|pg-protocol|TypeError|ReferenceError|SyntaxError|node_modules|\.ts:\d+/i;

/** Strings that have broken parsers: NUL, lone and paired surrogates, prototype keys, huge ones. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff', '😀', '__proto__', 'constructor', 'prototype', '{"a":1}', 'null', '-1e309'),
  fc.string({ minLength: 5_000, maxLength: 70_000 }),
);
const nastyKey = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', '\u0000', 'toString'));
const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.double(),
    fc.integer(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e21, 2 ** 63),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A body built from the method's own field names, each with a value of any type. */
const fieldBody = (fields: readonly string[]) =>
  fields.length === 0 ? fc.constant({}) : fc.dictionary(fc.constantFrom(...fields), nastyValue, { maxKeys: fields.length });

/** Deep nesting, past what a recursive decoder survives. */
const deep = fc.integer({ min: 500, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));

async function post(service: string, method: string, body: string, headers: Record<string, string>, route: 'twirp' | 'api'): Promise<{ status: number; text: string }> {
  const path = route === 'twirp' ? `/twirp/outreach.v1.${service}/${method}` : `/api/v1/${service}/${method}`;
  const res = await fetch(h.url + path, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

function expectWellBehaved(answer: { status: number; text: string }, what: unknown): void {
  const context = { what, status: answer.status, text: answer.text.slice(0, 300) };
  expect({ ...context, serverError: answer.status >= 500 }).toEqual({ ...context, serverError: false });
  // A 200 answers in the request's encoding: an empty protobuf message is zero bytes, not JSON.
  // Errors are Twirp JSON whatever the request's encoding.
  if (answer.status !== 200) {
    const parsed = JSON.parse(answer.text) as { code?: string; msg?: string };
    expect({ ...context, known: TWIRP_CODES.has(parsed.code ?? '') }).toEqual({ ...context, known: true });
  }
  expect({ ...context, internal: INTERNAL.test(answer.status === 200 ? '' : answer.text) }).toEqual({ ...context, internal: false });
}

let campaignId: string;
const countMessages = async (): Promise<number> =>
  (await sql<{ n: number }>`select count(*)::int as n from messages`.execute(h.db)).rows[0]!.n;

beforeAll(async () => {
  const call = campaignCaller(h.url, h.apiKey);
  campaignId = (await createOk(call, minimalCampaign('hostile', { timezone: 'UTC' }))).campaign_id as string;
  await callOk(call, 'StartCampaign', { campaign_id: campaignId });
});

const method = fc.constantFrom(...METHODS);
const route = fc.constantFrom<'twirp' | 'api'>('twirp', 'api');
const auth = (admin: boolean) => `Bearer ${admin ? ADMIN_KEY : h.apiKey}`;

it('answers any JSON body of the method’s own fields, with values of any type, without a 5xx or internal text', async () => {
  await fc.assert(
    fc.asyncProperty(
      method.chain((m) => fc.tuple(fc.constant(m), fieldBody(m.fields), route, fc.boolean())),
      async ([m, body, r, withCampaign]) => {
        const payload = withCampaign && m.service === 'Campaign' ? { campaign_id: campaignId, CampaignID: campaignId, ...body } : body;
        const before = await countMessages();
        const answer = await post(m.service, m.method, JSON.stringify(payload), { 'Content-Type': 'application/json', Authorization: auth(m.admin) }, r);
        expectWellBehaved(answer, { method: `${m.service}.${m.method}`, payload });
        // A refused request writes nothing.
        if (answer.status !== 200) expect(await countMessages()).toBe(before);
      },
    ),
    { numRuns: Number(process.env.HOSTILE_RUNS ?? 300) },
  );
});

it('answers arbitrary, truncated and deeply nested bodies and odd headers without a 5xx', async () => {
  const body = fc.oneof(
    nastyValue.map((v) => JSON.stringify(v) ?? 'null'),
    fc.tuple(nastyValue, fc.nat()).map(([v, cut]) => {
      const text = JSON.stringify({ campaign_id: campaignId, x: v }) ?? '';
      return text.slice(0, cut % Math.max(1, text.length));
    }),
    deep,
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );
  const headers = fc.record({
    'Content-Type': fc.constantFrom('application/json', 'application/JSON; charset=utf-8', 'application/protobuf', 'text/plain', '', 'application/json\u0000'),
    Authorization: fc.oneof(fc.constant(`Bearer ${h.apiKey}`), fc.constant(h.apiKey), fc.string({ maxLength: 300 }), fc.constant('Bearer \ud83d')),
  });
  await fc.assert(
    fc.asyncProperty(method, body, headers, route, async (m, b, hdrs, r) => {
      const safeHeaders = Object.fromEntries(Object.entries(hdrs).filter(([, v]) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v) && v !== ''));
      const before = await countMessages();
      const answer = await post(m.service, m.method, b, safeHeaders, r);
      expectWellBehaved(answer, { method: `${m.service}.${m.method}`, body: b.slice(0, 200), headers: safeHeaders });
      if (answer.status !== 200) expect(await countMessages()).toBe(before);
    }),
    { numRuns: Number(process.env.HOSTILE_RUNS ?? 300) },
  );
  // The process is still serving.
  expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
});
