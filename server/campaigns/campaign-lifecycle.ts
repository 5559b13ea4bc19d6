/**
 * The campaign lifecycle as a pure state machine:
 * `DRAFT → RUNNING ⇄ PAUSED → COMPLETED | CANCELLED` (a `DRAFT` may also be cancelled).
 */
import { failedPrecondition } from '../errors';
import type { CampaignStatus } from './campaign';

/** What a client (start, pause, resume, cancel) or the scheduler (complete) asks of a campaign. */
export type LifecycleAction = 'start' | 'pause' | 'resume' | 'cancel' | 'complete';

/** Every lifecycle action, in the order the table below lists them. */
export const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = ['start', 'pause', 'resume', 'cancel', 'complete'];

interface Rule {
  readonly from: readonly CampaignStatus[];
  readonly to: CampaignStatus;
  /** For the message: "only a DRAFT campaign can be <done>". */
  readonly done: string;
}

const RULES: Readonly<Record<LifecycleAction, Rule>> = {
  start: { from: ['DRAFT'], to: 'RUNNING', done: 'started' },
  pause: { from: ['RUNNING'], to: 'PAUSED', done: 'paused' },
  resume: { from: ['PAUSED'], to: 'RUNNING', done: 'resumed' },
  cancel: { from: ['DRAFT', 'RUNNING', 'PAUSED'], to: 'CANCELLED', done: 'cancelled' },
  complete: { from: ['RUNNING', 'PAUSED'], to: 'COMPLETED', done: 'completed' },
};

const FINISHED: readonly CampaignStatus[] = ['COMPLETED', 'CANCELLED'];

/**
 * The status `action` leads to from `from`; throws `failed_precondition` (meta `status`) when
 * `from` does not allow it.
 */
export function transition(from: CampaignStatus, action: LifecycleAction): CampaignStatus {
  const rule = RULES[action];
  if (!rule.from.includes(from)) {
    throw failedPrecondition(`campaign is ${from}; only a ${listed(rule.from)} campaign can be ${rule.done}`, {
      status: from,
    });
  }
  return rule.to;
}

/** The statuses `action` may start from, for a compare-and-set `UPDATE … WHERE status IN (…)`. */
export function allowedFrom(action: LifecycleAction): readonly CampaignStatus[] {
  return RULES[action].from;
}

/** Whether a campaign has ended for good (`COMPLETED` or `CANCELLED`). */
export function isFinished(status: CampaignStatus): boolean {
  return FINISHED.includes(status);
}

/** `A`, `A or B`, `A, B or C`. */
function listed(statuses: readonly CampaignStatus[]): string {
  const last = statuses[statuses.length - 1] ?? '';
  return statuses.length <= 1 ? last : `${statuses.slice(0, -1).join(', ')} or ${last}`;
}
