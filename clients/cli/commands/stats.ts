import { setTimeout as sleep } from 'node:timers/promises';
import { CampaignInfo_Status, CampaignStats, type OutreachClient } from '../../typescript';
import { secondsFlag } from '../args';
import type { CommandContext, CommandSpec } from '../command';
import { ExitCode } from '../exit-codes';
import { enumName, printJson, printText, toWireJson } from '../output';
import { ProgressReporter } from '../progress';
import { finished, formatStatsLine, isSettled, renderStats } from './stats-view';

interface Snapshot {
  readonly stats: CampaignStats;
  readonly status: string;
}

async function snapshot(client: OutreachClient, campaignId: string, signal: AbortSignal): Promise<Snapshot> {
  const [stats, campaign] = await Promise.all([
    client.campaign.GetCampaignStats({ campaignId }, { signal }),
    client.campaign.GetCampaign({ campaignId }, { signal }),
  ]);
  return { stats, status: enumName(CampaignInfo_Status, campaign.status) };
}

function printSnapshot(ctx: CommandContext, last: Snapshot): void {
  if (ctx.global.json) printJson(ctx.io, { ...(toWireJson(CampaignStats, last.stats) as object), campaign_status: last.status });
  else printText(ctx.io, renderStats(last.stats, last.status));
}

/**
 * Polls until the campaign has finished and nothing is queued or in flight, drawing one live line
 * on stderr; Ctrl-C stops watching. Returns the last snapshot read.
 */
async function watch(ctx: CommandContext, campaignId: string, intervalMs: number): Promise<Snapshot> {
  const client = ctx.client();
  const reporter = new ProgressReporter(ctx.io.stderr, Date.now, intervalMs);
  const startedAt = Date.now();
  let last = await snapshot(client, campaignId, ctx.signal);
  const endedAtStart = finished(last.stats);
  const line = (): string => {
    const seconds = (Date.now() - startedAt) / 1000;
    return formatStatsLine(last.stats, last.status, seconds <= 0 ? 0 : (finished(last.stats) - endedAtStart) / seconds);
  };
  while (!isSettled(last.stats, last.status) && !ctx.signal.aborted) {
    reporter.update(line(), true);
    try {
      await sleep(intervalMs, undefined, { signal: ctx.signal });
      last = await snapshot(client, campaignId, ctx.signal);
    } catch (e: unknown) {
      if (!ctx.signal.aborted) throw e;
    }
  }
  reporter.finish(line());
  return last;
}

const stats: CommandSpec = {
  path: ['stats'],
  args: 'CAMPAIGN_ID',
  summary: "a campaign's live counters; --watch follows them until the campaign is done",
  details: [
    'With --watch, a live line (bar, counters, rate, ETA) is drawn on stderr until the campaign is',
    'COMPLETED or CANCELLED with nothing queued or dispatched; Ctrl-C stops watching (exit 0).',
    'Then the counters are printed on stdout (one JSON document with --json).',
    'Example:\n  outreach stats 7c1e… --watch --interval 1',
  ].join('\n'),
  options: { watch: { type: 'boolean', short: 'w' }, interval: { type: 'string' } },
  flagHelp: [
    ['--watch, -w', 'keep polling until the campaign is done'],
    ['--interval S', 'seconds between polls with --watch (default 2)'],
  ],
  positionals: [1, 1],
  async run(ctx, input) {
    const campaignId = input.positionals[0] as string;
    const intervalMs = secondsFlag(input.values, 'interval', 0.1, 3600, 2) * 1000;
    const last = input.values.watch === true ? await watch(ctx, campaignId, intervalMs) : await snapshot(ctx.client(), campaignId, ctx.signal);
    printSnapshot(ctx, last);
    return ExitCode.ok;
  },
};

/** `stats`. */
export const statsCommands: readonly CommandSpec[] = [stats];
