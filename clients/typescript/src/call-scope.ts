import { OutreachError } from './errors';

/**
 * One call's lifetime: its deadline and the caller's `AbortSignal` abort one controller, whose
 * signal every attempt and every backoff wait of the call listens to. The deadline covers the whole
 * call, retries and waits included.
 */
export class CallScope {
  /** Aborted when the deadline passes or the caller aborts. */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly deadline: number;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly callerSignal: AbortSignal | undefined;
  private readonly onCallerAbort = (): void => this.stop(callerError(this.callerSignal?.reason));
  private reason: OutreachError | undefined;

  constructor(timeoutMs: number, callerSignal: AbortSignal | undefined) {
    this.signal = this.controller.signal;
    this.callerSignal = callerSignal;
    this.deadline = Number.isFinite(timeoutMs) ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
    if (callerSignal?.aborted) {
      this.stop(callerError(callerSignal.reason));
    } else {
      callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    this.timer = Number.isFinite(timeoutMs) && !this.signal.aborted ? setTimeout(() => this.stop(deadlineError(timeoutMs)), timeoutMs) : undefined;
  }

  /** The error that ended the call, once the deadline passed or the caller aborted. */
  get abortError(): OutreachError | undefined {
    return this.reason;
  }

  /** Milliseconds left before the deadline. */
  remainingMs(): number {
    return this.deadline - Date.now();
  }

  /** Waits `ms`, or rejects with the scope's error as soon as it is aborted. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.reason !== undefined) return reject(this.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(this.reason);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Releases the timer and the listener on the caller's signal; call once the call settles. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private stop(error: OutreachError): void {
    if (this.reason !== undefined) return;
    this.reason = error;
    this.controller.abort(error);
  }
}

function deadlineError(timeoutMs: number): OutreachError {
  return new OutreachError('deadline_exceeded', `the call did not complete within ${timeoutMs} ms`);
}

/**
 * A caller's `AbortSignal.timeout()` is a deadline too; any other abort is a cancellation. The
 * reason is checked by name: a `DOMException` from Node's realm is no `instanceof Error` in a VM.
 */
function callerError(reason: unknown): OutreachError {
  if (typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError') {
    return new OutreachError('deadline_exceeded', 'the caller\'s signal timed out', {}, { cause: reason });
  }
  return new OutreachError('canceled', 'the call was canceled by the caller', {}, { cause: reason });
}
