import type { Kysely } from 'kysely';
import type { Database, Db } from '../db/database';
import { upsertEntries } from '../do-not-call/do-not-call.repository';
import { invalidArgument, notFound } from '../errors';
import type { Disposition, Message, MessageStatus } from '../messages/message';
import type { Metrics } from '../metrics/metrics';
import { findMessageForUpdate } from '../messages/messages.repository';
import type { OutcomeReport } from '../providers/provider';
import type { Clock } from '../shared/clock';
import { loadCampaignContexts, messageWindow } from '../scheduler/decision-context';
import { finishMessages, requeueMessages } from '../scheduler/message-transitions.repository';
import { decideAfterOutcome, startOfLocalDay, type OutcomeDecision } from '../scheduler/outcome-rules';
import { closeAttempt, countAttemptsSince, findAttempt, type AttemptRecord } from './attempts.repository';

/** What became of the message a report was about. */
export interface ReportResult {
  readonly messageId: string;
  readonly status: MessageStatus;
  readonly disposition: Disposition | null;
  /** The attempt had been reported (or reconciled) before: nothing changed. */
  readonly duplicate: boolean;
}

const MAX_TEXT = 2048;

/** An outcome decision, or a failure the campaign's end forces. */
type Verdict =
  | Exclude<OutcomeDecision, { kind: 'fail' }>
  | { readonly kind: 'fail'; readonly disposition: Disposition; readonly reason: string; readonly addToDoNotCall: boolean };

/**
 * Records how an attempt ended and moves its message on: success, failure, or a retry at the
 * next allowed time. Idempotent: the attempt is closed at most once (compare-and-set on
 * `ended_at`), so a repeated report, or one racing the reconciler, changes nothing. OPTED_OUT adds
 * the number to the tenant's do-not-call list in the same transaction. A recorded outcome (not a
 * repeat) is counted in `metrics` once its transaction has committed.
 */
export async function reportOutcome(
  deps: { db: Kysely<Database>; clock: Clock; metrics?: Metrics },
  report: OutcomeReport,
): Promise<ReportResult> {
  const ref = checkReference(report);
  // A deadlock or serialization failure rolls the whole report back; it is safe to run again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await recordOutcome(deps, report, ref);
      if (!result.duplicate) deps.metrics?.callOutcome(report.outcome, result.status);
      return result;
    } catch (e: unknown) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= 5 || (code !== '40P01' && code !== '40001')) throw e;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

async function recordOutcome(
  deps: { db: Kysely<Database>; clock: Clock },
  report: OutcomeReport,
  ref: { attemptKey?: string; providerCallId?: string },
): Promise<ReportResult> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const end = {
      outcome: report.outcome,
      durationSeconds: Math.max(0, Math.trunc(report.durationSeconds)),
      answeredBy: clip(report.answeredBy),
      recordingUrl: clip(report.recordingUrl),
      transcriptUrl: clip(report.transcriptUrl),
    };
    const attempt = await closeAttempt(trx, report.tenantId, ref, end, now);
    if (attempt === undefined) return answerRepeat(trx, report.tenantId, ref);
    const message = await findMessageForUpdate(trx, attempt.messageId);
    if (message === undefined) throw notFound('no attempt with that attempt_key or provider_call_id');
    // A late report for an attempt the reconciler already gave up on is kept; the message moved on.
    if (message.status !== 'DISPATCHED' || message.attemptCount !== attempt.number) return resultOf(message, false);
    const decision = await decide(trx, message, attempt, report, now);
    return apply(trx, message, decision, now);
  });
}

function checkReference(report: OutcomeReport): { attemptKey?: string; providerCallId?: string } {
  const attemptKey = report.attemptKey?.trim() ?? '';
  const providerCallId = report.providerCallId?.trim() ?? '';
  if (attemptKey === '' && providerCallId === '') {
    throw invalidArgument('attempt_key', 'attempt_key or provider_call_id is required');
  }
  return attemptKey !== '' ? { attemptKey } : { providerCallId };
}

async function answerRepeat(db: Db, tenantId: string, ref: { attemptKey?: string; providerCallId?: string }): Promise<ReportResult> {
  const attempt = await findAttempt(db, tenantId, ref);
  if (attempt === undefined) throw notFound('no attempt with that attempt_key or provider_call_id');
  const message = await findMessageForUpdate(db, attempt.messageId);
  if (message === undefined) throw notFound('no attempt with that attempt_key or provider_call_id');
  return resultOf(message, true);
}

async function decide(db: Db, message: Message, attempt: AttemptRecord, report: OutcomeReport, now: Date): Promise<Verdict> {
  const context = (await loadCampaignContexts(db, [message.campaignId])).get(message.campaignId);
  if (context === undefined) throw notFound('no campaign for that attempt');
  const finished = context.campaign.status === 'CANCELLED' || context.campaign.status === 'COMPLETED';
  const window = await messageWindow(context, message);
  const dayStart = startOfLocalDay(now, window.zone);
  const decision = decideAfterOutcome({
    settings: context.campaign,
    outcome: report.outcome,
    attemptCount: attempt.number,
    attemptsToday: await countAttemptsSince(db, message.id, dayStart),
    lastAttemptAt: attempt.startedAt,
    now,
    zone: window.zone,
    nextOpening: message.bypassCallingWindow ? window.nextBypassOpening : window.nextOpening,
  });
  // A campaign that ended while the call was in flight takes no retries.
  if (decision.kind === 'retry' && finished) {
    const disposition = context.campaign.status === 'CANCELLED' ? 'CANCELLED' : decision.disposition;
    return { kind: 'fail', disposition, reason: 'campaign_ended', addToDoNotCall: false };
  }
  return decision;
}

async function apply(db: Db, message: Message, decision: Verdict, now: Date): Promise<ReportResult> {
  switch (decision.kind) {
    case 'succeed':
      await finishMessages(db, [{ messageId: message.id, status: 'SUCCEEDED', disposition: decision.disposition, reason: null }], now);
      return { messageId: message.id, status: 'SUCCEEDED', disposition: decision.disposition, duplicate: false };
    case 'fail':
      await finishMessages(db, [{ messageId: message.id, status: 'FAILED', disposition: decision.disposition, reason: decision.reason }], now);
      if (decision.addToDoNotCall) {
        await upsertEntries(db, message.tenantId, { phoneNumbers: [message.phoneNumber], source: 'provider', reason: 'the recipient asked not to be called', expiresAt: null }, now);
      }
      return { messageId: message.id, status: 'FAILED', disposition: decision.disposition, duplicate: false };
    case 'retry':
      await requeueMessages(db, [{ messageId: message.id, at: decision.at, reason: decision.reason, disposition: decision.disposition, kind: 'retry_scheduled' }], now);
      return { messageId: message.id, status: 'QUEUED', disposition: decision.disposition, duplicate: false };
  }
}

function resultOf(message: Message, duplicate: boolean): ReportResult {
  return { messageId: message.id, status: message.status, disposition: message.disposition, duplicate };
}

function clip(value: string | undefined): string | null {
  const text = value?.trim() ?? '';
  return text === '' ? null : text.slice(0, MAX_TEXT);
}
