import { recordProviderCallIds, type ProviderCall } from '../call-events/attempts.repository';
import { reportOutcome } from '../call-events/call-events.service';
import { coerceError } from '../errors';
import type { DialRequest } from '../providers/provider';
import type { SchedulerDeps } from './scheduler';

/**
 * Dials after the round committed. A provider that refuses or fails reports FAILED through the
 * outcome path, so the retry rules decide what follows; a crash here leaves the attempt open for
 * the reconciler, and its key is never dialed again.
 */
export async function dialClaimed(deps: SchedulerDeps, dials: readonly DialRequest[]): Promise<void> {
  const accepted: ProviderCall[] = [];
  await Promise.all(
    dials.map(async (dial) => {
      try {
        const { providerCallId } = await deps.provider.dial(dial);
        if (providerCallId !== undefined) accepted.push({ tenantId: dial.tenantId, messageId: dial.messageId, number: dial.attempt, providerCallId });
      } catch (e: unknown) {
        deps.log.warn({ err: coerceError(e), attempt: dial.attemptKey }, 'dial failed');
        await reportOutcome(deps, { tenantId: dial.tenantId, attemptKey: dial.attemptKey, outcome: 'FAILED', durationSeconds: 0, answeredBy: 'provider_error' }).catch(
          (err: unknown) => deps.log.error({ err: coerceError(err), attempt: dial.attemptKey }, 'recording a failed dial failed'),
        );
      }
    }),
  );
  await recordProviderCallIds(deps.db, accepted);
}
