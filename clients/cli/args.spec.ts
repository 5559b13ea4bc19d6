import { globalOptions, intFlag, listFlag, locateCommand, parseFlags, secondsFlag } from './args';
import { UsageError } from './exit-codes';

const PATHS = [['campaigns', 'create'], ['campaigns', 'list'], ['stats'], ['admin', 'tenants', 'create']];

describe('locateCommand', () => {
  it.each([
    [['campaigns', 'list', '--status', 'RUNNING'], ['campaigns', 'list'], ['--status', 'RUNNING']],
    [['--url', 'http://x', 'campaigns', 'list'], ['campaigns', 'list'], ['--url', 'http://x']],
    [['campaigns', '--json', 'list'], ['campaigns', 'list'], ['--json']],
    [['stats', 'abc', '--watch'], ['stats'], ['abc', '--watch']],
    [['admin', 'tenants', 'create', 'Acme'], ['admin', 'tenants', 'create'], ['Acme']],
    [['campaigns', 'frobnicate'], ['campaigns'], ['frobnicate']],
    [['--key=k', 'nope'], [], ['--key=k', 'nope']],
    [[], [], []],
  ])('%j → words %j, rest %j', (argv, words, rest) => {
    expect(locateCommand(argv, PATHS)).toEqual({ words, rest });
  });
});

describe('parseFlags', () => {
  it('takes global and command flags, anywhere', () => {
    const { values, positionals } = parseFlags(['abc', '--json', '--interval', '5', '--url=http://h'], { interval: { type: 'string' } });
    expect(positionals).toEqual(['abc']);
    expect(values).toMatchObject({ json: true, interval: '5', url: 'http://h' });
  });

  it('refuses an unknown flag or a missing value as a usage error', () => {
    expect(() => parseFlags(['--colour'], {})).toThrow(UsageError);
    expect(() => parseFlags(['--url'], {})).toThrow(UsageError);
  });
});

describe('globalOptions', () => {
  const env = { OUTREACH_URL: 'http://env:1/', OUTREACH_API_KEY: 'env-key', OUTREACH_ADMIN_KEY: ' ' };

  it('prefers flags, then the environment, then the default URL', () => {
    expect(globalOptions({}, env)).toEqual({ url: 'http://env:1', key: 'env-key', adminKey: undefined, json: false, help: false });
    expect(globalOptions({ url: 'https://flag', key: 'k', 'admin-key': 'a', json: true }, env)).toMatchObject({
      url: 'https://flag',
      key: 'k',
      adminKey: 'a',
      json: true,
    });
    expect(globalOptions({}, {}).url).toBe('http://localhost:8080');
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => globalOptions({ url: 'localhost:8080' }, {})).toThrow('--url must be an http(s) URL');
  });
});

describe('typed flags', () => {
  it('lists split on commas and repeat', () => {
    expect(listFlag({ status: ['RUNNING, paused', 'DRAFT', ''] }, 'status')).toEqual(['RUNNING', 'paused', 'DRAFT']);
    expect(listFlag({}, 'status')).toEqual([]);
  });

  it.each([
    ['10000', 10_000],
    ['1', 1],
  ])('--batch %s is %d', (raw, value) => {
    expect(intFlag({ batch: raw }, 'batch', 1, 10_000, 10_000)).toBe(value);
  });

  it.each(['0', '10001', '1.5', 'ten', ''])('--batch %j is a usage error', (raw) => {
    expect(() => intFlag({ batch: raw }, 'batch', 1, 10_000, 10_000)).toThrow(UsageError);
  });

  it('seconds allow fractions within bounds', () => {
    expect(secondsFlag({ interval: '0.5' }, 'interval', 0.1, 60, 2)).toBe(0.5);
    expect(secondsFlag({}, 'interval', 0.1, 60, 2)).toBe(2);
    expect(() => secondsFlag({ interval: '0' }, 'interval', 0.1, 60, 2)).toThrow(UsageError);
  });
});
