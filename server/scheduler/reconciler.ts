import { overdueAttempts } from '../call-events/attempts.repository';
import { reportOutcome } from '../call-events/call-events.service';
import { coerceError } from '../errors';
import type { SchedulerDeps } from './scheduler';

/**
 * Attempts whose outcome never came — the provider lost it, or the process that dialed died — are
 * closed once their deadline passes (ring duration + the longest call + a grace, set when the
 * attempt was written) as FAILED, answered_by `reconciled`, through the same path a provider's
 * report takes; the retry rules then decide. Safe with many processes: closing is a
 * compare-and-set on the attempt, so each is reconciled once, and a report that arrives later
 * is kept on the attempt without moving the message again.
 */
export async function reconcileOverdueAttempts(deps: SchedulerDeps, limit: number): Promise<number> {
  const overdue = await overdueAttempts(deps.db, deps.clock.now(), limit);
  for (const attempt of overdue) {
    try {
      await reportOutcome(deps, { ...attempt, outcome: 'FAILED', durationSeconds: 0, answeredBy: 'reconciled' });
    } catch (e: unknown) {
      deps.log.warn({ err: coerceError(e), attempt: attempt.attemptKey }, 'reconciling an attempt failed');
    }
  }
  if (overdue.length > 0) deps.log.info({ attempts: overdue.length }, 'reconciled attempts with no outcome');
  return overdue.length;
}
