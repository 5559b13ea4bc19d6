import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { Cleanup } from './cleanup';
import { ROOT } from './commands';
import { freePort } from '../../server/shared/free-port';
import { groupRssMb } from './machine';

/** The service under test, running as a child process of its own. */
export interface ServiceProcess {
  readonly url: string;
  readonly pid: number;
  /** The last lines it printed, for error messages. */
  output(): string;
  /** Resident set size in MB (Linux), summed over its process group, or undefined. */
  rssMb(): number | undefined;
}

/** What the service is started with. */
export interface ServiceOptions {
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly apiKey: string;
}

/** How the child ended. */
interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Lines of the service's output kept for error messages. */
const KEPT_LINES = 40;
const HEALTH_TIMEOUT_MS = 90_000;

/**
 * Starts the real service (`tsx server/main.ts`, as `npm start` does) in a process group of its
 * own, on the bench database, and waits for `/healthz`. It is stopped (SIGTERM, then SIGKILL)
 * by the cleanup.
 */
export async function startService(cleanup: Cleanup, options: ServiceOptions): Promise<ServiceProcess> {
  const port = await freePort();
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const env = serviceEnv(port, options);
  const child = spawn(tsx, ['server/main.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the service process');
  const untrack = cleanup.trackGroup(pid);
  const output = captureOutput(child);
  const { exit, exited } = watchExit(child);
  cleanup.defer('stop the service', async () => {
    await stopGroup(child, pid, exit, () => exited() !== undefined);
    untrack();
  });

  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, exited, output);
  return { url, pid, output, rssMb: () => groupRssMb(pid) };
}

/**
 * The service's environment: ours without any OUTREACH_* or BENCH_DATABASE_URL, then the bench's
 * settings, then any BENCH_SERVICE_OUTREACH_* passed through as OUTREACH_*.
 */
function serviceEnv(port: number, options: ServiceOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('OUTREACH_') || key === 'BENCH_DATABASE_URL') delete env[key];
  Object.assign(env, {
    DATABASE_URL: options.databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    OUTREACH_API_KEY: options.apiKey,
    OUTREACH_ADMIN_KEY: `admin_${randomBytes(16).toString('hex')}`,
    OUTREACH_DATA_DIR: options.dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    // The service's own scheduler loop stays off: no other bench has a message due, and the
    // scheduler bench runs its schedulers in a process of its own on its campaign, which this
    // loop would otherwise claim from too. Its webhook delivery loop stays off for the same reason:
    // the webhooks bench runs the loop itself.
    OUTREACH_SCHEDULER_ENABLED: 'false',
    OUTREACH_WEBHOOKS_ENABLED: 'false',
  });
  // Pool size and other OUTREACH_* tuning can be passed through as BENCH_SERVICE_OUTREACH_*.
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('BENCH_SERVICE_OUTREACH_') && value !== undefined) env[key.slice('BENCH_SERVICE_'.length)] = value;
  }
  return env;
}

/** Keeps the child's last non-blank lines of stdout and stderr; the function returns them. */
function captureOutput(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

function watchExit(child: ChildProcess): { exit: Promise<void>; exited: () => Exit | undefined } {
  let exited: Exit | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  return { exit, exited: () => exited };
}

/** Polls `/healthz` until it answers 200; throws if the child exits first or time runs out. */
async function waitHealthy(url: string, exited: () => Exit | undefined, output: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    const exit = exited();
    if (exit !== undefined) {
      throw new Error(`the service exited (code ${exit.code}, signal ${exit.signal}) before it served:\n${output()}`);
    }
    if (await healthy(url)) return;
    if (Date.now() > deadline) throw new Error(`the service did not answer /healthz within 90 s:\n${output()}`);
    await sleep(100);
  }
}

async function stopGroup(child: ChildProcess, pid: number, exit: Promise<void>, gone: () => boolean): Promise<void> {
  if (gone()) return;
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 15_000);
  await exit;
  clearTimeout(timer);
  // tsx runs the service in a child of its own; make sure nothing of the group is left.
  signalGroup(pid, 'SIGKILL');
  child.stdout?.destroy();
  child.stderr?.destroy();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/healthz`, { agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
