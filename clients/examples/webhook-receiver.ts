/**
 * A webhook receiver for Outreach, small enough to copy: it checks `Outreach-Signature`, drops
 * events it has already seen (deliveries are at least once), and answers at once.
 *
 *   WEBHOOK_SECRET=<the tenant's webhook secret> PORT=9000 npx tsx clients/examples/webhook-receiver.ts
 *
 * Only node:http and node:crypto. Keep seen event ids somewhere durable in production (a unique
 * index on event_id); this example keeps the last 100,000 in memory.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

/** An event as Outreach sends it. */
export interface OutreachEvent {
  readonly event_id: string;
  readonly type: string;
  readonly created_at: string;
  readonly campaign_id: string;
  readonly message_id?: string;
  readonly phone_number?: string;
  readonly status: string;
  readonly disposition?: string | null;
  readonly attempt?: number;
  /** The message's Callback.State, as it was sent. */
  readonly state?: unknown;
}

/** True when `header` signs `body` with `secret`, made within `toleranceSeconds` of now. */
export function verifyOutreachSignature(secret: string, body: string, header: string, toleranceSeconds = 300): boolean {
  const fields = Object.fromEntries(header.split(',').map((part) => part.split('=', 2).map((s) => s.trim())));
  const t = Number(fields.t);
  const v1 = String(fields.v1 ?? '');
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/**
 * The receiver: 401 for a missing or wrong signature, 200 for an event (handed to `onEvent` the
 * first time its event_id is seen), 413 for a body over 1 MiB.
 */
export function createWebhookReceiver(options: { secret: string; onEvent: (event: OutreachEvent) => void | Promise<void> }): http.Server {
  const seen = new Set<string>();
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1 << 20) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['outreach-signature'];
      if (typeof signature !== 'string' || !verifyOutreachSignature(options.secret, body, signature)) {
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as OutreachEvent;
      if (seen.has(event.event_id)) {
        res.writeHead(200).end();
        return;
      }
      seen.add(event.event_id);
      if (seen.size > 100_000) seen.delete(seen.values().next().value as string);
      Promise.resolve(options.onEvent(event)).then(
        () => res.writeHead(200).end(),
        () => {
          // Not handled: answer an error so Outreach tries again, and forget the id.
          seen.delete(event.event_id);
          res.writeHead(500).end();
        },
      );
    });
  });
}

if (require.main === module) {
  const secret = process.env.WEBHOOK_SECRET;
  if (secret === undefined || secret === '') throw new Error('set WEBHOOK_SECRET to the tenant’s webhook secret');
  const port = Number(process.env.PORT ?? 9000);
  createWebhookReceiver({ secret, onEvent: (event) => console.log(JSON.stringify(event)) }).listen(port, () =>
    console.log(`listening on http://localhost:${port}`),
  );
}
