import path from 'node:path';
import { CALL_OUTCOMES, type CallOutcome } from './scheduler/outcome-rules';
import { httpUrlProblem } from './shared/http-url';

/** Every setting the service reads, validated and with defaults filled in. */
export interface Config {
  readonly nodeEnv: 'production' | 'development' | 'test';
  readonly host: string;
  readonly port: number;
  /** Unset: run an embedded PostgreSQL with its data in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly dbPoolSize: number;
  readonly dbStatementTimeoutMs: number;
  readonly dbConnectTimeoutMs: number;
  /** Made sure to exist for the default tenant at start. */
  readonly apiKey: string | undefined;
  readonly adminKey: string | undefined;
  readonly webhookSecret: string | undefined;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`; unset, it is open. */
  readonly metricsToken: string | undefined;
  readonly allowPrivateCallbacks: boolean;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  /** Requests per second (and burst) per API key, per process; undefined when there is no limit. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number } | undefined;
  readonly shutdownTimeoutMs: number;
  readonly logLevel: string;
  /** The dial provider; only the in-process simulator exists so far. */
  readonly provider: 'simulated' | 'http';
  /** The http provider's settings; undefined unless OUTREACH_PROVIDER=http. */
  readonly httpProvider: { readonly url: string; readonly secret: string; readonly timeoutMs: number; readonly reportUrl: string } | undefined;
  readonly simCallSeconds: number;
  /** Last digit → outcome overrides for the simulator. */
  readonly simOutcomes: Readonly<Record<string, CallOutcome>>;
  /** For tests: a file the simulator appends every dialed attempt key to. */
  readonly simDialLog: string | undefined;
  readonly scheduler: {
    readonly enabled: boolean;
    readonly pollIntervalMs: number;
    readonly claimBatch: number;
    readonly perCampaign: number;
    readonly callerIdCap: number;
    readonly maxCallSeconds: number;
    readonly reconcileGraceSeconds: number;
  };
  readonly webhooks: {
    readonly enabled: boolean;
    readonly batch: number;
    readonly pollIntervalMs: number;
    readonly timeoutMs: number;
  };
}

/** A setting that cannot be used as given; `main` prints it and exits. */
export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the configuration from an environment (normally `process.env`), once. Nothing else in the
 * service reads the environment.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const nodeEnv = readNodeEnv(env);
  const production = nodeEnv === 'production';
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (production && databaseUrl === undefined) {
    throw new ConfigError('DATABASE_URL', 'is required when NODE_ENV=production');
  }
  const allowPrivateCallbacks = readBool(env, 'OUTREACH_ALLOW_PRIVATE_CALLBACKS', !production);
  if (production && allowPrivateCallbacks) {
    throw new ConfigError('OUTREACH_ALLOW_PRIVATE_CALLBACKS', 'cannot be true when NODE_ENV=production');
  }
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const port = readInt(env, 'PORT', 8080, 0, 65535);
  const provider = readProvider(env);
  return Object.freeze({
    nodeEnv,
    host: nonEmpty(env.HOST) ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port,
    databaseUrl,
    dataDir: path.resolve(cwd, nonEmpty(env.OUTREACH_DATA_DIR) ?? '.outreach'),
    // At least 2: a scheduler round reads its campaigns' settings on a second connection beside its transaction.
    dbPoolSize: readInt(env, 'OUTREACH_DB_POOL_SIZE', 10, 2, 1000),
    dbStatementTimeoutMs: readInt(env, 'OUTREACH_DB_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000),
    dbConnectTimeoutMs: readInt(env, 'OUTREACH_DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    apiKey: readSecret(env, 'OUTREACH_API_KEY'),
    adminKey: readSecret(env, 'OUTREACH_ADMIN_KEY'),
    webhookSecret: readSecret(env, 'OUTREACH_WEBHOOK_SECRET'),
    metricsToken: readSecret(env, 'OUTREACH_METRICS_TOKEN'),
    allowPrivateCallbacks,
    maxBodyBytes: readInt(env, 'OUTREACH_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    requestTimeoutMs: readInt(env, 'OUTREACH_REQUEST_TIMEOUT_MS', 30_000, 1_000, 600_000),
    rateLimit: readRateLimit(env, production),
    shutdownTimeoutMs: readInt(env, 'OUTREACH_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    logLevel,
    provider,
    httpProvider: provider === 'http' ? readHttpProvider(env, port) : undefined,
    simCallSeconds: readInt(env, 'OUTREACH_SIM_CALL_SECONDS', 8, 0, 3600),
    simOutcomes: readSimOutcomes(env),
    simDialLog: nonEmpty(env.OUTREACH_SIM_DIAL_LOG),
    scheduler: Object.freeze({
      enabled: readBool(env, 'OUTREACH_SCHEDULER_ENABLED', true),
      pollIntervalMs: readInt(env, 'OUTREACH_SCHEDULER_POLL_MS', 1_000, 10, 60_000),
      claimBatch: readInt(env, 'OUTREACH_CLAIM_BATCH', 500, 1, 10_000),
      perCampaign: readInt(env, 'OUTREACH_CLAIM_PER_CAMPAIGN', 100, 1, 10_000),
      callerIdCap: readInt(env, 'OUTREACH_CALLER_ID_MAX_CONCURRENT', 50, 0, 100_000),
      maxCallSeconds: readInt(env, 'OUTREACH_MAX_CALL_SECONDS', 900, 1, 86_400),
      reconcileGraceSeconds: readInt(env, 'OUTREACH_RECONCILE_GRACE_SECONDS', 60, 0, 86_400),
    }),
    webhooks: Object.freeze({
      enabled: readBool(env, 'OUTREACH_WEBHOOKS_ENABLED', true),
      batch: readInt(env, 'OUTREACH_WEBHOOK_BATCH', 200, 1, 5_000),
      pollIntervalMs: readInt(env, 'OUTREACH_WEBHOOK_POLL_MS', 500, 10, 60_000),
      timeoutMs: readInt(env, 'OUTREACH_WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    }),
  });
}

function readProvider(env: Env): 'simulated' | 'http' {
  const value = nonEmpty(env.OUTREACH_PROVIDER) ?? 'simulated';
  if (value === 'simulated' || value === 'http') return value;
  throw new ConfigError('OUTREACH_PROVIDER', `"${value}" is not a provider; use "simulated" or "http"`);
}

/** OUTREACH_RATE_LIMIT_PER_SECOND (0 turns it off; off in development, 100 in production) and _BURST (twice the rate). */
function readRateLimit(env: Env, production: boolean): Config['rateLimit'] {
  const perSecond = readInt(env, 'OUTREACH_RATE_LIMIT_PER_SECOND', production ? 100 : 0, 0, 1_000_000);
  if (perSecond === 0) return undefined;
  return Object.freeze({ perSecond, burst: readInt(env, 'OUTREACH_RATE_LIMIT_BURST', 2 * perSecond, 1, 10_000_000) });
}

/** OUTREACH_HTTP_PROVIDER_*: required with OUTREACH_PROVIDER=http, ignored otherwise. */
function readHttpProvider(env: Env, port: number): NonNullable<Config['httpProvider']> {
  const url = nonEmpty(env.OUTREACH_HTTP_PROVIDER_URL);
  if (url === undefined) throw new ConfigError('OUTREACH_HTTP_PROVIDER_URL', 'is required with OUTREACH_PROVIDER=http');
  const problem = httpUrlProblem(url);
  if (problem !== undefined) throw new ConfigError('OUTREACH_HTTP_PROVIDER_URL', problem);
  const secret = nonEmpty(env.OUTREACH_HTTP_PROVIDER_SECRET);
  if (secret === undefined) throw new ConfigError('OUTREACH_HTTP_PROVIDER_SECRET', 'is required with OUTREACH_PROVIDER=http (it signs the dial requests)');
  const publicUrl = (nonEmpty(env.OUTREACH_PUBLIC_URL) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const publicProblem = httpUrlProblem(publicUrl);
  if (publicProblem !== undefined) throw new ConfigError('OUTREACH_PUBLIC_URL', publicProblem);
  return Object.freeze({
    url,
    secret,
    timeoutMs: readInt(env, 'OUTREACH_HTTP_PROVIDER_TIMEOUT_MS', 10_000, 100, 120_000),
    reportUrl: `${publicUrl}/twirp/outreach.v1.CallEvents/ReportCallOutcome`,
  });
}

/** `{"6":"COMPLETED"}`: last digits whose simulated outcome differs from the default rule. */
function readSimOutcomes(env: Env): Record<string, CallOutcome> {
  const raw = nonEmpty(env.OUTREACH_SIM_OUTCOMES);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('OUTREACH_SIM_OUTCOMES', 'must be a JSON object such as {"6":"COMPLETED"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('OUTREACH_SIM_OUTCOMES', 'must be a JSON object such as {"6":"COMPLETED"}');
  }
  for (const [digit, outcome] of Object.entries(parsed)) {
    if (!/^\d$/.test(digit) || !(CALL_OUTCOMES as readonly string[]).includes(String(outcome))) {
      throw new ConfigError('OUTREACH_SIM_OUTCOMES', `maps a last digit (0-9) to one of ${CALL_OUTCOMES.join(', ')}`);
    }
  }
  return parsed as Record<string, CallOutcome>;
}

function readNodeEnv(env: Env): Config['nodeEnv'] {
  const value = nonEmpty(env.NODE_ENV) ?? 'development';
  if (value === 'production' || value === 'development' || value === 'test') return value;
  throw new ConfigError('NODE_ENV', 'must be production, development or test');
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function readSecret(env: Env, name: string): string | undefined {
  const value = nonEmpty(env[name]);
  if (value !== undefined && value.length < 16) {
    throw new ConfigError(name, 'must be at least 16 characters long');
  }
  return value;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, 'must be true or false');
}
