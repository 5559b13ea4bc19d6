import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { CallbackAddressError, resolveCallbackAddress } from './callback-address';

/** How one POST went: a 2xx is delivered; anything else, or no answer, is a failure. */
export interface SendResult {
  readonly ok: boolean;
  readonly httpStatus: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

/** Keep-alive agents shared by every delivery: a busy receiver gets a few warm connections. */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

/**
 * POSTs `body` to `url` with `headers`, to the address the URL rules allow (see
 * callback-address.ts), within `timeoutMs` from the start of the request to the end of the answer.
 * Never throws: every failure is a result. Redirects are not followed.
 */
export async function postWebhook(input: {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
}): Promise<SendResult> {
  const started = performance.now();
  const result = (ok: boolean, httpStatus: number | null, error: string | null): SendResult => ({
    ok,
    httpStatus,
    latencyMs: Math.round(performance.now() - started),
    error,
  });
  let url: URL;
  let target: { address: string; family: 4 | 6 };
  try {
    url = new URL(input.url);
    target = await resolveCallbackAddress(url, input.allowPrivate);
  } catch (e: unknown) {
    return result(false, null, e instanceof CallbackAddressError ? `refused: ${e.message}` : `bad url: ${(e as Error).message}`);
  }
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all === true) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const request = transport.request(url, {
      method: 'POST',
      agent: agents[url.protocol === 'https:' ? 'https:' : 'http:'],
      lookup,
      headers: { ...input.headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(input.body)) },
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish(result(false, null, `timed out after ${input.timeoutMs} ms`));
    }, input.timeoutMs);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      response.on('end', () => finish(result(status >= 200 && status < 300, status, status >= 200 && status < 300 ? null : `HTTP ${status}`)));
      response.on('error', (e) => finish(result(false, status, e.message)));
    });
    request.on('error', (e: NodeJS.ErrnoException) => finish(result(false, null, e.code ?? e.message)));
    request.end(input.body);
  });
}
