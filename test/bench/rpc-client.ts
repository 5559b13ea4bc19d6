import http from 'node:http';

/** A response read in full. */
export interface RpcResult {
  readonly status: number;
  readonly body: string;
}

/** One POST of a prepared body over the given keep-alive agent; the response is read in full. */
export function post(agent: http.Agent, url: URL, headers: http.OutgoingHttpHeaders, body: Buffer | string): Promise<RpcResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON RPC call (`/twirp/outreach.v1.Campaign/<method>`); throws unless it answers 200. */
export async function callRpc<T>(serviceUrl: string, apiKey: string, method: string, body: unknown): Promise<T> {
  const agent = new http.Agent({ keepAlive: false });
  try {
    const res = await post(
      agent,
      new URL(`${serviceUrl}/twirp/outreach.v1.Campaign/${method}`),
      { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      JSON.stringify(body),
    );
    if (res.status !== 200) throw new RpcError(method, res.status, res.body);
    return JSON.parse(res.body) as T;
  } finally {
    agent.destroy();
  }
}

/** An RPC that answered other than 200. */
export class RpcError extends Error {
  constructor(readonly method: string, readonly status: number, readonly body: string) {
    super(`${method} answered HTTP ${status}: ${body.slice(0, 500)}`);
    this.name = 'RpcError';
  }
}
