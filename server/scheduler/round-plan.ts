import { attemptKeyOf } from '../call-events/attempts.repository';
import type { DialRequest } from '../providers/provider';
import type { CampaignContext } from './decision-context';
import type { DispatchOptions } from './dispatch-round';
import type { DispatchDecision } from './dispatch-rules';
import type { Finish, NewAttempt, Requeue } from './message-transitions.repository';
import type { ClaimedMessage } from './scheduler.repository';

/**
 * What a dispatch round will write and dial, built message by message from the decisions: attempt
 * rows and dial requests, requeues, finishes, and the decisions counted for the metrics.
 */
export interface Plan {
  readonly attempts: NewAttempt[];
  readonly dials: DialRequest[];
  readonly requeues: Requeue[];
  readonly finishes: Finish[];
  /** How many messages were decided each way, by `<kind> <reason>`. */
  readonly decisions: Map<string, DecisionCount>;
}

/** How many claimed messages a round decided one way (dial, reschedule, wait, discard, …) and why. */
export interface DecisionCount {
  readonly kind: string;
  readonly reason: string | null;
  count: number;
}

/** A plan with nothing in it yet. */
export function emptyPlan(): Plan {
  return { attempts: [], dials: [], requeues: [], finishes: [], decisions: new Map() };
}

/** Counts one more message decided as `kind` for `reason`. */
export function countDecision(plan: Plan, kind: string, reason: string | null): void {
  const key = `${kind} ${reason ?? ''}`;
  const entry = plan.decisions.get(key);
  if (entry === undefined) plan.decisions.set(key, { kind, reason, count: 1 });
  else entry.count += 1;
}

/** A dial: its attempt row (written before the call) and the request the provider gets after the commit. */
export function addDial(plan: Plan, context: CampaignContext, message: ClaimedMessage, callerId: string, now: Date, options: DispatchOptions): void {
  const { campaign } = context;
  const number = message.attemptCount + 1;
  const attemptKey = attemptKeyOf(message.id, number);
  const seconds = campaign.ringDurationSeconds + options.maxCallSeconds + options.reconcileGraceSeconds;
  plan.attempts.push({
    messageId: message.id,
    number,
    attemptKey,
    callerId,
    deadlineAt: new Date(now.getTime() + seconds * 1000),
    listened: message.hasCallback || campaign.webhookUrl !== null,
  });
  plan.dials.push({
    attemptKey,
    tenantId: message.tenantId,
    campaignId: message.campaignId,
    messageId: message.id,
    attempt: number,
    assistantId: campaign.assistantId,
    callerId,
    phoneNumber: message.phoneNumber,
    variables: message.variables,
    ringDurationSeconds: campaign.ringDurationSeconds,
    startLogic: campaign.startLogic,
    startDelaySeconds: campaign.startDelaySeconds,
  });
}

/** The wait for a free line when the caller id chosen is full. */
export function waitFor(ms: number): DispatchDecision {
  return { kind: 'wait', reason: 'concurrency', retryAfterMs: ms };
}

/** Every decision but a dial becomes a requeue or a finish. */
export function addOther(plan: Plan, message: ClaimedMessage, decision: DispatchDecision, now: Date): void {
  switch (decision.kind) {
    case 'reschedule':
      plan.requeues.push({ messageId: message.id, at: decision.at, reason: decision.reason, kind: 'rescheduled' });
      return;
    case 'wait':
      plan.requeues.push({ messageId: message.id, at: new Date(now.getTime() + decision.retryAfterMs), reason: decision.reason, kind: 'waiting' });
      return;
    case 'discard':
    case 'expire':
    case 'cancel':
      plan.finishes.push({ messageId: message.id, status: 'FAILED', disposition: decision.disposition, reason: decision.reason });
      return;
    case 'fail':
      plan.finishes.push({ messageId: message.id, status: 'FAILED', disposition: message.disposition ?? 'FAILED', reason: decision.reason });
      return;
    case 'hold':
      // The campaign stopped running after the claim: look again later rather than at once.
      plan.requeues.push({ messageId: message.id, at: new Date(now.getTime() + 5_000), reason: decision.reason, kind: 'waiting' });
      return;
    case 'dial':
      return;
  }
}
