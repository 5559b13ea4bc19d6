import type { Kysely } from 'kysely';
import type { Campaign } from '../campaigns/campaign';
import { isFinished } from '../campaigns/campaign-lifecycle';
import { findCampaign } from '../campaigns/campaigns.repository';
import { getCampaign } from '../campaigns/campaigns.service';
import type { Database } from '../db/database';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors';
import { Batcher } from '../shared/batcher';
import type { Clock } from '../shared/clock';
import { isUuid, requireId } from '../shared/ids';
import { decodePageToken, encodePageToken, pageOf, pageSize } from '../shared/page-token';
import { uuid7 } from '../shared/uuid7';
import { readCampaignCounts } from '../stats/campaign-stats.repository';
import { statsFromCounts, type CampaignStats } from '../stats/campaign-stats';
import { attemptsOfMessage } from '../call-events/attempts.repository';
import type { Attempt, Disposition, Message, MessageStatus, NewMessage, WriteOutcome } from './message';
import { localTimeToInstant } from './message-input';
import {
  cancelQueuedMessage,
  findActiveMessage,
  findMessage,
  findMessageByExternalId,
  insertMessages,
  listMessages as selectMessages,
} from './messages.repository';
import { validateSendMessage, type SendMessageInput, type ValidSendMessage } from './send-message-input';
import { literalCallbackProblem } from '../webhooks/callback-address';
import { recordMessageEvents } from '../webhooks/outbox.repository';

type DB = Kysely<Database>;

/** What the message operations need: the database, the clock, and the SendMessage batcher. */
export interface MessagesContext {
  readonly db: DB;
  readonly clock: Clock;
  readonly writer: Batcher<NewMessage, WriteOutcome>;
  /** Callback URLs may name private, loopback and link-local addresses (development). */
  readonly allowPrivateCallbacks: boolean;
}

/**
 * The SendMessage writer: concurrent requests are written together in one statement, so the
 * database sees one round trip per batch rather than one per request.
 */
export function createMessageWriter(db: DB, clock: Clock): Batcher<NewMessage, WriteOutcome> {
  return new Batcher((messages) => insertMessages(db, messages, clock.now()), 500, 4);
}

/** The answer to a SendMessage. */
export interface SendResult {
  readonly messageId: string;
  readonly status: MessageStatus;
  readonly disposition: Disposition | null;
  readonly replayed: boolean;
}

/** Queues one contact, or records it as opted out; see the SendMessage contract. */
export async function sendMessage(ctx: MessagesContext, tenantId: string, input: SendMessageInput): Promise<SendResult> {
  const valid = validateSendMessage(input);
  const callbackProblem = valid.callbackUrl === null ? undefined : literalCallbackProblem(valid.callbackUrl, ctx.allowPrivateCallbacks);
  if (callbackProblem !== undefined) throw invalidArgument('Callback.URL', `Callback.URL ${callbackProblem}`);
  if (!isUuid(valid.campaignId)) throw unknownCampaign('CampaignID');
  const campaignId = valid.campaignId.toLowerCase();
  const scheduledAt = await resolveSchedule(ctx.db, tenantId, campaignId, valid);
  for (let round = 0; round < 3; round += 1) {
    const message = newMessage(tenantId, campaignId, valid, scheduledAt);
    const outcome = await ctx.writer.submit(message);
    if (outcome.written) return { messageId: message.id, status: outcome.status, disposition: outcome.disposition, replayed: false };
    const explained = await explainUnwritten(ctx.db, tenantId, message);
    if (explained !== undefined) return explained;
    // The message that blocked this one ended in between: write again.
  }
  throw failedPrecondition('the number kept changing state while this message was written; retry');
}

async function resolveSchedule(db: DB, tenantId: string, campaignId: string, valid: ValidSendMessage): Promise<Date | null> {
  const schedule = valid.schedule;
  if (schedule.kind === 'now') return null;
  if (schedule.kind === 'instant') return schedule.at;
  const campaign = await findCampaign(db, tenantId, campaignId);
  if (campaign === undefined) throw unknownCampaign('CampaignID');
  return localTimeToInstant(schedule.text, campaign.timezone);
}

function newMessage(tenantId: string, campaignId: string, valid: ValidSendMessage, scheduledAt: Date | null): NewMessage {
  return {
    id: uuid7(),
    tenantId,
    campaignId,
    phoneNumber: valid.phoneNumber,
    variables: valid.variables,
    callbackUrl: valid.callbackUrl,
    callbackState: valid.callbackState,
    scheduledAt,
    bypassCallingWindow: valid.bypassCallingWindow,
    allowDuplicates: valid.allowDuplicates,
    externalId: valid.externalId,
    language: null,
    metadata: {},
    timezone: null,
  };
}

/**
 * Why a message was not written: an unknown or finished campaign, an external id seen before
 * (answered with the original message), or a queued/in-flight message to the same number.
 * Undefined when nothing blocks it any more.
 */
async function explainUnwritten(db: DB, tenantId: string, message: NewMessage): Promise<SendResult | undefined> {
  const campaign = await findCampaign(db, tenantId, message.campaignId);
  if (campaign === undefined) throw unknownCampaign('CampaignID');
  refuseFinished(campaign);
  if (message.externalId !== null) {
    const original = await findMessageByExternalId(db, message.campaignId, message.externalId);
    if (original !== undefined) {
      return { messageId: original.id, status: original.status, disposition: original.disposition, replayed: true };
    }
  }
  const active = message.allowDuplicates ? undefined : await findActiveMessage(db, message.campaignId, message.phoneNumber);
  if (active === undefined) return undefined;
  throw alreadyExists('a message to this number is already queued or in flight in this campaign; set AllowDuplicates to send another', {
    existing_message_id: active.id,
    existing_status: active.status,
    existing_created_at: active.createdAt.toISOString(),
  });
}

/** One message of this tenant with its attempt history; any other id is `not_found`. */
export async function getMessage(db: DB, tenantId: string, messageIdInput: string): Promise<{ message: Message; attempts: Attempt[] }> {
  const message = await requireMessage(db, tenantId, messageIdInput);
  const attempts = (await attemptsOfMessage(db, message.id)).map(
    (row): Attempt => ({
      number: row.number,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      outcome: row.outcome as Disposition | null,
      providerCallId: row.provider_call_id,
      durationSeconds: row.duration_seconds,
    }),
  );
  return { message, attempts };
}

export interface ListMessagesInput {
  readonly campaignId: string;
  readonly statuses: readonly MessageStatus[];
  readonly pageSize: number;
  readonly pageToken: string;
}

const PAGE_KIND = 'messages';

/** One page of a campaign's messages, oldest first. */
export async function listMessages(
  db: DB,
  tenantId: string,
  input: ListMessagesInput,
): Promise<{ messages: Message[]; nextPageToken: string }> {
  const campaign = await getCampaign(db, tenantId, input.campaignId);
  const limit = pageSize(input.pageSize);
  const afterSeq = decodePageToken(PAGE_KIND, input.pageToken);
  const rows = await selectMessages(db, campaign.id, { statuses: input.statuses, afterSeq, limit: limit + 1 });
  const { page, nextPageToken } = pageOf(rows, limit, (last) => encodePageToken(PAGE_KIND, last.seq));
  return { messages: page.map((r) => r.message), nextPageToken };
}

/** Cancels a QUEUED message; any other status is `failed_precondition`. */
export async function cancelMessage(db: DB, tenantId: string, messageIdInput: string): Promise<Message> {
  const id = requireMessageId(messageIdInput);
  const cancelled = await db.transaction().execute(async (trx) => {
    const message = await cancelQueuedMessage(trx, tenantId, id);
    if (message !== undefined) await recordMessageEvents(trx, 'message.failed', [message.id], new Date());
    return message;
  });
  if (cancelled !== undefined) return cancelled;
  const message = await findMessage(db, tenantId, id);
  if (message === undefined) throw messageNotFound();
  throw failedPrecondition(`message is ${message.status}; only a QUEUED message can be cancelled`, { status: message.status });
}

/** Live counters of one of this tenant's campaigns. */
export async function getCampaignStats(db: DB, tenantId: string, campaignIdInput: string): Promise<CampaignStats> {
  const campaign = await getCampaign(db, tenantId, campaignIdInput);
  return statsFromCounts(campaign.id, await readCampaignCounts(db, campaign.id));
}

function requireMessageId(value: string): string {
  return requireId(value, 'message_id', messageNotFound);
}

/** One message of this tenant; any other id, well-formed or not, is `not_found`. */
export async function requireMessage(db: DB, tenantId: string, messageIdInput: string): Promise<Message> {
  const message = await findMessage(db, tenantId, requireMessageId(messageIdInput));
  if (message === undefined) throw messageNotFound();
  return message;
}

/** A finished campaign takes no more messages: `failed_precondition`. */
export function refuseFinished(campaign: Campaign): void {
  if (isFinished(campaign.status)) {
    throw failedPrecondition(`campaign is ${campaign.status}; a finished campaign takes no more messages`, {
      status: campaign.status,
    });
  }
}

/** An unknown or foreign campaign in a write: `invalid_argument`, as the established API answers. */
export function unknownCampaign(field: string): Error {
  return invalidArgument(field, `no campaign with that ${field}`);
}

function messageNotFound(): Error {
  return notFound('no message with that message_id');
}
