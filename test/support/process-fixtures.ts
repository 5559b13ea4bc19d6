import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { trackOpen } from './resources';

/**
 * Real server processes (`tsx server/main.ts`, as `npm start` runs it) on a test database, for the
 * claims that only several processes racing on one database can prove.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** `http://localhost:<port>`, once the process says it is serving. */
  readonly url: string;
  /** The file its simulated provider appends every dialed attempt key to. */
  readonly dialLog: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<number | string | null>;
  /** `kill -9` to its process group (tsx and the server it runs), then waits until all of it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM to tsx, which hands it to the server; resolves with how long the group took to be gone (ms). */
  terminate(): Promise<number>;
}

export interface ServerProcessOptions {
  readonly name: string;
  readonly databaseUrl: string;
  readonly apiKey: string;
  /** A folder of the test's own: the dial log and the data folder go in it. */
  readonly dir: string;
  /** Extra environment (OUTREACH_SIM_CALL_SECONDS, the scheduler's settings…). */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

const running = new Set<ServerProcess>();

/**
 * Starts a server process on a free port (PORT=0: the kernel picks it, so concurrent starts never
 * collide) and resolves once it prints the address it serves on. It runs in a process group of
 * its own, tracked as an open resource until `kill9` has seen the whole group gone, so a test
 * that forgets one fails the leak check.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const dialLog = path.join(options.dir, `${options.name}.dials`);
  const dataDir = path.join(options.dir, `${options.name}-data`);
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(dialLog, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    PORT: '0',
    DATABASE_URL: options.databaseUrl,
    OUTREACH_API_KEY: options.apiKey,
    OUTREACH_DATA_DIR: dataDir,
    OUTREACH_SIM_DIAL_LOG: dialLog,
    ...options.env,
  };
  delete env.OUTREACH_ADMIN_KEY;
  delete env.OUTREACH_WEBHOOK_SECRET;
  // Its own process group: tsx runs the server in a child node process, and a SIGKILL cannot be
  // relayed, so `kill -9` goes to the whole group.
  const child = spawn(TSX, ['server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const closed = trackOpen(`server process ${options.name} (pid ${child.pid})`);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const group = child.pid!;
  let started: ServerProcess | undefined;
  const kill9 = async (): Promise<void> => {
    signalGroup(group, 'SIGKILL');
    await exited;
    await sleepUntil(() => !groupAlive(group), 10_000, `process group ${group} (${options.name}) to be gone`, 20);
    if (started !== undefined) running.delete(started);
    closed();
  };
  const terminate = async (): Promise<number> => {
    const t0 = Date.now();
    child.kill('SIGTERM');
    await exited;
    await sleepUntil(() => !groupAlive(group), 30_000, `process group ${group} (${options.name}) to stop`, 20);
    if (started !== undefined) running.delete(started);
    closed();
    return Date.now() - t0;
  };
  let gone = false;
  void exited.then(() => (gone = true));
  const serving = /Outreach is serving on (http:\/\/\S+)/;
  try {
    await sleepUntil(() => {
      if (gone) throw new Error(`${options.name} exited before serving:\n${output}`);
      return serving.test(output);
    }, options.startTimeoutMs ?? 60_000, `${options.name} to serve`, 50);
  } catch (e: unknown) {
    await kill9();
    throw e;
  }
  started = {
    name: options.name,
    child,
    url: serving.exec(output)![1]!,
    dialLog,
    output: () => output,
    exited,
    kill9,
    terminate,
  };
  running.add(started);
  return started;
}

/** Sends a signal to a process group; false when no process of it is left. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/**
 * Whether a process of the group still runs. On Linux a killed process whose parent died lingers
 * as a zombie until init reaps it, and signals still reach it, so /proc is read instead.
 */
function groupAlive(group: number): boolean {
  if (process.platform !== 'linux') return signalGroup(group, 0);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === group && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** Kills every server process still running (afterAll). */
export async function killAllServerProcesses(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill9()));
}

/** The attempt keys a process's simulated provider dialed, in order, repeats kept. */
export async function readDialLog(file: string): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8');
  return text.split('\n').filter((line) => line !== '');
}

/** Polls `condition` every `intervalMs` until it holds; fails after `timeoutMs`, naming `what`. */
export async function sleepUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Counts how often each value occurs; only the values seen more than once. */
export function repeated(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return new Map([...counts].filter(([, n]) => n > 1));
}
