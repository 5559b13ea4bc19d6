import net from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/db/database';
import { createDb } from '../server/db/pool';
import { campaignCaller, callOk, createOk, minimalCampaign } from './support/campaign-fixtures';
import { createTestDatabase, type TestDatabase } from './support/database';
import { phone, sendBody } from './support/message-fixtures';
import { rpc } from './support/rpc';
import { createTestTenant, startTestServer, type TestServer } from './support/server';

/**
 * The database goes away under load and comes back. The service reaches PostgreSQL through a TCP
 * proxy this test can cut — every connection dropped, new ones refused — and restore, while
 * SendMessage runs from several clients. While it is down, requests fail fast with 503
 * `unavailable` and `/readyz` says so; afterwards the service recovers by itself, and every
 * message answered 200 exists.
 */
jest.setTimeout(60_000);

/** A TCP proxy to PostgreSQL that can drop everything and refuse connections, then come back. */
class CuttableProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every connection and stops listening: the database is "down". */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }
}

let database: TestDatabase;
let proxy: CuttableProxy;
let viaProxy: Kysely<Database>;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  const target = new URL(database.url);
  proxy = new CuttableProxy(target.hostname, Number(target.port));
  await proxy.open();
  const proxied = new URL(database.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  viaProxy = createDb({ connectionString: proxied.toString(), max: 8, statementTimeoutMs: 2_000, connectTimeoutMs: 1_000 }).db;
  server = await startTestServer(viaProxy);
});

afterAll(async () => {
  await server.close();
  await viaProxy.destroy();
  await proxy.cut();
  await database.drop();
});

interface Answer {
  readonly status: number;
  readonly code: string | undefined;
  readonly messageId: string | undefined;
  readonly ms: number;
  readonly phase: 'before' | 'down' | 'after';
}

it('fails fast with 503 while PostgreSQL is gone, recovers by itself, and keeps every message it answered 200', async () => {
  const { apiKey } = await createTestTenant(database.db, 'outage');
  const call = campaignCaller(server.url, apiKey);
  const campaign = await createOk(call, minimalCampaign('outage', { timezone: 'UTC' }));
  const campaignId = campaign.campaign_id as string;
  await callOk(call, 'StartCampaign', { campaign_id: campaignId });

  let phase: Answer['phase'] = 'before';
  let next = 0;
  let running = true;
  const answers: Answer[] = [];
  const readyz: { phase: Answer['phase']; status: number }[] = [];
  const client = async (): Promise<void> => {
    while (running) {
      const i = next++;
      const t0 = performance.now();
      const at = phase;
      const res = await rpc(server.url, 'Campaign', 'SendMessage', sendBody(campaignId, phone(i, 5)), { key: apiKey });
      answers.push({ status: res.status, code: res.body?.code, messageId: res.body?.message_id, ms: performance.now() - t0, phase: at });
    }
  };
  const clients = Array.from({ length: 6 }, client);
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  await wait(1_000);
  phase = 'down';
  await proxy.cut();
  await wait(500);
  readyz.push({ phase: 'down', status: (await fetch(`${server.url}/readyz`)).status });
  await wait(2_000);
  await proxy.open();
  phase = 'after';
  await wait(2_000);
  readyz.push({ phase: 'after', status: (await fetch(`${server.url}/readyz`)).status });
  running = false;
  await Promise.all(clients);

  const failures = answers.filter((a) => a.status !== 200);
  // Every failure is the service saying it cannot reach its database, and comes back fast.
  expect([...new Set(failures.map((a) => `${a.status} ${a.code}`))]).toEqual(['503 unavailable']);
  expect(failures.length).toBeGreaterThan(0);
  const slowest = Math.max(...answers.map((a) => a.ms));
  expect(slowest).toBeLessThan(5_000);
  expect(readyz).toEqual([
    { phase: 'down', status: 503 },
    { phase: 'after', status: 200 },
  ]);
  // It recovered by itself: requests sent well after the database came back succeed.
  const late = answers.filter((a) => a.phase === 'after').slice(-20);
  expect(late.length).toBeGreaterThan(0);
  expect(late.every((a) => a.status === 200)).toBe(true);

  const answered = answers.filter((a) => a.status === 200).map((a) => a.messageId as string);
  const stored = await sql<{ id: string }>`select id from messages where id = any(${answered}::uuid[])`.execute(database.db);
  expect(stored.rows.length).toBe(answered.length);
  console.log(
    `database outage: ${answers.length} SendMessage answers, ${failures.length} of them 503 while it was down; ` +
      `slowest answer ${slowest.toFixed(0)} ms; ${answered.length} answered 200, all stored`,
  );
});
