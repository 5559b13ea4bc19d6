import { sql } from 'kysely';
import { expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import {
  RFC3339,
  addDoNotCall,
  campaignIn,
  e164,
  getMessageOk,
  messageRows,
  okBody,
  phone,
  sendBody,
  sendOk,
  type MessageJson,
} from './support/message-fixtures';
import { rpc, type RpcResponse } from './support/rpc';
import { createTestTenant } from './support/server';

const h = useHarness('messages-send-duplicates');
const { call } = h;

/** Asserts a 409 `already_exists` whose meta points at `existing`. */
function expectPointsAt(res: RpcResponse, existing: MessageJson): void {
  expectTwirpError(res, { status: 409, code: 'already_exists' });
  expect(res.body.meta).toMatchObject({
    existing_message_id: existing.message_id,
    existing_status: existing.status,
    existing_created_at: expect.stringMatching(RFC3339),
  });
  expect(Date.parse(res.body.meta.existing_created_at)).toBe(Date.parse(existing.created_at));
}

describe('one queued or in-flight message per number and campaign', () => {
  it('a second SendMessage while the first is QUEUED → 409 already_exists pointing at the first', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await getMessageOk(call, (await sendOk(call, sendBody(campaignId, phone(1)))).message_id);
    expectPointsAt(await call('SendMessage', sendBody(campaignId, phone(1))), first);
    // Written differently, it is still the same number.
    expectPointsAt(await call('SendMessage', sendBody(campaignId, `+91 ${phone(1).slice(2)}`)), first);
    const compat = await rpc(h.url, 'Campaign', 'SendMessage', sendBody(campaignId, phone(1)), { route: 'compat', authorization: h.apiKey });
    expectPointsAt(compat, first);
    expect((await messageRows(h.db, campaignId)).map((r) => r.id)).toEqual([first.message_id]);
  });

  it('AllowDuplicates: true queues a second message to the same number', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await sendOk(call, sendBody(campaignId, phone(2)));
    const second = await sendOk(call, sendBody(campaignId, phone(2), { AllowDuplicates: true }));
    expect(second.message_id).not.toBe(first.message_id);
    expect(second.status).toBe('QUEUED');
    const rows = await messageRows(h.db, campaignId);
    expect(rows.map((r) => [r.id, r.phone_number, r.status])).toEqual([
      [first.message_id, e164(phone(2)), 'QUEUED'],
      [second.message_id, e164(phone(2)), 'QUEUED'],
    ]);
  });

  it('a message queued with AllowDuplicates still blocks a later one sent without it', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await getMessageOk(call, (await sendOk(call, sendBody(campaignId, phone(3), { AllowDuplicates: true }))).message_id);
    expectPointsAt(await call('SendMessage', sendBody(campaignId, phone(3))), first);
  });

  it('after CancelMessage of the first, a new SendMessage to that number succeeds, and then blocks the next', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await sendOk(call, sendBody(campaignId, phone(4)));
    okBody(await call('CancelMessage', { message_id: first.message_id }), 'CancelMessage');
    const second = await getMessageOk(call, (await sendOk(call, sendBody(campaignId, phone(4)))).message_id);
    expect(second.message_id).not.toBe(first.message_id);
    expectPointsAt(await call('SendMessage', sendBody(campaignId, phone(4))), second);
  });

  it('a DISPATCHED message blocks too; a SUCCEEDED or FAILED one does not', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await sendOk(call, sendBody(campaignId, phone(5)));
    await sql`update messages set status = 'DISPATCHED', attempt_count = 1 where id = ${first.message_id}`.execute(h.db);
    const dispatched = await getMessageOk(call, first.message_id);
    expect(dispatched.status).toBe('DISPATCHED');
    expectPointsAt(await call('SendMessage', sendBody(campaignId, phone(5))), dispatched);
    await sql`update messages set status = 'SUCCEEDED', disposition = 'COMPLETED' where id = ${first.message_id}`.execute(h.db);
    const second = await sendOk(call, sendBody(campaignId, phone(5)));
    await sql`update messages set status = 'FAILED', disposition = 'BUSY' where id = ${second.message_id}`.execute(h.db);
    const third = await sendOk(call, sendBody(campaignId, phone(5)));
    expect(new Set([first.message_id, second.message_id, third.message_id]).size).toBe(3);
  });

  it('the same number in another campaign is not a duplicate', async () => {
    const a = await campaignIn(call, h.db);
    const b = await campaignIn(call, h.db);
    await sendOk(call, sendBody(a, phone(6)));
    await sendOk(call, sendBody(b, phone(6)));
  });

  it.each([1, 2, 3])('race %i: 50 simultaneous identical requests create exactly one message; 49 answer 409', async (round) => {
    const campaignId = await campaignIn(call, h.db);
    const body = sendBody(campaignId, phone(100 + round), { Variables: { round: String(round) } });
    // Half over the compat route with the bare key, half over the twirp route.
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0 ? call('SendMessage', body) : rpc(h.url, 'Campaign', 'SendMessage', body, { route: 'compat', authorization: h.apiKey }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect({ ok: statuses.filter((s) => s === 200).length, conflict: statuses.filter((s) => s === 409).length }).toEqual({ ok: 1, conflict: 49 });
    const winner = responses.find((r) => r.status === 200)!.body;
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(res.body).toMatchObject({ code: 'already_exists', meta: { existing_message_id: winner.message_id, existing_status: 'QUEUED' } });
    }
    const rows = await messageRows(h.db, campaignId);
    expect(rows.map((r) => [r.id, r.phone_number])).toEqual([[winner.message_id, e164(phone(100 + round))]]);
  });
});

describe('ExternalID: exactly-once intent', () => {
  it('the same external id twice, even with a different body, returns the original message and creates nothing', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await sendOk(call, sendBody(campaignId, phone(20), { ExternalID: 'order-20', Variables: { v: '1' } }));
    expect(first).toMatchObject({ status: 'QUEUED', replayed: false });
    const again = await sendOk(call, sendBody(campaignId, phone(20), { ExternalID: 'order-20', Variables: { v: '1' } }));
    expect(again).toEqual({ ...first, replayed: true });
    const different = await sendOk(
      call,
      sendBody(campaignId, phone(21), { ExternalID: 'order-20', Variables: { v: '2' }, AllowDuplicates: true, ScheduledAt: { Time: '2030-01-01T00:00:00Z' } }),
    );
    expect(different).toEqual({ ...first, replayed: true });
    const rows = await messageRows(h.db, campaignId);
    expect(rows).toEqual([expect.objectContaining({ id: first.message_id, phone_number: e164(phone(20)), external_id: 'order-20' })]);
    const message = await getMessageOk(call, first.message_id);
    expect(message).toMatchObject({ external_id: 'order-20', variables: { v: '1' }, phone_number: e164(phone(20)) });
  });

  it('replays over both routes and both spellings of the field', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await sendOk(call, { campaign_id: campaignId, to: { phone_number: phone(22) }, external_id: 'order-22' });
    const compat = await rpc(h.url, 'Campaign', 'SendMessage', sendBody(campaignId, phone(22), { ExternalID: 'order-22' }), {
      route: 'compat',
      authorization: h.apiKey,
    });
    expect(okBody(compat)).toEqual({ ...first, replayed: true });
  });

  it('replays a message that has since been cancelled as it is now, creating nothing', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await sendOk(call, sendBody(campaignId, phone(23), { ExternalID: 'order-23' }));
    okBody(await call('CancelMessage', { message_id: first.message_id }));
    const again = await sendOk(call, sendBody(campaignId, phone(23), { ExternalID: 'order-23' }));
    expect(again).toEqual({ message_id: first.message_id, status: 'FAILED', disposition: 'CANCELLED', replayed: true });
    expect(await messageRows(h.db, campaignId)).toHaveLength(1);
  });

  it('a new external id to a number already queued still answers 409', async () => {
    const campaignId = await campaignIn(call, h.db);
    const first = await getMessageOk(call, (await sendOk(call, sendBody(campaignId, phone(24), { ExternalID: 'a' }))).message_id);
    expectPointsAt(await call('SendMessage', sendBody(campaignId, phone(24), { ExternalID: 'b' })), first);
  });

  it('50 simultaneous requests with one external id: one message, one original answer, 49 replays', async () => {
    const campaignId = await campaignIn(call, h.db);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call('SendMessage', sendBody(campaignId, phone(200 + i), { ExternalID: 'burst', AllowDuplicates: true }))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const ids = new Set(responses.map((r) => r.body.message_id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.body.replayed === false)).toHaveLength(1);
    expect(await messageRows(h.db, campaignId)).toEqual([expect.objectContaining({ id: [...ids][0], external_id: 'burst' })]);
  });
});

describe('do-not-call suppression', () => {
  it('a listed number is accepted and recorded as FAILED/OPTED_OUT, and the answer says so', async () => {
    const campaignId = await campaignIn(call, h.db);
    await addDoNotCall(h.db, h.tenantId, [phone(30)]);
    // Listed as E.164, sent without "+".
    const sent = await sendOk(call, sendBody(campaignId, phone(30)));
    expect(sent).toEqual({ message_id: expect.any(String), status: 'FAILED', disposition: 'OPTED_OUT', replayed: false });
    const message = await getMessageOk(call, sent.message_id);
    expect(message).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT', next_attempt_at: '', attempt_count: 0, attempts: [] });
    // An ended message does not block: a second send is suppressed again, not a 409.
    const again = await sendOk(call, sendBody(campaignId, `+${phone(30)}`));
    expect(again).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT' });
    const rows = await messageRows(h.db, campaignId);
    expect(rows.map((r) => [r.status, r.disposition])).toEqual([
      ['FAILED', 'OPTED_OUT'],
      ['FAILED', 'OPTED_OUT'],
    ]);
  });

  it('an expired entry does not suppress; one that expires later does', async () => {
    const campaignId = await campaignIn(call, h.db);
    await addDoNotCall(h.db, h.tenantId, [phone(31)], new Date(Date.now() - 60_000));
    await addDoNotCall(h.db, h.tenantId, [phone(32)], new Date(Date.now() + 3_600_000));
    expect(await sendOk(call, sendBody(campaignId, phone(31)))).toMatchObject({ status: 'QUEUED', disposition: 'DISPOSITION_UNSPECIFIED' });
    expect(await sendOk(call, sendBody(campaignId, phone(32)))).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT' });
  });

  it('another tenant’s list does not suppress this tenant’s messages', async () => {
    const other = await createTestTenant(h.db, 'messages-send-duplicates-other');
    await addDoNotCall(h.db, other.tenantId, [phone(33)]);
    const campaignId = await campaignIn(call, h.db);
    expect(await sendOk(call, sendBody(campaignId, phone(33)))).toMatchObject({ status: 'QUEUED' });
  });

  it('a suppressed message with an external id replays as suppressed', async () => {
    const campaignId = await campaignIn(call, h.db);
    await addDoNotCall(h.db, h.tenantId, [phone(34)]);
    const first = await sendOk(call, sendBody(campaignId, phone(34), { ExternalID: 'dnc-34' }));
    const again = await sendOk(call, sendBody(campaignId, phone(34), { ExternalID: 'dnc-34' }));
    expect(again).toEqual({ ...first, replayed: true });
    expect(first).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT' });
  });
});
