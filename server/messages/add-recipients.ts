import { findCampaignForShare } from '../campaigns/campaigns.repository';
import type { Db } from '../db/database';
import type { NewMessage, WriteOutcome } from './message';
import { existingExternalIds, insertMessages } from './messages.repository';
import { requireId } from '../shared/ids';
import { uuid7 } from '../shared/uuid7';
import { refuseFinished, unknownCampaign, type MessagesContext } from './messages.service';
import {
  RecipientRowSorter,
  checkRowCount,
  type RecipientRowInput,
  type RejectedRecipientRow,
  type ValidRecipientRow,
} from './recipient-rows';

/** The answer to an AddRecipients. */
export interface AddRecipientsResult {
  readonly accepted: number;
  readonly skippedInvalid: number;
  readonly skippedDuplicate: number;
  readonly suppressed: number;
  readonly replayed: number;
  readonly rejected: readonly RejectedRecipientRow[];
}

const MAX_REJECTED_SHOWN = 100;
/** Rows validated and written per step; validation of one slice overlaps the write of the last. */
const SLICE = 2_500;

/**
 * Adds up to 10,000 contacts in one transaction. Rows are validated and written in slices, so
 * the CPU-bound number checks of one slice run while PostgreSQL writes the previous one. A
 * refused request (too many rows, a malformed row, an unknown or finished campaign) writes
 * nothing: the transaction rolls back.
 */
export async function addRecipients(
  ctx: MessagesContext,
  tenantId: string,
  campaignIdInput: string,
  rows: readonly RecipientRowInput[],
): Promise<AddRecipientsResult> {
  const campaignId = requireId(campaignIdInput, 'campaign_id', () => unknownCampaign('campaign_id'));
  checkRowCount(rows.length);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const campaign = await findCampaignForShare(trx, tenantId, campaignId);
    if (campaign === undefined) throw unknownCampaign('campaign_id');
    refuseFinished(campaign);
    const sorter = new RecipientRowSorter();
    const written: { row: ValidRecipientRow; outcome: WriteOutcome }[] = [];
    let writing: Promise<void> = Promise.resolve();
    try {
      for (let start = 0; start < rows.length; start += SLICE) {
        const valid = sorter.sort(rows.slice(start, start + SLICE), start);
        await writing;
        const messages = valid.map((row) => toNewMessage(tenantId, campaignId, row));
        writing = insertMessages(trx, messages, now).then((outcomes) =>
          outcomes.forEach((outcome, i) => written.push({ row: valid[i] as ValidRecipientRow, outcome })),
        );
      }
      await writing;
    } catch (e: unknown) {
      // Let a write in flight finish before the rollback goes out on the same connection.
      await writing.catch(() => undefined);
      throw e;
    }
    return summarise(trx, campaignId, written, sorter.rejected);
  });
}

function toNewMessage(tenantId: string, campaignId: string, row: ValidRecipientRow): NewMessage {
  return {
    id: uuid7(),
    tenantId,
    campaignId,
    phoneNumber: row.phoneNumber,
    variables: row.variables,
    callbackUrl: null,
    callbackState: undefined,
    scheduledAt: null,
    bypassCallingWindow: false,
    allowDuplicates: false,
    externalId: row.externalId,
    language: row.language,
    metadata: row.metadata,
    timezone: row.timezone,
  };
}

/** Counts what happened; rows not written either replay an external id or duplicate a queued number. */
async function summarise(
  trx: Db,
  campaignId: string,
  written: readonly { row: ValidRecipientRow; outcome: WriteOutcome }[],
  skipped: readonly RejectedRecipientRow[],
): Promise<AddRecipientsResult> {
  const unwritten = written.filter((w) => !w.outcome.written).map((w) => w.row);
  const externalIds = unwritten.flatMap((row) => (row.externalId === null ? [] : [row.externalId]));
  const seenIds = await existingExternalIds(trx, campaignId, externalIds);
  const replayed = new Set(unwritten.filter((row) => row.externalId !== null && seenIds.has(row.externalId)));
  const duplicates = unwritten
    .filter((row) => !replayed.has(row))
    .map((row): RejectedRecipientRow => ({ index: row.index, phoneNumber: row.phoneNumber, reason: 'duplicate_in_campaign' }));
  const rejected = [...skipped, ...duplicates].sort((a, b) => a.index - b.index);
  const invalid = skipped.filter((r) => r.reason === 'invalid_phone_number').length;
  const status = (s: string): number => written.filter((w) => w.outcome.written && w.outcome.status === s).length;
  return {
    accepted: status('QUEUED'),
    suppressed: status('FAILED'),
    skippedInvalid: invalid,
    skippedDuplicate: rejected.length - invalid,
    replayed: replayed.size,
    rejected: rejected.slice(0, MAX_REJECTED_SHOWN),
  };
}
