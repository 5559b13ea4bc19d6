import { appendFileSync } from 'node:fs';
import type { Logger } from '../logger';
import { coerceError } from '../errors';
import type { CallOutcome, DialRequest, OutcomeReport, Provider } from './provider';

/** By default the number's last digit picks the outcome, so demos and tests are reproducible. */
export const DEFAULT_OUTCOME_BY_DIGIT: Readonly<Record<string, CallOutcome>> = Object.freeze({
  '0': 'COMPLETED',
  '1': 'COMPLETED',
  '2': 'COMPLETED',
  '3': 'COMPLETED',
  '4': 'COMPLETED',
  '5': 'COMPLETED',
  '6': 'BUSY',
  '7': 'NO_ANSWER',
  '8': 'VOICEMAIL',
  '9': 'FAILED',
});

export interface SimulatedProviderOptions {
  /** How long every call lasts before its outcome is reported. */
  readonly callSeconds: number;
  /** Last digit → outcome; digits not listed fall back to the default rule. */
  readonly outcomeByDigit?: Readonly<Record<string, CallOutcome>>;
  /** Where outcomes go: the same function CallEvents.ReportCallOutcome calls. */
  readonly report: (report: OutcomeReport) => Promise<unknown>;
  readonly log: Logger;
  /** A file every dial is appended to (`<attempt key>\n`), so tests can count dials across processes. */
  readonly dialLogFile?: string;
}

/**
 * An in-process provider: every dial "rings" for `callSeconds`, then reports an outcome chosen by
 * the number's last digit. It remembers how often it was asked to dial each attempt key, so tests
 * can prove that no key is dialed twice.
 */
export class SimulatedProvider implements Provider {
  readonly name = 'simulated';
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly dials = new Map<string, number>();
  private readonly outcomes: Readonly<Record<string, CallOutcome>>;

  constructor(private readonly options: SimulatedProviderOptions) {
    this.outcomes = { ...DEFAULT_OUTCOME_BY_DIGIT, ...options.outcomeByDigit };
  }

  async dial(request: DialRequest): Promise<{ providerCallId: string }> {
    this.dials.set(request.attemptKey, (this.dials.get(request.attemptKey) ?? 0) + 1);
    if (this.options.dialLogFile !== undefined) appendFileSync(this.options.dialLogFile, `${request.attemptKey}\n`);
    const providerCallId = `sim_${request.attemptKey}`;
    const outcome = this.outcomes[request.phoneNumber.slice(-1)] ?? 'COMPLETED';
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const durationSeconds = outcome === 'COMPLETED' || outcome === 'VOICEMAIL' ? this.options.callSeconds : 0;
      this.options
        .report({ tenantId: request.tenantId, attemptKey: request.attemptKey, providerCallId, outcome, durationSeconds })
        .catch((e: unknown) => this.options.log.warn({ err: coerceError(e), attempt: request.attemptKey }, 'simulated outcome not recorded'));
    }, this.options.callSeconds * 1000);
    this.timers.add(timer);
    return { providerCallId };
  }

  /** How many times each attempt key was dialed. */
  dialCounts(): ReadonlyMap<string, number> {
    return this.dials;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
