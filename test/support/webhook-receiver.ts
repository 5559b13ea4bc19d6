import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the receiver got. */
export interface Received {
  /** Path and query the request was made to. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, any>;
}

/** How the receiver answers one request: a status, optionally a JSON body, optionally after a delay. */
export type Answer = { status: number; body?: string; delayMs?: number };

/**
 * A real HTTP receiver on loopback — of webhooks, or of the http provider's dial requests. `answer` decides each response (200 by default); every
 * request is kept, answered or not.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answer: (request: Received, index: number) => Answer = () => ({ status: 200 });
  private server: http.Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const request: Received = { path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) as Record<string, any> };
        const index = this.received.length;
        this.received.push(request);
        const { status, body: answer, delayMs = 0 } = this.answer(request, index);
        setTimeout(() => {
          res.writeHead(status, { 'Content-Type': answer === undefined ? 'text/plain' : 'application/json' });
          res.end(answer ?? 'ok');
        }, delayMs).unref();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening (the receiver is "down"); start(samePort) brings it back. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get listeningPort(): number {
    return this.port;
  }

  /** The event types received, in order. */
  types(): string[] {
    return this.received.map((r) => r.json.type as string);
  }
}
