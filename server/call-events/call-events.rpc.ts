import type { Kysely } from 'kysely';
import { ReportCallOutcomeRequest_Outcome } from '../../generated/outreach/v1/call_events';
import type { CallEventsTwirp } from '../../generated/outreach/v1/call_events.twirp';
import { Disposition as DispositionWire, MessageInfo_Status } from '../../generated/outreach/v1/message';
import type { Database } from '../db/database';
import { invalidArgument } from '../errors';
import { tenantOf, type RequestContext } from '../http/request-context';
import { CALL_OUTCOMES, type CallOutcome } from '../providers/provider';
import type { Metrics } from '../metrics/metrics';
import type { Clock } from '../shared/clock';
import { valueOf, wordOf } from '../shared/proto-enum';
import { reportOutcome } from './call-events.service';

/** The CallEvents service: a provider's reports, in the tenant's name. */
export function callEventsRpcs(db: Kysely<Database>, clock: Clock, metrics?: Metrics): CallEventsTwirp<RequestContext> {
  return {
    ReportCallOutcome: async (ctx, req) => {
      const outcome = wordOf(ReportCallOutcomeRequest_Outcome, req.outcome);
      if (outcome === undefined || !(CALL_OUTCOMES as readonly string[]).includes(outcome)) {
        throw invalidArgument('outcome', `outcome is required: one of ${CALL_OUTCOMES.join(', ')}`);
      }
      if (req.durationSeconds < 0) throw invalidArgument('duration_seconds', 'duration_seconds must not be negative');
      const result = await reportOutcome(
        { db, clock, metrics },
        {
          tenantId: tenantOf(ctx),
          attemptKey: req.attemptKey,
          providerCallId: req.providerCallId,
          outcome: outcome as CallOutcome,
          durationSeconds: req.durationSeconds,
          answeredBy: req.answeredBy,
          recordingUrl: req.recordingUrl,
          transcriptUrl: req.transcriptUrl,
        },
      );
      return {
        messageId: result.messageId,
        status: valueOf(MessageInfo_Status, result.status),
        disposition: result.disposition === null ? DispositionWire.DISPOSITION_UNSPECIFIED : valueOf(DispositionWire, result.disposition),
        duplicate: result.duplicate,
      };
    },
  };
}
