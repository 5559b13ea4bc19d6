import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { campaignCaller, expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { campaignIn, countMessages, phone, sendBody } from './support/message-fixtures';
import { rpc } from './support/rpc';
import { createTestTenant } from './support/server';

const h = useHarness('messages-send-validation');
const { call } = h;
let campaignId: string;
let foreignCampaignId: string;

beforeAll(async () => {
  campaignId = await campaignIn(call, h.db);
  const other = await createTestTenant(h.db, 'messages-send-validation-other');
  foreignCampaignId = await campaignIn(campaignCaller(h.url, other.apiKey), h.db);
});

/**
 * Every refusal below must leave both campaigns empty. What a wrongly accepted request wrote is
 * cleared after the check, so that one failure does not fail the tests after it.
 */
afterEach(async () => {
  const written = [await countMessages(h.db, campaignId), await countMessages(h.db, foreignCampaignId)];
  await sql`delete from messages where campaign_id in (${campaignId}, ${foreignCampaignId})`.execute(h.db);
  expect({ written }).toEqual({ written: [0, 0] });
});

const valid = (): Record<string, unknown> => sendBody(campaignId, phone(1));

/** [what, body, meta.argument] — each answers 400 invalid_argument naming the field. */
const INVALID: [string, () => Record<string, unknown>, string][] = [
  ['no CampaignID', () => ({ To: { PhoneNumber: phone(1) } }), 'CampaignID'],
  ['an empty CampaignID', () => sendBody('', phone(1)), 'CampaignID'],
  ['a blank CampaignID', () => sendBody('   ', phone(1)), 'CampaignID'],
  ['an unknown campaign', () => sendBody(randomUUID(), phone(1)), 'CampaignID'],
  ['another tenant’s campaign', () => sendBody(foreignCampaignId, phone(1)), 'CampaignID'],
  ['a CampaignID that is not a UUID', () => sendBody('campaign-42', phone(1)), 'CampaignID'],
  ['a CampaignID with SQL in it', () => sendBody("' or 1=1 --", phone(1)), 'CampaignID'],
  ['an unknown campaign with a time in its timezone', () => sendBody(randomUUID(), phone(1), { ScheduledAt: { Time: '2026-03-04T11:52:30' } }), 'CampaignID'],
  ['another tenant’s campaign with a time in its timezone', () => sendBody(foreignCampaignId, phone(1), { ScheduledAt: { Time: '2026-03-04T11:52:30' } }), 'CampaignID'],
  ['no To', () => ({ CampaignID: campaignId }), 'To.PhoneNumber'],
  ['an empty To', () => ({ CampaignID: campaignId, To: {} }), 'To.PhoneNumber'],
  ['an empty To.PhoneNumber', () => sendBody(campaignId, ''), 'To.PhoneNumber'],
  ['a too short number', () => sendBody(campaignId, '12345'), 'To.PhoneNumber'],
  ['letters for a number', () => sendBody(campaignId, 'call me maybe'), 'To.PhoneNumber'],
  ['a number with an invalid country code', () => sendBody(campaignId, '+999123456789'), 'To.PhoneNumber'],
  ['a number too long', () => sendBody(campaignId, '9181230029291234567'), 'To.PhoneNumber'],
  ['a number that is not a string', () => sendBody(campaignId, 918123002929 as never), 'To.PhoneNumber'],
  ['To that is a string', () => ({ CampaignID: campaignId, To: phone(1) }), 'To'],
  ['ScheduledAt.Time as words', () => ({ ...valid(), ScheduledAt: { Time: 'tomorrow at noon' } }), 'ScheduledAt.Time'],
  ['ScheduledAt.Time with month 13', () => ({ ...valid(), ScheduledAt: { Time: '2026-13-04T11:52:30Z' } }), 'ScheduledAt.Time'],
  ['ScheduledAt.Time on 30 February', () => ({ ...valid(), ScheduledAt: { Time: '2026-02-30T11:52:30+05:30' } }), 'ScheduledAt.Time'],
  ['ScheduledAt.Time at 25 o’clock', () => ({ ...valid(), ScheduledAt: { Time: '2026-03-04T25:00:00' } }), 'ScheduledAt.Time'],
  ['ScheduledAt.Time with an offset of 99 hours', () => ({ ...valid(), ScheduledAt: { Time: '2026-03-04T11:52:30+99:00' } }), 'ScheduledAt.Time'],
  ['ScheduledAt.Time with an offset of 70 minutes', () => ({ ...valid(), ScheduledAt: { Time: '2026-03-04T11:52:30+05:70' } }), 'ScheduledAt.Time'],
  ['ScheduledAt.Time as a date only', () => ({ ...valid(), ScheduledAt: { Time: '2026-03-04' } }), 'ScheduledAt.Time'],
  ['ScheduledAt.Time as a number', () => ({ ...valid(), ScheduledAt: { Time: 1772605350 } }), 'ScheduledAt.Time'],
  ['BypassCallingWindow as a string', () => ({ ...valid(), ScheduledAt: { BypassCallingWindow: 'yes' } }), 'ScheduledAt.BypassCallingWindow'],
  ['a Callback.URL that is not a URL', () => ({ ...valid(), Callback: { URL: 'not a url' } }), 'Callback.URL'],
  ['an ftp Callback.URL', () => ({ ...valid(), Callback: { URL: 'ftp://files.example.com/x' } }), 'Callback.URL'],
  ['a Callback.URL with credentials', () => ({ ...valid(), Callback: { URL: 'https://u:p@hooks.example.com/' } }), 'Callback.URL'],
  ['a Callback.URL over 2048 characters', () => ({ ...valid(), Callback: { URL: `https://hooks.example.com/${'a'.repeat(2100)}` } }), 'Callback.URL'],
  ['a Callback.State over 16 KiB', () => ({ ...valid(), Callback: { State: { blob: 'x'.repeat(17 * 1024) } } }), 'Callback.State'],
  ['Variables as a string', () => ({ ...valid(), Variables: 'customer_id=c1' }), 'Variables'],
  ['Variables as a list', () => ({ ...valid(), Variables: ['c1'] }), 'Variables'],
  ['a Variables value that is a number', () => ({ ...valid(), Variables: { amount: 12 } }), 'Variables.amount'],
  ['a Variables value that is an object', () => ({ ...valid(), Variables: { nested: { a: 'b' } } }), 'Variables.nested'],
  ['more than 100 Variables', () => ({ ...valid(), Variables: manyVariables(101) }), 'Variables'],
  ['a Variables value over 4096 characters', () => ({ ...valid(), Variables: { note: 'n'.repeat(4097) } }), 'Variables.note'],
  ['AllowDuplicates as a string', () => ({ ...valid(), AllowDuplicates: 'false' }), 'AllowDuplicates'],
  ['an ExternalID over 200 characters', () => ({ ...valid(), ExternalID: 'e'.repeat(201) }), 'ExternalID'],
  ['an ExternalID that is a number', () => ({ ...valid(), ExternalID: 12345 }), 'ExternalID'],
  ['CampaignID as a number', () => ({ ...valid(), CampaignID: 42 }), 'CampaignID'],
];

function manyVariables(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, String(i)]));
}

describe('SendMessage refuses bad input with 400 invalid_argument naming the field', () => {
  it.each(INVALID)('%s', async (_, body, argument) => {
    const res = await call('SendMessage', body());
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument });
  });

  it.each(INVALID.filter(([what, , argument]) => ['CampaignID', 'To.PhoneNumber'].includes(argument) || what === 'ScheduledAt.Time as words'))(
    'the same on the compat route: %s',
    async (_, body, argument) => {
      const res = await rpc(h.url, 'Campaign', 'SendMessage', body(), { route: 'compat', authorization: h.apiKey });
      expectTwirpError(res, { status: 400, code: 'invalid_argument', argument });
    },
  );

  it('an unknown and a foreign campaign answer alike, so a campaign’s existence cannot be guessed', async () => {
    const unknown = await call('SendMessage', sendBody(randomUUID(), phone(2)));
    const foreign = await call('SendMessage', sendBody(foreignCampaignId, phone(2)));
    expect({ status: foreign.status, body: foreign.body }).toEqual({ status: unknown.status, body: unknown.body });
    expect(foreign.text).not.toContain(foreignCampaignId);
  });

  it('names the snake_case field when the request used snake_case', async () => {
    const res = await call('SendMessage', { campaign_id: campaignId, to: { phone_number: 123 } });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'to.phone_number' });
  });

  it.each<[string, () => Record<string, unknown>]>([
    ['a NUL character in a Variables value', () => ({ ...valid(), Variables: { note: 'a\u0000b' } })],
    ['a NUL character in a Variables key', () => ({ ...valid(), Variables: { 'k\u0000': 'v' } })],
    ['a NUL character in ExternalID', () => ({ ...valid(), ExternalID: 'ext\u0000' })],
    ['a NUL character in Callback.State', () => ({ ...valid(), Callback: { State: { s: '\u0000' } } })],
    ['a NUL character in Callback.URL', () => ({ ...valid(), Callback: { URL: 'https://hooks.example.com/\u0000' } })],
  ])('%s never answers 5xx: refused as invalid_argument or stored as sent', async (_, body) => {
    const res = await call('SendMessage', body());
    expect({ serverError: res.status >= 500, body: res.body }).toEqual({ serverError: false, body: res.body });
    if (res.status !== 200) expect(res.body.code).toBe('invalid_argument');
    else await sql`delete from messages where id = ${res.body.message_id}`.execute(h.db);
  });

  it('one bad request among simultaneous good ones fails alone: the others are all queued', async () => {
    const good = Array.from({ length: 20 }, (_, i) => call('SendMessage', sendBody(campaignId, phone(100 + i))));
    const bad = call('SendMessage', { ...valid(), Variables: { note: 'a\u0000b' } });
    const [badRes, ...goodRes] = await Promise.all([bad, ...good]);
    const written = await countMessages(h.db, campaignId);
    await sql`delete from messages where campaign_id = ${campaignId}`.execute(h.db);
    expect({ good: goodRes.map((r) => r.status), written }).toEqual({ good: Array(20).fill(200), written: 20 });
    expect(badRes!.status).toBeLessThan(500);
  });

  it('refuses a body that is not JSON or not an object without a 5xx', async () => {
    for (const raw of ['{"CampaignID": ', '[]', '"text"', 'null']) {
      const res = await call('SendMessage', undefined, { raw });
      expect({ raw, status: res.status }).toEqual({ raw, status: expect.any(Number) });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });
});
