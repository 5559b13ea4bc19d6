import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm start` as a user runs it: a real process with the embedded PostgreSQL in a fresh data
 * folder, the printed curl line run as printed, a second start refused, SIGTERM honoured.
 */
const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startService(dataDir: string): Started {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', OUTREACH_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.OUTREACH_API_KEY;
  delete env.OUTREACH_ADMIN_KEY;
  // Its own process group: tsx runs the server in a child, and a failed test must kill both.
  const child = spawn(TSX, ['server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function sleepUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let dataDir: string;
let first: Started | undefined;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outreach-start-'));
  await fs.chmod(dataDir, 0o755);
});

afterAll(async () => {
  if (first !== undefined && first.child.exitCode === null && first.child.pid !== undefined) {
    process.kill(-first.child.pid, 'SIGKILL');
    await first.exited;
  }
  await fs.rm(dataDir, { recursive: true, force: true });
});

it('starts cold on an embedded database and prints a curl line that works as printed', async () => {
  first = startService(dataDir);
  const started = first;
  await sleepUntil(() => /curl -s -X POST[^\n]*\n[^\n]*-d '\{\}'/.test(started.output()), 60_000, 'the welcome text');
  const curlLine = /(curl -s -X POST[^\n]*)\\\n\s*([^\n]*-d '\{\}')/.exec(started.output());
  expect(curlLine).not.toBeNull();
  const command = `${curlLine![1]} ${curlLine![2]}`;
  const result = spawnSync('bash', ['-c', command], { encoding: 'utf8', timeout: 10_000 });
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({ campaigns: [], next_page_token: '' });
});

it('refuses a second start on the same data folder, saying why', async () => {
  const second = startService(dataDir);
  const code = await second.exited;
  expect(code).toBe(1);
  expect(second.output()).toMatch(/already in use by a running PostgreSQL/);
});

it('stops on SIGTERM: exits 0 and stops its PostgreSQL', async () => {
  const started = first!;
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  await expect(fs.access(pidFile)).resolves.toBeUndefined();
  started.child.kill('SIGTERM');
  expect(await started.exited).toBe(0);
  await expect(fs.access(pidFile)).rejects.toThrow();
});

const asRoot = os.userInfo().uid === 0;
(asRoot ? it : it.skip)('as root, explains a data folder the postgres user cannot reach', async () => {
  const locked = path.join(dataDir, 'locked');
  await fs.mkdir(locked, { mode: 0o700 });
  await fs.chmod(locked, 0o700);
  const refused = startService(path.join(locked, 'data'));
  expect(await refused.exited).toBe(1);
  expect(refused.output()).toMatch(/cannot enter .*locked.*OUTREACH_DATA_DIR/s);
});
