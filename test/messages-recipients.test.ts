import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import {
  addDoNotCall,
  campaignIn,
  countMessages,
  e164,
  getMessageOk,
  listAll,
  messageRows,
  okBody,
  phone,
  row,
  sendBody,
  sendOk,
  type CampaignState,
} from './support/message-fixtures';

const h = useHarness('messages-recipients');
const { call } = h;

type Reason = 'invalid_phone_number' | 'duplicate_in_request' | 'duplicate_in_campaign';

const INVALID_NUMBERS = ['12345', 'not a number', '', '+999123456789', '91812300', '+91 81230 0292x'];

/**
 * 10,000 rows and what must become of each: every 400th row (from 7) has an invalid number, every
 * 400th (from 13) repeats the row before it in another spelling, every 1,000th (from 21) is a
 * number already queued by SendMessage, every 2,000th (from 42) is on the do-not-call list, and
 * row 31 is a number whose earlier message was cancelled (so it is not a duplicate).
 */
function bigBatch(): {
  rows: Record<string, unknown>[];
  fate: (Reason | 'accepted' | 'suppressed')[];
  queuedBefore: string[];
  cancelledBefore: string;
  doNotCall: string[];
} {
  const rows: Record<string, unknown>[] = [];
  const fate: (Reason | 'accepted' | 'suppressed')[] = [];
  const queuedBefore: string[] = [];
  const doNotCall: string[] = [];
  const cancelledBefore = phone(0, 4);
  for (let i = 0; i < 10_000; i++) {
    if (i % 400 === 7) {
      rows.push(row(INVALID_NUMBERS[Math.floor(i / 400) % INVALID_NUMBERS.length]!));
      fate.push('invalid_phone_number');
    } else if (i % 400 === 13) {
      const previous = phone(i - 1);
      rows.push(row(`+${previous.slice(0, 2)} ${previous.slice(2, 7)} ${previous.slice(7)}`));
      fate.push('duplicate_in_request');
    } else if (i % 1000 === 21) {
      queuedBefore.push(phone(i, 1));
      rows.push(row(phone(i, 1)));
      fate.push('duplicate_in_campaign');
    } else if (i % 2000 === 42) {
      doNotCall.push(phone(i, 2));
      rows.push(row(phone(i, 2)));
      fate.push('suppressed');
    } else if (i === 31) {
      rows.push(row(cancelledBefore));
      fate.push('accepted');
    } else {
      rows.push(row(i % 3 === 0 ? `+${phone(i)}` : phone(i)));
      fate.push('accepted');
    }
  }
  return { rows, fate, queuedBefore, cancelledBefore, doNotCall };
}

describe('AddRecipients: a 10,000-row batch', () => {
  it('queues the good rows, skips and counts invalid and duplicate rows, suppresses do-not-call numbers', async () => {
    const campaignId = await campaignIn(call, h.db, 'DRAFT', { trigger: 'BULK' });
    const batch = bigBatch();
    const sentBefore = new Map<string, string>();
    for (const number of batch.queuedBefore) sentBefore.set(e164(number), (await sendOk(call, sendBody(campaignId, number))).message_id);
    const cancelled = await sendOk(call, sendBody(campaignId, batch.cancelledBefore));
    okBody(await call('CancelMessage', { message_id: cancelled.message_id }));
    await addDoNotCall(h.db, h.tenantId, batch.doNotCall);

    const res = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: batch.rows }), 'AddRecipients');

    const count = (f: string): number => batch.fate.filter((x) => x === f).length;
    expect({ ...res, rejected: undefined }).toEqual({
      accepted: count('accepted'),
      skipped_invalid: count('invalid_phone_number'),
      skipped_duplicate: count('duplicate_in_request') + count('duplicate_in_campaign'),
      suppressed: count('suppressed'),
      replayed: 0,
      rejected: undefined,
    });
    expect(count('accepted')).toBe(10_000 - 25 - 25 - 10 - 5);
    const expectedRejected = batch.fate
      .map((reason, index) => ({ index, reason }))
      .filter(({ reason }) => reason !== 'accepted' && reason !== 'suppressed')
      .slice(0, 100);
    expect(res.rejected).toHaveLength(60);
    expect(res.rejected.map((r: { index: number; reason: string }) => ({ index: r.index, reason: r.reason }))).toEqual(expectedRejected);
    for (const r of res.rejected as { index: number; reason: string; phone_number: string }[]) {
      const given = batch.rows[r.index]!.phone_number as string;
      expect({ index: r.index, phone_number: r.phone_number }).toEqual({
        index: r.index,
        phone_number: r.reason === 'invalid_phone_number' ? given : e164(given),
      });
    }

    // Ground truth: exactly the accepted rows were queued, the suppressed ones recorded as opted out.
    const rows = await messageRows(h.db, campaignId);
    const fromBatch = rows.filter((r) => !sentBefore.has(r.phone_number) && r.id !== cancelled.message_id);
    const expectedQueued = batch.rows.filter((_, i) => batch.fate[i] === 'accepted').map((r) => e164(r.phone_number as string));
    const expectedSuppressed = batch.doNotCall.map(e164);
    expect(fromBatch.filter((r) => r.status === 'QUEUED').map((r) => r.phone_number).sort()).toEqual([...expectedQueued].sort());
    expect(fromBatch.filter((r) => r.status !== 'QUEUED').map((r) => [r.phone_number, r.status, r.disposition]).sort()).toEqual(
      expectedSuppressed.map((n) => [n, 'FAILED', 'OPTED_OUT']).sort(),
    );
    expect(rows).toHaveLength(batch.queuedBefore.length + 1 + expectedQueued.length + expectedSuppressed.length);
    // The messages queued before are untouched.
    for (const [number, id] of sentBefore) expect(rows.find((r) => r.phone_number === number && r.status === 'QUEUED')?.id).toBe(id);
  });

  it('lists only the first 100 rejected rows when more are skipped', async () => {
    const campaignId = await campaignIn(call, h.db);
    const rows = Array.from({ length: 300 }, (_, i) => row(i % 2 === 0 ? `bad-${i}` : phone(i)));
    const res = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: rows }));
    expect(res).toMatchObject({ accepted: 150, skipped_invalid: 150, skipped_duplicate: 0, suppressed: 0 });
    expect(res.rejected).toHaveLength(100);
    expect(res.rejected.map((r: { index: number }) => r.index)).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
  });
});

describe('AddRecipients: per-row fields', () => {
  it('stores variables, language, metadata, timezone and external_id, and leaves them empty when absent', async () => {
    const campaignId = await campaignIn(call, h.db);
    const full = {
      phone_number: phone(1),
      variables: { name: 'Asha', due: '2026-03-10' },
      language: 'hi-IN',
      metadata: { crm_id: 'C-1', segment: 'gold' },
      timezone: 'Asia/Kolkata',
      external_id: 'crm-1',
    };
    const res = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: [full, row(phone(2))] }));
    expect(res).toMatchObject({ accepted: 2, rejected: [] });
    const listed = await listAll(call, campaignId);
    expect(listed.map((m) => m.phone_number)).toEqual([e164(phone(1)), e164(phone(2))]);
    const [first, second] = listed;
    expect(first).toMatchObject({
      phone_number: e164(phone(1)),
      variables: full.variables,
      language: 'hi-IN',
      metadata: full.metadata,
      timezone: 'Asia/Kolkata',
      external_id: 'crm-1',
      status: 'QUEUED',
      bypass_calling_window: false,
    });
    expect(await getMessageOk(call, first!.message_id)).toMatchObject({ ...first, attempts: [] });
    expect(second).toMatchObject({ variables: {}, language: '', metadata: {}, timezone: '', external_id: '' });
  });
});

describe('AddRecipients: a request refused as a whole writes nothing', () => {
  let campaignId: string;
  beforeAll(async () => {
    campaignId = await campaignIn(call, h.db);
  });
  afterEach(async () => {
    expect(await countMessages(h.db, campaignId)).toBe(0);
  });

  const rows = (n: number): Record<string, unknown>[] => Array.from({ length: n }, (_, i) => row(phone(i, 3)));

  it('10,001 rows → invalid_argument naming recipients', async () => {
    const res = await call('AddRecipients', { campaign_id: campaignId, recipients: rows(10_001) });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'recipients' });
  });

  it('no rows → invalid_argument naming recipients', async () => {
    expectTwirpError(await call('AddRecipients', { campaign_id: campaignId, recipients: [] }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'recipients',
    });
  });

  it.each<[string, (r: Record<string, unknown>[]) => void, string]>([
    ['an unknown timezone in row 5000', (r) => (r[5000] = row(phone(5000, 3), { timezone: 'Mars/Olympus_Mons' })), 'recipients[5000].timezone'],
    ['a variables value that is a number in row 3', (r) => (r[3] = row(phone(3, 3), { variables: { amount: 12 } })), 'recipients[3].variables.amount'],
    ['a phone_number that is a number in row 9999', (r) => (r[9999] = { phone_number: 918123002929 }), 'recipients[9999].phone_number'],
    ['a row that is a string', (r) => (r[7] = phone(7, 3) as never), 'recipients[7]'],
    ['metadata that is a list in row 4', (r) => (r[4] = row(phone(4, 3), { metadata: ['a'] })), 'recipients[4].metadata'],
    ['a language over 35 characters in row 8', (r) => (r[8] = row(phone(8, 3), { language: 'x'.repeat(36) })), 'recipients[8].language'],
    ['an external_id over 200 characters in row 9', (r) => (r[9] = row(phone(9, 3), { external_id: 'e'.repeat(201) })), 'recipients[9].external_id'],
  ])('%s → invalid_argument naming it', async (_, spoil, argument) => {
    const batch = rows(10_000);
    spoil(batch);
    const res = await call('AddRecipients', { campaign_id: campaignId, recipients: batch });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a NUL character in a variables value', { variables: { note: 'a\u0000b' } }],
    ['a NUL character in metadata', { metadata: { crm: '\u0000' } }],
    ['a NUL character in language', { language: 'hi\u0000' }],
    ['a NUL character in external_id', { external_id: 'x\u0000' }],
  ])('%s in row 2 of 1,000 never answers 5xx; refused, it writes nothing', async (_, extra) => {
    const batch = rows(1_000);
    batch[2] = row(phone(2, 3), extra);
    const res = await call('AddRecipients', { campaign_id: campaignId, recipients: batch });
    const written = await countMessages(h.db, campaignId);
    await sql`delete from messages where campaign_id = ${campaignId}`.execute(h.db);
    expect({ serverError: res.status >= 500, body: res.body }).toEqual({ serverError: false, body: res.body });
    if (res.status !== 200) expect({ code: res.body.code, written }).toEqual({ code: 'invalid_argument', written: 0 });
  });

  it('recipients that is not a list → invalid_argument naming recipients', async () => {
    const res = await call('AddRecipients', { campaign_id: campaignId, recipients: { phone_number: phone(1) } });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'recipients' });
  });

  it.each([
    ['an unknown campaign', () => randomUUID()],
    ['a campaign id that is not a UUID', () => 'nope'],
    ['no campaign id', () => ''],
  ])('%s → invalid_argument naming campaign_id', async (_, id) => {
    const res = await call('AddRecipients', { campaign_id: id(), recipients: rows(3) });
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'campaign_id' });
  });
});

describe('AddRecipients and the campaign lifecycle', () => {
  it.each<CampaignState>(['DRAFT', 'RUNNING', 'PAUSED'])('a %s campaign accepts rows', async (state) => {
    const campaignId = await campaignIn(call, h.db, state);
    const res = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: [row(phone(1, 5))] }));
    expect(res.accepted).toBe(1);
  });

  it.each<CampaignState>(['COMPLETED', 'CANCELLED'])('a %s campaign refuses with failed_precondition and writes nothing', async (state) => {
    const campaignId = await campaignIn(call, h.db, state);
    const res = await call('AddRecipients', { campaign_id: campaignId, recipients: [row(phone(1, 5)), row(phone(2, 5))] });
    expectTwirpError(res, { status: 412, code: 'failed_precondition' });
    expect(await countMessages(h.db, campaignId)).toBe(0);
  });
});
