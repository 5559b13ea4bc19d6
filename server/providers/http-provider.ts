import { signatureHeader } from '../webhooks/signature';
import type { DialRequest, Provider } from './provider';

/** Where and how the http provider sends dial requests. */
export interface HttpProviderOptions {
  /** The provider's endpoint for dial requests. */
  readonly url: string;
  /** Signs every request (`Outreach-Signature`, as webhooks are signed). */
  readonly secret: string;
  /** Where the provider reports outcomes: CallEvents.ReportCallOutcome of this service. */
  readonly reportUrl: string;
  /** Longest one request may take. */
  readonly timeoutMs: number;
  /** Tries of one dial request: the first and the retries after a 5xx, a timeout or no connection. */
  readonly tries: number;
  /** Wait before the first retry; doubled for each next one. */
  readonly retryDelayMs: number;
}

/** A dial the provider refused or could not take; the outcome path records it as FAILED. */
export class DialError extends Error {
  override readonly name = 'DialError';
}

/**
 * The `http` provider: POSTs a signed dial request to a configured URL. A 2xx accepts the call
 * (`{"provider_call_id": "…"}` in the answer is kept when given); a 5xx, a timeout or a refused
 * connection is retried under the same attempt key (`Idempotency-Key`), so a provider that took
 * the first request dials once; any other answer refuses the dial. The provider reports the
 * outcome later through CallEvents.ReportCallOutcome, with an API key of the request's tenant.
 */
export class HttpProvider implements Provider {
  readonly name = 'http';

  constructor(
    private readonly options: HttpProviderOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async dial(request: DialRequest): Promise<{ providerCallId: string | undefined }> {
    const body = JSON.stringify(dialBody(request, this.options.reportUrl));
    let lastProblem = '';
    for (let tryNo = 1; tryNo <= this.options.tries; tryNo += 1) {
      if (tryNo > 1) await sleep(this.options.retryDelayMs * 2 ** (tryNo - 2));
      const answer = await this.post(request.attemptKey, body);
      if (answer.kind === 'accepted') return { providerCallId: answer.providerCallId };
      if (answer.kind === 'refused') throw new DialError(answer.problem);
      lastProblem = answer.problem;
    }
    throw new DialError(`${lastProblem} (after ${this.options.tries} tries)`);
  }

  async close(): Promise<void> {}

  private async post(
    attemptKey: string,
    body: string,
  ): Promise<{ kind: 'accepted'; providerCallId: string | undefined } | { kind: 'refused' | 'retry'; problem: string }> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': attemptKey,
          'Outreach-Signature': signatureHeader(this.options.secret, body, this.clock()),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (e: unknown) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      return { kind: 'retry', problem: (e as Error).name === 'TimeoutError' ? `timed out after ${this.options.timeoutMs} ms` : (cause ?? (e as Error).message) };
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 500) return { kind: 'retry', problem: `HTTP ${response.status}` };
    if (response.status < 200 || response.status >= 300) return { kind: 'refused', problem: `HTTP ${response.status}: ${text.slice(0, 200)}` };
    return { kind: 'accepted', providerCallId: providerCallIdOf(text) };
  }
}

/** The dial request as the README documents it. */
export function dialBody(request: DialRequest, reportUrl: string): Record<string, unknown> {
  return {
    attempt_key: request.attemptKey,
    attempt: request.attempt,
    tenant_id: request.tenantId,
    campaign_id: request.campaignId,
    message_id: request.messageId,
    assistant_id: request.assistantId,
    caller_id: request.callerId,
    to: request.phoneNumber,
    variables: request.variables,
    ring_duration_seconds: request.ringDurationSeconds,
    start_logic: request.startLogic,
    start_delay_seconds: request.startDelaySeconds,
    report_outcome_to: reportUrl,
  };
}

function providerCallIdOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { provider_call_id?: unknown }).provider_call_id;
    return typeof id === 'string' && id !== '' && id.length <= 200 ? id : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
