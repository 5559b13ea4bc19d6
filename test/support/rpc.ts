/** A Twirp call over real HTTP, answering whatever the server said. */
export interface RpcResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or undefined for a non-JSON body. */
  readonly body: any;
  readonly text: string;
}

export interface RpcOptions {
  /** API key, sent as `Authorization: Bearer <key>` unless `authorization` is given. */
  key?: string;
  authorization?: string;
  /** `twirp` (default) or the established `/api/v1/<Service>/` prefix. */
  route?: 'twirp' | 'compat';
  contentType?: string;
  /** A raw body instead of JSON-encoding `body`. */
  raw?: string | Uint8Array;
  method?: string;
}

export function rpcPath(service: string, method: string, route: 'twirp' | 'compat' = 'twirp'): string {
  return route === 'twirp' ? `/twirp/outreach.v1.${service}/${method}` : `/api/v1/${service}/${method}`;
}

export async function rpc(
  baseUrl: string,
  service: string,
  method: string,
  body: unknown,
  options: RpcOptions = {},
): Promise<RpcResponse> {
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/json' };
  if (options.authorization !== undefined) headers.Authorization = options.authorization;
  else if (options.key !== undefined) headers.Authorization = `Bearer ${options.key}`;
  const response = await fetch(baseUrl + rpcPath(service, method, options.route), {
    method: options.method ?? 'POST',
    headers,
    body: options.raw ?? (options.method === 'GET' ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
