/**
 * When a failed delivery is tried again: 2 s after the first failure, doubling, at most an hour
 * apart, each wait drawn between half and all of its step (jitter, so receivers that come back
 * are not hit by every sender at once). A delivery still failing 24 h after its event is dead.
 * Pure: the caller passes the random draw.
 */

export const FIRST_RETRY_SECONDS = 2;
export const MAX_RETRY_SECONDS = 3_600;
export const GIVE_UP_AFTER_SECONDS = 24 * 3_600;

/** What follows a failed try. */
export type AfterFailure = { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'dead'; readonly reason: string };

/**
 * `failures` counts the failed tries so far, this one included; `random` is a draw in [0, 1).
 * A receiver that answers 410 Gone asked not to be called again: the delivery is dead at once.
 */
export function afterFailure(input: {
  readonly failures: number;
  readonly createdAt: Date;
  readonly now: Date;
  readonly httpStatus: number | null;
  readonly random: number;
}): AfterFailure {
  const { failures, createdAt, now, httpStatus, random } = input;
  if (httpStatus === 410) return { kind: 'dead', reason: 'gone' };
  if (now.getTime() - createdAt.getTime() >= GIVE_UP_AFTER_SECONDS * 1000) return { kind: 'dead', reason: 'gave_up' };
  const step = Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.min(30, Math.max(0, failures - 1)));
  const wait = step * (0.5 + 0.5 * Math.min(1, Math.max(0, random)));
  return { kind: 'retry', at: new Date(now.getTime() + Math.round(wait * 1000)) };
}
