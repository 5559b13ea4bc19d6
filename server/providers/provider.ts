import type { StartLogic } from '../campaigns/campaign';

import type { CallOutcome } from '../scheduler/outcome-rules';

/** How a call ended, as a provider reports it (the vocabulary the outcome rules decide on). */
export { CALL_OUTCOMES, type CallOutcome } from '../scheduler/outcome-rules';

/** One dial, as the scheduler asks a provider for it. */
export interface DialRequest {
  /** Unique per attempt: a provider that sees a key twice must not dial twice. */
  readonly attemptKey: string;
  readonly tenantId: string;
  readonly campaignId: string;
  readonly messageId: string;
  /** Which call of the message this is: 1 for the first. */
  readonly attempt: number;
  readonly assistantId: string;
  readonly callerId: string;
  readonly phoneNumber: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly ringDurationSeconds: number;
  readonly startLogic: StartLogic;
  readonly startDelaySeconds: number;
}

/** A provider's report of how an attempt ended. */
export interface OutcomeReport {
  readonly tenantId: string;
  readonly attemptKey?: string;
  readonly providerCallId?: string;
  readonly outcome: CallOutcome;
  readonly durationSeconds: number;
  readonly answeredBy?: string;
  readonly recordingUrl?: string;
  readonly transcriptUrl?: string;
}

/**
 * The port the scheduler dials through. `dial` returns once the provider has accepted the call;
 * the outcome arrives later, through the same path a provider's CallEvents report takes.
 */
export interface Provider {
  readonly name: string;
  /** The provider's id of the call, when it gives one. */
  dial(request: DialRequest): Promise<{ providerCallId: string | undefined }>;
  /** Stops whatever the provider runs in this process (timers, connections). */
  close(): Promise<void>;
}
