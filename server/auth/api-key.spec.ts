import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey, keyFromAuthorization } from './api-key';

describe('keyFromAuthorization', () => {
  it.each([
    ['Bearer abc123', 'abc123'],
    ['bearer abc123', 'abc123'],
    ['Token abc123', 'abc123'],
    ['TOKEN   abc123', 'abc123'],
    ['abc123', 'abc123'],
    ['  abc123  ', 'abc123'],
    ['', undefined],
    ['Bearer', 'Bearer'],
    ['Bearer a b', undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    [undefined, undefined],
    ['x'.repeat(600), undefined],
  ])('%j → %j', (header, expected) => {
    expect(keyFromAuthorization(header)).toBe(expected);
  });
});

describe('api keys', () => {
  it('are long, distinct, and match only their own hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(50);
    expect(apiKeyMatches(a, hashApiKey(a))).toBe(true);
    expect(apiKeyMatches(b, hashApiKey(a))).toBe(false);
    expect(apiKeyPrefix(a)).toBe(a.slice(0, 15));
  });
});
