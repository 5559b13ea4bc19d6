import { DomainError } from '../errors';
import { decodePageToken, encodePageToken, pageOf, pageSize } from './page-token';

describe('page tokens', () => {
  it('round-trip a position for their own kind', () => {
    expect(decodePageToken('campaigns', encodePageToken('campaigns', '42'))).toBe('42');
    expect(decodePageToken('campaigns', '')).toBeUndefined();
  });

  it.each([
    ['garbage', 'not base64url!'],
    ['another kind', encodePageToken('messages', '42')],
    ['a non-number', encodePageToken('campaigns', 'abc')],
    ['SQL', Buffer.from("campaigns:1' or 1=1").toString('base64url')],
    ['a position past bigint', encodePageToken('campaigns', '9999999999999999999')],
  ])('refuse %s naming page_token', (_, token) => {
    try {
      decodePageToken('campaigns', token);
      throw new Error('expected a refusal');
    } catch (e: unknown) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).meta.argument).toBe('page_token');
    }
  });
});

describe('pageSize', () => {
  it.each([
    [0, 50],
    [1, 1],
    [100, 100],
    [101, 100],
    [5000, 100],
  ])('%i → %i', (requested, expected) => expect(pageSize(requested)).toBe(expected));

  it('refuses a negative size', () => expect(() => pageSize(-1)).toThrow(DomainError));
});

describe('pageOf', () => {
  const token = (n: number) => `t${n}`;
  it.each([
    [[1, 2, 3], 2, { page: [1, 2], nextPageToken: 't2' }],
    [[1, 2], 2, { page: [1, 2], nextPageToken: '' }],
    [[1], 2, { page: [1], nextPageToken: '' }],
    [[], 2, { page: [], nextPageToken: '' }],
  ])('rows %j with page size %i → %j', (rows, limit, expected) => expect(pageOf(rows, limit, token)).toEqual(expected));
});
