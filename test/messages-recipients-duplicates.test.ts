import { useHarness } from './support/harness';
import { campaignIn, countMessages, e164, messageRows, okBody, phone, row, sendBody, sendOk } from './support/message-fixtures';

const h = useHarness('messages-recipients-duplicates');
const { call } = h;

describe('AddRecipients under concurrency', () => {
  it('overlapping batches and SendMessages at once leave exactly one queued message per number', async () => {
    const campaignId = await campaignIn(call, h.db);
    // Batch A: numbers 0–1999, batch B: 1000–2999, SendMessage: 40 numbers from 980 to 2019.
    const batch = (from: number): Record<string, unknown>[] => Array.from({ length: 2_000 }, (_, i) => row(phone(from + i, 1)));
    const sendNumbers = Array.from({ length: 40 }, (_, i) => phone(980 + i * 26, 1));
    const [a, b, ...sends] = await Promise.all([
      call('AddRecipients', { campaign_id: campaignId, recipients: batch(0) }),
      call('AddRecipients', { campaign_id: campaignId, recipients: batch(1_000) }),
      ...sendNumbers.map((n) => call('SendMessage', sendBody(campaignId, n))),
    ]);
    const resA = okBody(a!);
    const resB = okBody(b!);
    const sendStatuses = sends.map((s) => s.status);
    expect(sendStatuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const sent = sendStatuses.filter((s) => s === 200).length;
    expect(resA.accepted + resB.accepted + sent).toBe(3_000);
    expect(resA.skipped_duplicate + resB.skipped_duplicate + (40 - sent)).toBe(4_040 - 3_000);
    const rows = await messageRows(h.db, campaignId);
    expect(rows).toHaveLength(3_000);
    expect(new Set(rows.map((r) => r.phone_number)).size).toBe(3_000);
    expect(rows.every((r) => r.status === 'QUEUED')).toBe(true);
  });
});

describe('AddRecipients: external ids', () => {
  it('re-sending rows with the same external ids counts them as replayed and creates nothing', async () => {
    const campaignId = await campaignIn(call, h.db);
    const rows = Array.from({ length: 5 }, (_, i) => row(phone(i, 5), { external_id: `ext-${i}` }));
    expect(okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: rows }))).toMatchObject({ accepted: 5, replayed: 0 });
    const before = await messageRows(h.db, campaignId);

    const again = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: rows }));
    expect(again).toEqual({ accepted: 0, skipped_invalid: 0, skipped_duplicate: 0, suppressed: 0, replayed: 5, rejected: [] });
    expect(await messageRows(h.db, campaignId)).toEqual(before);

    // Mixed: two replays (one with another number), one new row, and a new external id on a queued number.
    const mixed = [
      row(phone(0, 5), { external_id: 'ext-0' }),
      row(phone(50, 5), { external_id: 'ext-1' }),
      row(phone(51, 5), { external_id: 'ext-new' }),
      row(phone(2, 5), { external_id: 'ext-other' }),
    ];
    const res = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: mixed }));
    expect(res).toMatchObject({ accepted: 1, replayed: 2, skipped_duplicate: 1 });
    expect(res.rejected).toEqual([{ index: 3, phone_number: e164(phone(2, 5)), reason: 'duplicate_in_campaign' }]);
    const after = await messageRows(h.db, campaignId);
    expect(after).toHaveLength(6);
    expect(after.find((r) => r.external_id === 'ext-new')?.phone_number).toBe(e164(phone(51, 5)));
  });

  it('an external id given earlier by SendMessage replays in AddRecipients', async () => {
    const campaignId = await campaignIn(call, h.db);
    await sendOk(call, sendBody(campaignId, phone(60, 5), { ExternalID: 'shared-1' }));
    const res = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: [row(phone(61, 5), { external_id: 'shared-1' })] }));
    expect(res).toMatchObject({ accepted: 0, replayed: 1 });
    expect(await countMessages(h.db, campaignId)).toBe(1);
  });

  it('a repeated external id inside one request is skipped as duplicate_in_request', async () => {
    const campaignId = await campaignIn(call, h.db);
    const rows = [row(phone(70, 5), { external_id: 'dup' }), row(phone(71, 5), { external_id: 'dup' })];
    const res = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: rows }));
    expect(res).toMatchObject({ accepted: 1, skipped_duplicate: 1 });
    expect(res.rejected).toEqual([{ index: 1, phone_number: e164(phone(71, 5)), reason: 'duplicate_in_request' }]);
  });
});
