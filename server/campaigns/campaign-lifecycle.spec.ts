import { DomainError } from '../errors';
import { CAMPAIGN_STATUSES, type CampaignStatus } from './campaign';
import { LIFECYCLE_ACTIONS, allowedFrom, isFinished, transition, type LifecycleAction } from './campaign-lifecycle';

/** Every allowed move; any (status, action) pair not listed must be refused. */
const ALLOWED: ReadonlyArray<[CampaignStatus, LifecycleAction, CampaignStatus]> = [
  ['DRAFT', 'start', 'RUNNING'],
  ['RUNNING', 'pause', 'PAUSED'],
  ['PAUSED', 'resume', 'RUNNING'],
  ['DRAFT', 'cancel', 'CANCELLED'],
  ['RUNNING', 'cancel', 'CANCELLED'],
  ['PAUSED', 'cancel', 'CANCELLED'],
  ['RUNNING', 'complete', 'COMPLETED'],
  ['PAUSED', 'complete', 'COMPLETED'],
];

const REFUSED = CAMPAIGN_STATUSES.flatMap((from) =>
  LIFECYCLE_ACTIONS.filter((action) => !ALLOWED.some(([f, a]) => f === from && a === action)).map(
    (action) => [from, action] as const,
  ),
);

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e: unknown) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('transition', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, action, to) => {
    expect(transition(from, action)).toBe(to);
  });

  it.each(REFUSED)('%s refuses %s with failed_precondition', (from, action) => {
    const error = errorOf(() => transition(from, action));
    expect(error.kind).toBe('failed_precondition');
    expect(error.meta).toEqual({ status: from });
    expect(error.message).toMatch(new RegExp(`^campaign is ${from}; only a .+ campaign can be \\w+$`));
  });

  it('covers every pair of status and action', () => {
    expect(ALLOWED.length + REFUSED.length).toBe(CAMPAIGN_STATUSES.length * LIFECYCLE_ACTIONS.length);
  });

  it.each([
    ['RUNNING', 'start', 'campaign is RUNNING; only a DRAFT campaign can be started'],
    ['DRAFT', 'pause', 'campaign is DRAFT; only a RUNNING campaign can be paused'],
    ['RUNNING', 'resume', 'campaign is RUNNING; only a PAUSED campaign can be resumed'],
    ['COMPLETED', 'cancel', 'campaign is COMPLETED; only a DRAFT, RUNNING or PAUSED campaign can be cancelled'],
    ['DRAFT', 'complete', 'campaign is DRAFT; only a RUNNING or PAUSED campaign can be completed'],
  ] as const)('%s + %s says %j', (from, action, message) => {
    expect(errorOf(() => transition(from, action)).message).toBe(message);
  });
});

describe('allowedFrom', () => {
  it.each([
    ['start', ['DRAFT']],
    ['pause', ['RUNNING']],
    ['resume', ['PAUSED']],
    ['cancel', ['DRAFT', 'RUNNING', 'PAUSED']],
    ['complete', ['RUNNING', 'PAUSED']],
  ] as const)('%s from %j', (action, statuses) => {
    expect(allowedFrom(action)).toEqual(statuses);
  });

  it.each(LIFECYCLE_ACTIONS)('%s agrees with transition', (action) => {
    const accepted = CAMPAIGN_STATUSES.filter((from) => ALLOWED.some(([f, a]) => f === from && a === action));
    expect([...allowedFrom(action)].sort()).toEqual([...accepted].sort());
  });
});

describe('isFinished', () => {
  it.each([
    ['DRAFT', false],
    ['RUNNING', false],
    ['PAUSED', false],
    ['COMPLETED', true],
    ['CANCELLED', true],
  ] as const)('%s → %s', (status, finished) => {
    expect(isFinished(status)).toBe(finished);
  });

  it.each(CAMPAIGN_STATUSES.filter(isFinished))('%s allows no action at all', (status) => {
    for (const action of LIFECYCLE_ACTIONS) expect(() => transition(status, action)).toThrow(DomainError);
  });
});
