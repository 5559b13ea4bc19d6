import type { Db } from '../db/database';
import type { DialRequest } from '../providers/provider';
import { buildWindow, loadCampaignContexts, windowZones, type CampaignContext, type MessageWindow } from './decision-context';
import { decideDispatch, pickCallerId, type DispatchDecision } from './dispatch-rules';
import { startOfLocalDay } from './outcome-rules';
import { finishMessages, requeueMessages, startAttempts } from './message-transitions.repository';
import { addDial, addOther, countDecision, emptyPlan, waitFor, type DecisionCount, type Plan } from './round-plan';
import type { SchedulerDeps } from './scheduler';
import {
  callsToNumbers,
  claimDueMessages,
  inFlightByCallerId,
  recentAttempts,
  releaseReservations,
  reserveSlots,
  type ClaimedMessage,
} from './scheduler.repository';

/** Batch sizes and caps of a dispatch round. */
export interface DispatchOptions {
  /** Most messages claimed in one round. */
  readonly claimBatch: number;
  /** Most messages one campaign gives to a round. */
  readonly perCampaign: number;
  /** Most calls in flight per caller id, across campaigns; 0 for none. */
  readonly callerIdCap: number;
  /** Longest a call may last; with the ring duration and the grace, when an attempt is reconciled. */
  readonly maxCallSeconds: number;
  readonly reconcileGraceSeconds: number;
  /** How long a message held back by a concurrency cap waits. */
  readonly concurrencyRetryMs: number;
}

/** Where the next round starts, so campaigns are served in turn. */
export interface RoundCursor {
  afterCampaign: string;
  rotation: number;
}

/** What a round did: messages claimed, dials to make after its commit, and its decisions. */
export interface RoundResult {
  readonly claimed: number;
  readonly dials: DialRequest[];
  readonly decisions: readonly DecisionCount[];
}

/** How long a round's reservation outlives a process that died before the round committed. */
const RESERVATION_LEASE_SECONDS = 120;

/**
 * One round: reserve call slots, then claim due messages within them, decide each, and record
 * every decision — attempt rows included — in the claim's transaction, which also gives the
 * reservation back. The dials are returned for after the commit, so a crash before the provider
 * is called leaves attempts for the reconciler, never a call without a record.
 */
export async function runDispatchRound(
  deps: SchedulerDeps,
  cursor: RoundCursor,
  now: Date,
): Promise<RoundResult> {
  const { options } = deps;
  const reservations = await reserveSlots(deps.db, {
    now,
    perCampaign: options.perCampaign,
    maxCampaigns: Math.max(1, Math.ceil(options.claimBatch / Math.max(1, Math.min(options.perCampaign, 10)))),
    afterCampaign: cursor.afterCampaign,
    leaseSeconds: RESERVATION_LEASE_SECONDS,
  });
  if (reservations.length === 0) return { claimed: 0, dials: [], decisions: [] };
  cursor.afterCampaign = reservations.map((r) => r.campaignId).sort().at(-1) ?? cursor.afterCampaign;
  // Read beside the claim, on another connection of the pool (OUTREACH_DB_POOL_SIZE is at least 2
  // for this): the reserved campaigns are the only ones claimed from.
  const contexts = loadCampaignContexts(deps.db, reservations.map((r) => r.campaignId));
  contexts.catch(() => undefined); // awaited in the round, which fails with it
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const claimed = await claimDueMessages(trx, now, reservations);
      const plan = claimed.length === 0 ? emptyPlan() : await planRound(trx, deps, cursor, claimed, await contexts, now);
      await startAttempts(trx, plan.attempts, now);
      await requeueMessages(trx, plan.requeues, now);
      await finishMessages(trx, plan.finishes, now);
      await releaseReservations(trx, reservations);
      return { claimed: claimed.length, dials: plan.dials, decisions: [...plan.decisions.values()] };
    });
  } catch (e: unknown) {
    // The round rolled back: give the slots back now rather than when they expire.
    await releaseReservations(deps.db, reservations).catch(() => undefined);
    throw e;
  }
}

async function planRound(
  db: Db,
  deps: SchedulerDeps,
  cursor: RoundCursor,
  claimed: readonly ClaimedMessage[],
  contexts: ReadonlyMap<string, CampaignContext>,
  now: Date,
): Promise<Plan> {
  // A first attempt has no past calls to space out or count.
  const retried = claimed.filter((m) => m.attemptCount > 0).map((m) => m.id);
  const recent = await recentAttempts(db, retried, new Date(now.getTime() - 2 * 86_400_000));
  const inFlight = deps.options.callerIdCap > 0 ? await inFlightByCallerId(db, callerIdsOf(contexts)) : new Map<string, number>();
  const frequency = await frequencyCounts(db, contexts, claimed, now);
  const campaignLoad = new Map<string, number>();
  const windows = new Map<string, MessageWindow>();
  const plan = emptyPlan();
  for (const message of claimed) {
    const context = contexts.get(message.campaignId);
    if (context === undefined) continue;
    if (message.suppressed) {
      plan.finishes.push({ messageId: message.id, status: 'FAILED', disposition: 'OPTED_OUT', reason: 'do_not_call' });
      countDecision(plan, 'suppress', 'do_not_call');
      continue;
    }
    const used = campaignLoad.get(message.campaignId) ?? 0;
    // The reservation is the round's share of the campaign's free slots: the cap binds once it is used.
    const inFlightForCampaign = context.campaign.maxConcurrentCalls - message.reservedSlots + used;
    // A campaign's own window needs no lookup of the recipient's zones, nor an await per message.
    const window = context.campaign.recipientLocalTime ? await windowFor(windows, context, message) : cachedWindow(windows, context, undefined);
    const history = recent.get(message.id);
    const callerId = pickCallerId(context.campaign, cursor.rotation, inFlight, deps.options.callerIdCap);
    const decision = decideDispatch({
      message: {
        scheduledAt: message.nextAttemptAt,
        bypassCallingWindow: message.bypassCallingWindow,
        attemptCount: message.attemptCount,
        lastAttemptAt: history?.lastStartedAt ?? null,
        attemptsToday: history === undefined ? 0 : countSince(history.startedSince, startOfLocalDay(now, window.zone)),
      },
      settings: context.campaign,
      status: context.campaign.status,
      now,
      zone: window.zone,
      windowReason: window.windowReason(now),
      quietHoursReason: window.quietHoursReason(now),
      quietHoursApplyToBypass: !(context.policy?.bypassMayOverrideQuietHours ?? false),
      nextOpening: window.nextOpening,
      nextBypassOpening: window.nextBypassOpening,
      endDatePassed: window.endDatePassed(now),
      pacing: pacingOf(context, inFlightForCampaign, callerId, inFlight, deps.options.callerIdCap, frequency.get(message.phoneNumber)),
      concurrencyRetryMs: deps.options.concurrencyRetryMs,
    });
    if (decision.kind === 'dial' && callerId !== undefined) {
      cursor.rotation += 1;
      campaignLoad.set(message.campaignId, used + 1);
      inFlight.set(callerId, (inFlight.get(callerId) ?? 0) + 1);
      addDial(plan, context, message, callerId, now, deps.options);
      countDecision(plan, 'dial', null);
    } else {
      const other = decision.kind === 'dial' ? waitFor(deps.options.concurrencyRetryMs) : decision;
      addOther(plan, message, other, now);
      countDecision(plan, other.kind, other.reason ?? null);
    }
  }
  return plan;
}

function countSince(instants: readonly Date[], since: Date): number {
  return instants.filter((t) => t.getTime() >= since.getTime()).length;
}

function callerIdsOf(contexts: ReadonlyMap<string, CampaignContext>): string[] {
  return [...contexts.values()].flatMap((c) => [c.campaign.phoneNumberId ?? '', ...c.campaign.phoneNumberPool]).filter((id) => id !== '');
}

/**
 * Messages whose windows are read in the same zones share one window, and with it the answers it
 * remembers: a campaign's own window serves all its messages, a recipient-local one each set of
 * zones.
 */
async function windowFor(cache: Map<string, MessageWindow>, context: CampaignContext, message: ClaimedMessage): Promise<MessageWindow> {
  return cachedWindow(cache, context, await windowZones(context, message));
}

function cachedWindow(cache: Map<string, MessageWindow>, context: CampaignContext, zones: readonly string[] | undefined): MessageWindow {
  const key = zones === undefined ? context.campaign.id : `${context.campaign.id} ${zones.join(' ')}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const window = buildWindow(context, zones);
  cache.set(key, window);
  return window;
}

function pacingOf(
  context: CampaignContext,
  inFlightForCampaign: number,
  callerId: string | undefined,
  inFlight: ReadonlyMap<string, number>,
  callerIdCap: number,
  calls: { count: number; oldest: Date | null } | undefined,
) {
  const cap = context.policy !== undefined && context.policy.maxCallsPerNumber > 0
    ? { maxCalls: context.policy.maxCallsPerNumber, windowDays: context.policy.frequencyWindowDays }
    : null;
  return {
    inFlightForCampaign,
    // No free caller id: count it as full, so the message waits.
    inFlightForCallerId: callerId === undefined ? Number.MAX_SAFE_INTEGER : (inFlight.get(callerId) ?? 0),
    callerIdCap: callerId === undefined ? 1 : callerIdCap,
    recentCallsToNumber: calls?.count ?? 0,
    oldestRecentCallAt: calls?.oldest ?? null,
    frequencyCap: cap,
  };
}

/** Calls per number within each tenant's frequency window; only for tenants with a cap. */
async function frequencyCounts(
  db: Db,
  contexts: ReadonlyMap<string, CampaignContext>,
  claimed: readonly ClaimedMessage[],
  now: Date,
): Promise<Map<string, { count: number; oldest: Date | null }>> {
  const counts = new Map<string, { count: number; oldest: Date | null }>();
  const byTenant = new Map<string, { days: number; numbers: string[] }>();
  for (const m of claimed) {
    const policy = contexts.get(m.campaignId)?.policy;
    if (policy === undefined || policy.maxCallsPerNumber <= 0) continue;
    const entry = byTenant.get(m.tenantId) ?? { days: policy.frequencyWindowDays, numbers: [] };
    entry.numbers.push(m.phoneNumber);
    byTenant.set(m.tenantId, entry);
  }
  for (const [tenantId, { days, numbers }] of byTenant) {
    const since = new Date(now.getTime() - days * 86_400_000);
    for (const [number, calls] of await callsToNumbers(db, tenantId, numbers, since)) counts.set(number, calls);
  }
  return counts;
}

