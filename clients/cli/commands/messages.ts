import { Disposition, MessageInfo, MessageInfo_Status } from '../../typescript';
import { listFlag } from '../args';
import type { CommandSpec } from '../command';
import { ExitCode, UsageError } from '../exit-codes';
import { enumName, formatMap, printJson, printText, renderFields, renderTable, toWireJson } from '../output';
import { PAGING_HELP, PAGING_OPTIONS, fetchPages, noteNextPage } from './paging';

/** A status name (`queued`, `QUEUED`) as the enum value; undefined when unknown. */
export function messageStatus(name: string): MessageInfo_Status | undefined {
  const value = (MessageInfo_Status as unknown as Record<string, number | undefined>)[name.trim().toUpperCase()];
  return value === undefined || value === MessageInfo_Status.STATUS_UNSPECIFIED ? undefined : value;
}

/** One message with its attempt history. */
export function renderMessage(m: MessageInfo): string {
  const fields = renderFields([
    ['message_id', m.messageId],
    ['campaign_id', m.campaignId],
    ['phone_number', m.phoneNumber],
    ['status', enumName(MessageInfo_Status, m.status)],
    ['disposition', enumName(Disposition, m.disposition)],
    ['attempt_count', String(m.attemptCount)],
    ['next_attempt_at', m.nextAttemptAt],
    ['scheduled_at', m.scheduledAt],
    ['bypass_calling_window', String(m.bypassCallingWindow)],
    ['variables', formatMap(m.variables)],
    ['external_id', m.externalId],
    ['language', m.language],
    ['timezone', m.timezone],
    ['callback_url', m.callback?.url ?? ''],
    ['created_at', m.createdAt],
    ['updated_at', m.updatedAt],
  ]);
  if (m.attempts.length === 0) return `${fields}\n\nattempts: none yet`;
  const attempts = renderTable(
    ['#', 'STARTED_AT', 'ENDED_AT', 'OUTCOME', 'SECONDS', 'PROVIDER_CALL_ID'],
    m.attempts.map((a) => [String(a.number), a.startedAt, a.endedAt, enumName(Disposition, a.outcome), String(a.durationSeconds), a.providerCallId]),
  );
  return `${fields}\n\nattempts:\n${attempts}`;
}

const list: CommandSpec = {
  path: ['messages', 'list'],
  args: 'CAMPAIGN_ID',
  summary: "list a campaign's messages, oldest first",
  details: 'Example:\n  outreach messages list 7c1e… --status FAILED --all --json',
  options: { status: { type: 'string', multiple: true }, ...PAGING_OPTIONS },
  flagHelp: [['--status S1,S2', 'only these statuses: QUEUED, DISPATCHED, SUCCEEDED, FAILED'], ...PAGING_HELP],
  positionals: [1, 1],
  async run(ctx, input) {
    const status = listFlag(input.values, 'status').map((name) => {
      const value = messageStatus(name);
      if (value === undefined) throw new UsageError(`--status: unknown message status "${name}"`);
      return value;
    });
    const campaignId = input.positionals[0] as string;
    const client = ctx.client();
    const page = await fetchPages(input.values, async (pageSize, pageToken) => {
      const r = await client.campaign.ListMessages({ campaignId, status, pageSize, pageToken }, { signal: ctx.signal });
      return { items: r.messages, next: r.nextPageToken };
    });
    if (ctx.global.json) {
      printJson(ctx.io, { messages: page.items.map((m) => toWireJson(MessageInfo, m)), next_page_token: page.next });
      return ExitCode.ok;
    }
    const rows = page.items.map((m) => [
      m.messageId,
      m.phoneNumber,
      enumName(MessageInfo_Status, m.status),
      enumName(Disposition, m.disposition),
      String(m.attemptCount),
      m.nextAttemptAt,
    ]);
    printText(ctx.io, renderTable(['MESSAGE_ID', 'PHONE_NUMBER', 'STATUS', 'DISPOSITION', 'ATTEMPTS', 'NEXT_ATTEMPT_AT'], rows));
    noteNextPage(ctx.io, page.next);
    return ExitCode.ok;
  },
};

const get: CommandSpec = {
  path: ['messages', 'get'],
  args: 'MESSAGE_ID',
  summary: 'show one message with its full attempt history',
  options: {},
  flagHelp: [],
  positionals: [1, 1],
  async run(ctx, input) {
    const message = await ctx.client().campaign.GetMessage({ messageId: input.positionals[0] as string }, { signal: ctx.signal });
    if (ctx.global.json) printJson(ctx.io, toWireJson(MessageInfo, message));
    else printText(ctx.io, renderMessage(message));
    return ExitCode.ok;
  },
};

/** `messages list|get`. */
export const messageCommands: readonly CommandSpec[] = [list, get];
