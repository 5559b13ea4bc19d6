import { DomainError } from '../errors';
import type { AddNumbersInput } from './do-not-call';
import {
  decodeListToken,
  distinctNumbers,
  encodeListToken,
  normaliseNumbers,
  parseExpiresAt,
  validateAddNumbers,
} from './do-not-call-input';

const NOW = new Date('2026-03-04T06:00:00Z');

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e: unknown) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const BASE: AddNumbersInput = { phoneNumbers: ['+14155550100'], source: '', reason: '', expiresAt: '' };

describe('normaliseNumbers', () => {
  it('turns every number into E.164 in request order, repeats kept', () => {
    expect(normaliseNumbers(['918123002929', '+91 81230 02929', ' +1 (415) 555-0100 ', '14155550100'], 10)).toEqual([
      '+918123002929',
      '+918123002929',
      '+14155550100',
      '+14155550100',
    ]);
  });

  it.each([
    ['none', [], 10],
    ['more than the limit', ['+14155550100', '+14155550101', '+14155550102'], 2],
  ])('refuses %s naming phone_numbers', (_, numbers, max) => {
    const e = errorOf(() => normaliseNumbers(numbers, max));
    expect(e.kind).toBe('invalid_argument');
    expect(e.meta.argument).toBe('phone_numbers');
  });

  it.each([
    [['abc'], 0],
    [['+14155550100', '12'], 1],
    [['+14155550100', '+14155550101', ''], 2],
    [['+14155550100', 'tel:+14155550100'], 1],
  ])('names the first invalid number of %j: phone_numbers[%i]', (numbers, index) => {
    const e = errorOf(() => normaliseNumbers(numbers, 10));
    expect(e.meta.argument).toBe(`phone_numbers[${index}]`);
    expect(e.message).toContain(`phone_numbers[${index}]`);
  });

  it('clips a huge invalid value in the message', () => {
    const e = errorOf(() => normaliseNumbers(['x'.repeat(10_000)], 10));
    expect(e.message.length).toBeLessThan(200);
  });
});

describe('distinctNumbers', () => {
  it('keeps first appearances in order', () => {
    expect(distinctNumbers(['+2', '+1', '+2', '+3', '+1'])).toEqual(['+2', '+1', '+3']);
  });
});

describe('parseExpiresAt', () => {
  it.each([
    ['', null],
    ['2026-03-04T06:00:01Z', '2026-03-04T06:00:01.000Z'],
    ['2026-03-04T11:31:00+05:30', '2026-03-04T06:01:00.000Z'],
    ['2026-03-03T23:00:00-08:00', '2026-03-04T07:00:00.000Z'],
    ['2026-03-04t06:00:00.5z', '2026-03-04T06:00:00.500Z'],
    ['2026-03-04T06:00:00.123456789Z', '2026-03-04T06:00:00.123Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('%j → %j', (value, expected) => {
    expect(parseExpiresAt(value, NOW)?.toISOString() ?? null).toBe(expected);
  });

  it.each([
    ['no offset', '2030-01-01T00:00:00'],
    ['a date only', '2030-01-01'],
    ['no seconds', '2030-01-01T00:00Z'],
    ['a bad month', '2030-13-01T00:00:00Z'],
    ['a non-leap 29 February', '2027-02-29T00:00:00Z'],
    ['words', 'tomorrow'],
    ['epoch seconds', '1893456000'],
    ['exactly now', '2026-03-04T06:00:00Z'],
    ['the past', '2026-03-04T05:59:59.999Z'],
    ['the same instant in another offset', '2026-03-04T11:30:00+05:30'],
  ])('refuses %s naming expires_at', (_, value) => {
    const e = errorOf(() => parseExpiresAt(value, NOW));
    expect(e.kind).toBe('invalid_argument');
    expect(e.meta.argument).toBe('expires_at');
  });
});

describe('validateAddNumbers', () => {
  it('collapses repeats after normalisation and fills the default source', () => {
    expect(validateAddNumbers({ ...BASE, phoneNumbers: ['14155550100', '+1 415 555 0100', '+918123002929'] }, NOW)).toEqual({
      phoneNumbers: ['+14155550100', '+918123002929'],
      source: 'api',
      reason: '',
      expiresAt: null,
    });
  });

  it.each([
    ['blank → the default', '  ', 'api'],
    ['trimmed', ' crm-import ', 'crm-import'],
    ['100 characters kept', 's'.repeat(100), 's'.repeat(100)],
    ['100 two-byte characters kept', 'é'.repeat(100), 'é'.repeat(100)],
  ])('source: %s', (_, source, expected) => {
    expect(validateAddNumbers({ ...BASE, source }, NOW).source).toBe(expected);
  });

  it.each([
    ['source', { source: 's'.repeat(101) }],
    ['source', { source: 'a\u0000b' }],
    ['reason', { reason: 'r'.repeat(501) }],
    ['reason', { reason: 'nul \u0000' }],
    ['expires_at', { expiresAt: '2020-01-01T00:00:00Z' }],
    ['phone_numbers[1]', { phoneNumbers: ['+14155550100', 'nope'] }],
  ])('refuses naming %s', (field, patch) => {
    expect(errorOf(() => validateAddNumbers({ ...BASE, ...patch }, NOW)).meta.argument).toBe(field);
  });

  it('keeps a reason of exactly 500 characters verbatim', () => {
    const reason = ` ${'r'.repeat(498)} `;
    expect(validateAddNumbers({ ...BASE, reason }, NOW).reason).toBe(reason);
  });
});

describe('list tokens', () => {
  it('round-trip a number', () => {
    expect(decodeListToken(encodeListToken('+14155550100'))).toBe('+14155550100');
    expect(decodeListToken('')).toBeUndefined();
  });

  it.each([
    ['garbage', 'not a token!'],
    ['another list', Buffer.from('campaigns:42').toString('base64url')],
    ['a number not in E.164', Buffer.from('dnc:14155550100').toString('base64url')],
    ['SQL', Buffer.from("dnc:+1' or 1=1").toString('base64url')],
    ['a very long token', 'A'.repeat(500)],
  ])('refuse %s naming page_token', (_, token) => {
    expect(errorOf(() => decodeListToken(token)).meta.argument).toBe('page_token');
  });
});
