import { fork, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrator';
import { createDb } from '../server/db/pool';
import { callOk, campaignCaller, createOk, minimalCampaign } from './support/campaign-fixtures';
import { expectOutageHandled, startSendLoad } from './support/send-load';
import { createTestTenant, startTestServer, type TestServer } from './support/server';
import { TcpProxy } from './support/tcp-proxy';

/**
 * PostgreSQL really restarted under load: a cluster of this test's own (the shared one serves the
 * other test files) is stopped — its sessions end with "terminating connection due to administrator
 * command" — and started again while SendMessage runs from six clients. The service reaches it
 * through a proxy that follows it to its new port, as a DNS name or a fixed port would. While it
 * is down every request fails fast with 503 `unavailable`; it recovers by itself; every message
 * answered 200 is there afterwards.
 */
jest.setTimeout(120_000);

/** The PostgreSQL of this test, in a child process (see support/postgres-child.ts). */
class RestartablePostgres {
  private readonly child: ChildProcess;
  url = '';

  constructor(private readonly dataDir: string) {
    this.child = fork(path.join(__dirname, 'support', 'postgres-child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  }

  async start(): Promise<string> {
    this.url = (await this.ask({ cmd: 'start', dataDir: this.dataDir })).url as string;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.ask({ cmd: 'stop' });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }

  private ask(message: object): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (answer: Record<string, unknown>) => (answer.error === undefined ? resolve(answer) : reject(new Error(String(answer.error)))));
      this.child.send(message);
    });
  }
}

let dir: string;
let postgres: RestartablePostgres;
let direct: Kysely<Database>;
let viaProxy: Kysely<Database>;
let proxy: TcpProxy;
let server: TestServer;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outreach-restart-'));
  await fs.chmod(dir, 0o755);
  postgres = new RestartablePostgres(dir);
  await postgres.start();
  direct = createDb({ connectionString: postgres.url, max: 2, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 }).db;
  await migrateToLatest(direct);
  const target = new URL(postgres.url);
  proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  await proxy.open();
  viaProxy = createDb({ connectionString: proxy.urlFor(postgres.url), max: 8, statementTimeoutMs: 2_000, connectTimeoutMs: 1_000 }).db;
  server = await startTestServer(viaProxy);
});

afterAll(async () => {
  await server?.close();
  await viaProxy?.destroy();
  await direct?.destroy();
  await proxy?.cut();
  await postgres?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

it('SendMessage under load across a real PostgreSQL restart: fast 503s while down, recovery, nothing answered 200 lost', async () => {
  const { apiKey } = await createTestTenant(direct, 'restart');
  const call = campaignCaller(server.url, apiKey);
  const campaignId = (await createOk(call, minimalCampaign('restart', { timezone: 'UTC' }))).campaign_id as string;
  await callOk(call, 'StartCampaign', { campaign_id: campaignId });

  const load = startSendLoad({ url: server.url, apiKey, campaignId, clients: 6 });
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  await wait(1_000);
  load.setPhase('down');
  await direct.destroy();
  const stopStarted = performance.now();
  await postgres.stop();
  const readyWhileDown = (await fetch(`${server.url}/readyz`)).status;
  await postgres.start();
  const downMs = performance.now() - stopStarted;
  proxy.target = { host: '127.0.0.1', port: Number(new URL(postgres.url).port) };
  direct = createDb({ connectionString: postgres.url, max: 2, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 }).db;
  load.setPhase('after');
  await wait(2_000);
  const readyAfter = (await fetch(`${server.url}/readyz`)).status;
  const answers = await load.stop();

  expect({ readyWhileDown, readyAfter }).toEqual({ readyWhileDown: 503, readyAfter: 200 });
  const failures = answers.filter((a) => a.status !== 200).length;
  expect(failures).toBeGreaterThan(0);
  const worst = await expectOutageHandled(answers, direct);
  const answered = answers.length - failures;
  console.log(
    `PostgreSQL restart: down ${(downMs / 1000).toFixed(1)} s; ${answers.length} SendMessage answers, ${failures} of them 503; ` +
      `worst latency ${worst.toFixed(0)} ms; ${answered} answered 200, all stored`,
  );
});
