/**
 * `npm run bench -- webhooks`: the delivery rate one process sustains to a fast receiver. N events
 * (`--webhook-events`, 20,000) with a pending delivery each are written by SQL; the real
 * DeliveryLoop of server/webhooks claims, signs, POSTs and records them, round after round, until
 * none is left. The receiver runs in a child process and answers 204 at once. Baseline: the same
 * bodies POSTed straight from this process to the same receiver, as many at once as the loop's
 * batch, with a keep-alive agent like the loop's — the HTTP ceiling without the outbox.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createDb } from '../../server/db/pool';
import { createLogger } from '../../server/logger';
import { systemClock } from '../../server/shared/clock';
import { DeliveryLoop } from '../../server/webhooks/delivery-loop';
import type { BenchContext } from './context';
import { withClient } from './database';
import { figure, type BenchResult } from './report';

const BATCH = 200;

export async function benchWebhooks(ctx: BenchContext): Promise<BenchResult> {
  const events = ctx.settings.webhookEvents;
  const { child, port } = await startReceiver(ctx);
  const url = `http://127.0.0.1:${port}/hooks`;
  try {
    await seed(ctx, url, events);
    ctx.log(`webhooks: ${events} deliveries pending; sending`);
    const ours = await runLoop(ctx, events);
    ctx.log(`webhooks: outbox ${ours.perSecond.toFixed(0)}/s`);
    const raw = await rawPosts(url, events);
    ctx.log(`webhooks: raw POSTs ${raw.toFixed(0)}/s`);
    return {
      name: 'webhooks',
      figures: [
        figure('webhooks.delivery_rate', `webhook deliveries, one process, ${events.toLocaleString('en-US')} events`, ours.perSecond, 'deliveries/s', {
          label: 'raw POSTs of the same bodies',
          value: raw,
          unit: 'POSTs/s',
          method: `${events.toLocaleString('en-US')} POSTs from the bench process, ${BATCH} at a time, keep-alive, no database`,
        }),
      ],
      notes: [
        `ours: the real DeliveryLoop as a process runs it (start(): up to ${BATCH} deliveries on the wire, claimed with a lease as slots free up, signed with HMAC-SHA256, each try recorded with its outcome, tries ending together recorded in one statement; timeout 10 s; the service's createDb pool of 10), timed from start() until the database shows every delivery DELIVERED (polled every 20 ms); the receiver is a child process answering 204 at once; ${events.toLocaleString('en-US')} events seeded by SQL, each about its own message (no ordering waits)`,
        `checked: ${ours.delivered.toLocaleString('en-US')} of ${events.toLocaleString('en-US')} deliveries DELIVERED with one try each`,
      ],
    };
  } finally {
    child.kill();
  }
}

function startReceiver(ctx: BenchContext): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(__dirname, 'webhook-receiver-child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (child.pid !== undefined) ctx.cleanup.defer('webhook receiver', async () => void child.kill());
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`the webhook receiver exited with ${code}`)));
  });
}

async function seed(ctx: BenchContext, url: string, events: number): Promise<void> {
  await withClient(ctx.db.url, async (c) => {
    await c.query('truncate webhook_events, webhook_deliveries, webhook_delivery_attempts');
    await c.query(
      `with e as (
         insert into webhook_events (tenant_id, campaign_id, message_id, type, body, created_at)
         select $1::uuid, gen_random_uuid(), gen_random_uuid(), 'message.succeeded',
           jsonb_build_object('type', 'message.succeeded', 'created_at', now()::text, 'status', 'SUCCEEDED', 'disposition', 'COMPLETED',
             'attempt', 1, 'phone_number', '+1415' || (2000000 + g), 'state', jsonb_build_object('order_id', g)), now()
         from generate_series(1, $2::int) g
         returning id, tenant_id, campaign_id, message_id
       )
       insert into webhook_deliveries (event_id, tenant_id, campaign_id, message_id, order_key, url, state, next_attempt_at, created_at)
       select id, tenant_id, campaign_id, message_id, message_id, $3, 'PENDING', now(), now() from e`,
      [ctx.tenantId, events, url],
    );
    await c.query('vacuum analyze webhook_events, webhook_deliveries');
  });
}

async function runLoop(ctx: BenchContext, events: number): Promise<{ perSecond: number; delivered: number }> {
  const { db } = createDb({ connectionString: ctx.db.url, max: 10, statementTimeoutMs: 60_000, connectTimeoutMs: 10_000 });
  try {
    const loop = new DeliveryLoop({
      db,
      clock: systemClock,
      log: createLogger('warn', process.stderr),
      options: { batch: BATCH, pollIntervalMs: 500, timeoutMs: 10_000, allowPrivate: true },
    });
    const deliveredCount = () =>
      withClient(ctx.db.url, async (c) =>
        Number((await c.query<{ n: string }>(`select count(*) as n from webhook_deliveries where state = 'DELIVERED' and attempts = 1`)).rows[0]?.n),
      );
    const t0 = performance.now();
    loop.start();
    let delivered = 0;
    while (delivered < events) {
      if (performance.now() - t0 > 300_000) throw new Error(`webhooks bench: ${delivered} of ${events} delivered after 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      delivered = await deliveredCount();
    }
    const seconds = (performance.now() - t0) / 1000;
    await loop.stop();
    return { perSecond: events / seconds, delivered: await deliveredCount() };
  } finally {
    await db.destroy();
  }
}

async function rawPosts(url: string, count: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const body = JSON.stringify({ event_id: '00000000-0000-4000-8000-000000000000', type: 'message.succeeded', status: 'SUCCEEDED', state: { order_id: 1 } });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: BATCH }, async () => {
      while (next < count) {
        next += 1;
        await post();
      }
    }),
  );
  agent.destroy();
  return count / ((performance.now() - t0) / 1000);
}
