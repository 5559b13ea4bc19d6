import { ConfigError, loadConfig } from './config';

const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/outreach' };

describe('loadConfig: webhooks, the http provider, rate limits', () => {
  it('development: private callbacks allowed, no rate limit, the simulated provider, webhooks on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ allowPrivateCallbacks: true, rateLimit: undefined, provider: 'simulated', httpProvider: undefined });
    expect(config.webhooks).toEqual({ enabled: true, batch: 200, pollIntervalMs: 500, timeoutMs: 10_000 });
  });

  it('production: private callbacks refused (and cannot be allowed), 100 requests per second per key', () => {
    expect(loadConfig(production)).toMatchObject({ allowPrivateCallbacks: false, rateLimit: { perSecond: 100, burst: 200 } });
    expect(() => loadConfig({ ...production, OUTREACH_ALLOW_PRIVATE_CALLBACKS: 'true' })).toThrow(ConfigError);
    expect(loadConfig({ ...production, OUTREACH_RATE_LIMIT_PER_SECOND: '0' }).rateLimit).toBeUndefined();
    expect(loadConfig({ OUTREACH_RATE_LIMIT_PER_SECOND: '5', OUTREACH_RATE_LIMIT_BURST: '7' }).rateLimit).toEqual({ perSecond: 5, burst: 7 });
  });

  it('the http provider needs its URL and secret, and reports to the public URL', () => {
    expect(() => loadConfig({ OUTREACH_PROVIDER: 'http' })).toThrow('OUTREACH_HTTP_PROVIDER_URL: is required with OUTREACH_PROVIDER=http');
    expect(() => loadConfig({ OUTREACH_PROVIDER: 'http', OUTREACH_HTTP_PROVIDER_URL: 'https://dial.example.com/v1' })).toThrow(
      /^OUTREACH_HTTP_PROVIDER_SECRET: is required/,
    );
    expect(() => loadConfig({ OUTREACH_PROVIDER: 'http', OUTREACH_HTTP_PROVIDER_URL: 'ftp://x', OUTREACH_HTTP_PROVIDER_SECRET: 's' })).toThrow(
      /^OUTREACH_HTTP_PROVIDER_URL: /,
    );
    const config = loadConfig({
      OUTREACH_PROVIDER: 'http',
      OUTREACH_HTTP_PROVIDER_URL: 'https://dial.example.com/v1',
      OUTREACH_HTTP_PROVIDER_SECRET: 's3cret',
      OUTREACH_PUBLIC_URL: 'https://outreach.example.com/',
    });
    expect(config.httpProvider).toEqual({
      url: 'https://dial.example.com/v1',
      secret: 's3cret',
      timeoutMs: 10_000,
      reportUrl: 'https://outreach.example.com/twirp/outreach.v1.CallEvents/ReportCallOutcome',
    });
    expect(loadConfig({ OUTREACH_PROVIDER: 'http', OUTREACH_HTTP_PROVIDER_URL: 'http://p/d', OUTREACH_HTTP_PROVIDER_SECRET: 's', PORT: '9090' }).httpProvider?.reportUrl).toBe(
      'http://localhost:9090/twirp/outreach.v1.CallEvents/ReportCallOutcome',
    );
    expect(() => loadConfig({ OUTREACH_PROVIDER: 'carrier-pigeon' })).toThrow('OUTREACH_PROVIDER: "carrier-pigeon" is not a provider; use "simulated" or "http"');
  });
});

describe('loadConfig: database pool', () => {
  it('needs two connections at least: a scheduler round reads beside its own transaction', () => {
    expect(loadConfig({}).dbPoolSize).toBe(10);
    expect(loadConfig({ OUTREACH_DB_POOL_SIZE: '2' }).dbPoolSize).toBe(2);
    expect(() => loadConfig({ OUTREACH_DB_POOL_SIZE: '1' })).toThrow('OUTREACH_DB_POOL_SIZE: must be between 2 and 1000');
  });
});

describe('loadConfig: metrics', () => {
  it('leaves GET /metrics open unless OUTREACH_METRICS_TOKEN is set, which must be a real secret', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ OUTREACH_METRICS_TOKEN: 'scrape-token-0123456789' }).metricsToken).toBe('scrape-token-0123456789');
    expect(() => loadConfig({ OUTREACH_METRICS_TOKEN: 'short' })).toThrow('OUTREACH_METRICS_TOKEN: must be at least 16 characters long');
  });
});
