import { RecipientBatch } from './recipient-batch';

const row = (phoneNumber: string) => ({ phoneNumber, variables: {}, language: '', metadata: {}, timezone: '', externalId: '' });

describe('RecipientBatch', () => {
  it('traces the service rejected indexes back to input lines, merged with local refusals in line order', () => {
    const batch = new RecipientBatch();
    batch.add(row('+14155550100'), ['+14155550100', 'a'], 2);
    batch.add(row('12'), ['12', 'b'], 3);
    batch.refuse('wrong_column_count', ['x'], 4);
    batch.add(row('+14155550100'), ['+14155550100', 'c'], 6);
    expect(batch.size).toBe(3);
    expect(batch.refused).toBe(1);
    expect(batch.lineRange).toEqual([2, 6]);
    expect(batch.takeRows().map((r) => r.phoneNumber)).toEqual(['+14155550100', '12', '+14155550100']);
    expect(batch.size).toBe(3);
    const rejected = batch.rejectedLines({
      accepted: 1,
      skippedInvalid: 1,
      skippedDuplicate: 1,
      suppressed: 0,
      replayed: 0,
      rejected: [
        { index: 2, phoneNumber: '+14155550100', reason: 'duplicate_in_request' },
        { index: 1, phoneNumber: '12', reason: 'invalid_phone_number' },
        { index: 99, phoneNumber: '?', reason: 'out of range: ignored' },
      ],
    });
    expect(rejected).toEqual([
      { line: 3, reason: 'invalid_phone_number', record: ['12', 'b'] },
      { line: 4, reason: 'wrong_column_count', record: ['x'] },
      { line: 6, reason: 'duplicate_in_request', record: ['+14155550100', 'c'] },
    ]);
    expect(batch.lineOf(1)).toBe(3);
    expect(batch.lineOf(3)).toBeUndefined();
  });

  it('an empty batch covers no lines', () => {
    expect(new RecipientBatch().lineRange).toEqual([0, 0]);
  });
});
