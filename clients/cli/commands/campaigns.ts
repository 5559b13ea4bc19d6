import { CampaignInfo, CampaignInfo_Status, type OutreachClient } from '../../typescript';
import { listFlag, stringFlag } from '../args';
import type { CommandSpec } from '../command';
import { ExitCode, UsageError } from '../exit-codes';
import { enumName, printJson, printText, toWireJson } from '../output';
import { CREATE_FLAG_HELP, CREATE_OPTIONS, createCampaignRequest } from './campaign-create-body';
import { campaignStatus, renderCampaign, renderCampaignTable } from './campaign-view';
import { PAGING_HELP, PAGING_OPTIONS, fetchPages, noteNextPage } from './paging';

const create: CommandSpec = {
  path: ['campaigns', 'create'],
  args: '',
  summary: 'create a campaign (in DRAFT) from flags and/or a JSON body',
  details: [
    'Examples:',
    '  outreach campaigns create --name "Diwali reminders" --assistant asst_42 \\',
    '    --phone-number +918123002929 --timezone Asia/Kolkata --trigger BULK \\',
    '    --window 09:00-18:00 --days MON,TUE,WED,THU,FRI --max-attempts 3 --retry-on BUSY,NO_ANSWER',
    '  outreach campaigns create --file body.json --name "copy of a campaign"',
  ].join('\n'),
  options: CREATE_OPTIONS,
  flagHelp: CREATE_FLAG_HELP,
  positionals: [0, 0],
  async run(ctx, input) {
    const request = await createCampaignRequest(input.values);
    const campaign = await ctx.client().campaign.CreateCampaign(request, { signal: ctx.signal });
    if (ctx.global.json) printJson(ctx.io, toWireJson(CampaignInfo, campaign));
    else printText(ctx.io, renderCampaign(campaign));
    return ExitCode.ok;
  },
};

const list: CommandSpec = {
  path: ['campaigns', 'list'],
  args: '',
  summary: 'list campaigns, newest first',
  details: 'Example:\n  outreach campaigns list --status RUNNING,PAUSED --agent asst_42 --all',
  options: { status: { type: 'string', multiple: true }, agent: { type: 'string' }, ...PAGING_OPTIONS },
  flagHelp: [
    ['--status S1,S2', 'only these statuses: DRAFT, RUNNING, PAUSED, COMPLETED, CANCELLED'],
    ['--agent ID', 'only campaigns of this assistant_id'],
    ...PAGING_HELP,
  ],
  positionals: [0, 0],
  async run(ctx, input) {
    const status = listFlag(input.values, 'status').map((name) => {
      const value = campaignStatus(name);
      if (value === undefined) throw new UsageError(`--status: unknown campaign status "${name}"`);
      return value;
    });
    const assistantId = stringFlag(input.values, 'agent') ?? '';
    const client = ctx.client();
    const page = await fetchPages(input.values, async (pageSize, pageToken) => {
      const r = await client.campaign.ListCampaigns({ status, assistantId, pageSize, pageToken }, { signal: ctx.signal });
      return { items: r.campaigns, next: r.nextPageToken };
    });
    if (ctx.global.json) {
      printJson(ctx.io, { campaigns: page.items.map((c) => toWireJson(CampaignInfo, c)), next_page_token: page.next });
    } else {
      printText(ctx.io, renderCampaignTable(page.items));
      noteNextPage(ctx.io, page.next);
    }
    return ExitCode.ok;
  },
};

const get: CommandSpec = {
  path: ['campaigns', 'get'],
  args: 'CAMPAIGN_ID',
  summary: "show a campaign's settings and status",
  options: {},
  flagHelp: [],
  positionals: [1, 1],
  async run(ctx, input) {
    const campaign = await ctx.client().campaign.GetCampaign({ campaignId: input.positionals[0] as string }, { signal: ctx.signal });
    if (ctx.global.json) printJson(ctx.io, toWireJson(CampaignInfo, campaign));
    else printText(ctx.io, renderCampaign(campaign));
    return ExitCode.ok;
  },
};

type LifecycleMethod = 'StartCampaign' | 'PauseCampaign' | 'ResumeCampaign' | 'CancelCampaign';

function lifecycle(verb: string, method: LifecycleMethod, done: string, summary: string): CommandSpec {
  return {
    path: ['campaigns', verb],
    args: 'CAMPAIGN_ID',
    summary,
    details: 'A campaign in a state that does not allow it answers failed_precondition (exit 1).',
    options: {},
    flagHelp: [],
    positionals: [1, 1],
    async run(ctx, input) {
      const call: OutreachClient['campaign'][LifecycleMethod] = ctx.client().campaign[method];
      const campaign = await call({ campaignId: input.positionals[0] as string }, { signal: ctx.signal });
      if (ctx.global.json) printJson(ctx.io, toWireJson(CampaignInfo, campaign));
      else printText(ctx.io, `${campaign.campaignId} ${done}: status ${enumName(CampaignInfo_Status, campaign.status)}`);
      return ExitCode.ok;
    },
  };
}

/** `campaigns create|list|get|start|pause|resume|cancel`. */
export const campaignCommands: readonly CommandSpec[] = [
  create,
  list,
  get,
  lifecycle('start', 'StartCampaign', 'started', 'start a DRAFT campaign (DRAFT -> RUNNING)'),
  lifecycle('pause', 'PauseCampaign', 'paused', 'pause a RUNNING campaign (RUNNING -> PAUSED)'),
  lifecycle('resume', 'ResumeCampaign', 'resumed', 'resume a PAUSED campaign (PAUSED -> RUNNING)'),
  lifecycle('cancel', 'CancelCampaign', 'cancelled', 'cancel a campaign for good (-> CANCELLED)'),
];
