/**
 * Closed-loop HTTP load: N keep-alive connections, each sending its next request as soon as the
 * previous answer is read in full.
 */
import type http from 'node:http';
import { post } from './rpc-client';
import { quantile } from './stats';

/** One run of the loop. */
export interface LoadOptions {
  readonly agent: http.Agent;
  readonly url: URL;
  readonly headers: http.OutgoingHttpHeaders;
  readonly connections: number;
  readonly durationMs: number;
  /** The body of the i-th request of this run (i counts from `firstIndex`). */
  readonly body: (i: number) => string;
  readonly firstIndex?: number;
}

/** What one run of the loop measured. */
export interface LoadResult {
  /** Requests answered 200 within the window. */
  readonly ok: number;
  /** Non-200 answers and transport errors within the window, by `HTTP <status> <twirp code>`. */
  readonly errors: Readonly<Record<string, number>>;
  readonly firstError: string | undefined;
  readonly seconds: number;
  /** Successful requests per second. */
  readonly rps: number;
  /** Latency of the successful requests, in milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  /** Every successful request's latency (ms), sorted. */
  readonly latencies: Float64Array;
  /** How many request bodies were used (the next run should start at firstIndex + used). */
  readonly used: number;
}

/**
 * Runs the loop for `durationMs`. Every request that completes inside the window counts; after
 * the window no new request starts, and those still in flight are awaited but not counted.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const first = options.firstIndex ?? 0;
  let next = first;
  const nextBody = (): string => options.body(next++);
  const tally = new Tally();
  const end = performance.now() + options.durationMs;
  await Promise.all(Array.from({ length: options.connections }, () => connection(options, nextBody, end, tally)));
  return summarize(tally, options.durationMs / 1000, next - first);
}

/** One connection's loop: send, wait for the whole answer, record it if it ended in the window. */
async function connection(options: LoadOptions, nextBody: () => string, end: number, tally: Tally): Promise<void> {
  while (performance.now() < end) {
    const body = nextBody();
    const t0 = performance.now();
    const failure = await send(options, body);
    const t1 = performance.now();
    if (t1 > end) break;
    if (failure === undefined) tally.success(t1 - t0);
    else tally.failure(failure.key, failure.detail);
  }
}

/** One request; undefined when it answered 200, else what went wrong. */
async function send(options: LoadOptions, body: string): Promise<{ key: string; detail: string } | undefined> {
  try {
    const res = await post(options.agent, options.url, options.headers, body);
    if (res.status === 200) return undefined;
    return { key: `HTTP ${res.status} ${twirpCode(res.body)}`, detail: res.body.slice(0, 300) };
  } catch (e: unknown) {
    return { key: `transport ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, detail: (e as Error).message };
  }
}

/** What the connections of one run share: latencies of the successes, counts of the failures. */
class Tally {
  latencies = new Float64Array(1 << 16);
  ok = 0;
  readonly errors: Record<string, number> = {};
  firstError: string | undefined;

  success(ms: number): void {
    if (this.ok === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.ok++] = ms;
  }

  failure(key: string, detail: string): void {
    this.errors[key] = (this.errors[key] ?? 0) + 1;
    this.firstError ??= `${key}: ${detail}`;
  }
}

function summarize(tally: Tally, seconds: number, used: number): LoadResult {
  const { ok } = tally;
  const sorted = tally.latencies.subarray(0, ok).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    ok,
    errors: tally.errors,
    firstError: tally.firstError,
    seconds,
    rps: ok / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    meanMs: ok > 0 ? sum / ok : Number.NaN,
    maxMs: ok > 0 ? (sorted[ok - 1] as number) : Number.NaN,
    latencies: sorted,
    used,
  };
}

function twirpCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    return typeof parsed.code === 'string' ? parsed.code : '';
  } catch {
    return '';
  }
}
