import { EMPTY_TOTALS, addResponse, formatSummary, skippedRows, totalsJson, unlistedIn } from './import-totals';

const response = (counts: Partial<Record<'accepted' | 'skippedInvalid' | 'skippedDuplicate' | 'suppressed' | 'replayed', number>>, listed = 0) => ({
  accepted: 0,
  skippedInvalid: 0,
  skippedDuplicate: 0,
  suppressed: 0,
  replayed: 0,
  ...counts,
  rejected: Array.from({ length: listed }, (_, index) => ({ index, phoneNumber: '1', reason: 'invalid_phone_number' })),
});

describe('import totals', () => {
  it('add up responses and local refusals', () => {
    const one = addResponse(EMPTY_TOTALS, response({ accepted: 9_990, skippedInvalid: 6, skippedDuplicate: 2, suppressed: 1, replayed: 1 }, 8), 10_000, 0);
    const two = addResponse(one, response({ accepted: 4 }), 4, 2);
    expect(two).toEqual({
      rows: 10_006,
      requests: 2,
      accepted: 9_994,
      skippedInvalid: 6,
      skippedDuplicate: 2,
      suppressed: 1,
      replayed: 1,
      malformed: 2,
      unlisted: 0,
    });
    expect(skippedRows(two)).toBe(10);
  });

  it('a batch of only local refusals is not a request', () => {
    expect(addResponse(EMPTY_TOTALS, response({}), 0, 3)).toMatchObject({ rows: 3, requests: 0, malformed: 3 });
  });

  it('counts skipped rows the service did not list', () => {
    expect(unlistedIn(response({ skippedInvalid: 150, skippedDuplicate: 20 }, 100))).toBe(70);
    expect(unlistedIn(response({ skippedInvalid: 3 }, 3))).toBe(0);
  });

  it('the JSON summary uses the service counters names', () => {
    const totals = addResponse(EMPTY_TOTALS, response({ accepted: 100_000 }), 100_000, 0);
    expect(totalsJson(totals, 4_000, undefined)).toEqual({
      rows: 100_000,
      requests: 1,
      accepted: 100_000,
      skipped_invalid: 0,
      skipped_duplicate: 0,
      suppressed: 0,
      replayed: 0,
      malformed: 0,
      rejected_unlisted: 0,
      elapsed_seconds: 4,
      rows_per_second: 25_000,
      rejected_file: null,
    });
  });

  it('the human summary names the rejected file and warns about unlisted rows', () => {
    const totals = addResponse(EMPTY_TOTALS, response({ accepted: 9_800, skippedInvalid: 200 }, 100), 10_000, 1);
    const text = formatSummary(totals, 2_000, 'in.csv.rejected.csv');
    expect(text).toContain('accepted:                    9,800');
    expect(text).toContain('malformed (not sent):        1');
    expect(text).toContain('elapsed:                     0:02 (5,001 rows/s, 1 requests)');
    expect(text).toContain('rejected rows:               in.csv.rejected.csv');
    expect(text).toContain('note: 100 skipped rows are not in the rejected file');
  });
});
