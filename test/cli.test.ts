import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOutreachClient } from '../clients/typescript';
import { importRecipients } from '../clients/cli/import/import-recipients';
import { minimalCampaign } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { ADMIN_KEY } from './support/server';

/** The `outreach` CLI as a user runs it: a child process against the real server. */
const h = useHarness('cli');
const BIN = path.resolve(__dirname, '..', 'clients', 'cli', 'bin', 'outreach.js');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `args` (plus `--url`/`--key` unless `bare`), with no OUTREACH_* from this environment. */
function cli(args: readonly string[], options: { bare?: boolean } = {}): Promise<CliRun> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OUTREACH_')));
  const full = options.bare === true ? [...args] : [...args, '--url', h.url, '--key', h.apiKey];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...full], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function cliJson(args: readonly string[]): Promise<Record<string, any>> {
  const run = await cli([...args, '--json']);
  if (run.code !== 0) throw new Error(`outreach ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, any>;
}

const createArgs = (name: string, extra: readonly string[] = []): string[] => [
  'campaigns', 'create', '--name', name, '--assistant', 'asst_cli', '--phone-number', '+14155550100',
  '--timezone', 'America/New_York', ...extra,
];

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'outreach-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('outreach CLI: usage', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const run = await cli(['--help'], { bare: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('recipients import CAMPAIGN_ID FILE.csv');
    expect(run.stdout).toContain('Exit codes:');
    const sub = await cli(['recipients', 'import', '--help'], { bare: true });
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--rejected-out FILE');
  });

  it('exits 2 on a usage error, before calling the service', async () => {
    const missing = await cli(['campaigns', 'get']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('usage: outreach campaigns get CAMPAIGN_ID');
    const unknown = await cli(['campaigns', 'list', '--colour', 'red']);
    expect(unknown.code).toBe(2);
    const noKey = await cli(['campaigns', 'list', '--url', h.url], { bare: true });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('OUTREACH_API_KEY');
  });

  it('exits 3 when the service cannot be reached', async () => {
    const run = await cli(['campaigns', 'list', '--url', 'http://127.0.0.1:9', '--key', 'k'], { bare: true });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('could not reach http://127.0.0.1:9');
  });
});

describe('outreach campaigns', () => {
  it('creates, lists, gets and starts a campaign; --json is the wire JSON', async () => {
    const created = await cliJson(createArgs('cli lifecycle', ['--trigger', 'bulk', '--window', '09:00-18:00', '--days', 'MON,FRI']));
    expect(created).toMatchObject({ name: 'cli lifecycle', status: 'DRAFT', trigger: 'BULK', daily_start_time: '09:00:00' });
    expect(created.days_of_week).toEqual(['MONDAY', 'FRIDAY']);
    const id = created.campaign_id as string;
    const listed = await cliJson(['campaigns', 'list', '--status', 'draft', '--agent', 'asst_cli']);
    expect(listed.campaigns.map((c: { campaign_id: string }) => c.campaign_id)).toContain(id);
    expect((await cliJson(['campaigns', 'get', id])).name).toBe('cli lifecycle');
    expect((await cliJson(['campaigns', 'start', id])).status).toBe('RUNNING');
    const table = await cli(['campaigns', 'list', '--status', 'RUNNING']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CAMPAIGN_ID\s+STATUS/);
    expect(table.stdout).toContain(id);
  });

  it('exits 1 with the code, msg and meta on stderr when the service refuses', async () => {
    const created = await cliJson(createArgs('cli refused'));
    await cliJson(['campaigns', 'start', created.campaign_id as string]);
    const again = await cli(['campaigns', 'start', created.campaign_id as string]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error: failed_precondition');
    const invalid = await cli([...createArgs('cli bad zone'), '--timezone', 'Nowhere/Land']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('error: invalid_argument');
    expect(invalid.stderr).toContain('meta.argument: timezone');
  });
});

/** A number the service accepts, one per row index. */
const numberOf = (i: number): string => `+1415${2_000_000 + i}`;

describe('outreach recipients import', () => {
  it('streams 25,000 rows in 3 requests; counts, rejected lines and stats are exact', async () => {
    const created = await cliJson(createArgs('cli import', ['--trigger', 'BULK']));
    const id = created.campaign_id as string;
    await cliJson(['dnc', 'add', numberOf(20), '--reason', 'asked']);
    const invalid = new Set([5, 1005, 12_000, 24_999]);
    // Row 7 repeats row 6 in the same request; row 15,000 repeats row 100, sent in an earlier request.
    const repeats = new Map([[7, 6], [15_000, 100]]);
    const lines = ['phone_number,first_name,order_id,language'];
    for (let i = 0; i < 25_000; i++) {
      const phone = invalid.has(i) ? '12' : numberOf(repeats.get(i) ?? i);
      lines.push(i === 3_000 ? phone : `${phone},Name ${i},"ord,${i}",en-US`);
    }
    const file = path.join(dir, 'audience.csv');
    await writeFile(file, `${lines.join('\n')}\n`);

    const run = await cli(['recipients', 'import', id, file, '--json']);
    expect(run.code).toBe(4);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      rows: 25_000, requests: 3, accepted: 24_992, skipped_invalid: 4, skipped_duplicate: 2, suppressed: 1,
      replayed: 0, malformed: 1, rejected_unlisted: 0, rejected_file: `${file}.rejected.csv`, stopped: null,
    });
    expect(await readFile(`${file}.rejected.csv`, 'utf8')).toBe(
      [
        'line,reason,phone_number,first_name,order_id,language',
        '7,invalid_phone_number,12,Name 5,"ord,5",en-US',
        `9,duplicate_in_request,${numberOf(6)},Name 7,"ord,7",en-US`,
        '1007,invalid_phone_number,12,Name 1005,"ord,1005",en-US',
        '3002,wrong_column_count,+14152003000',
        '12002,invalid_phone_number,12,Name 12000,"ord,12000",en-US',
        `15002,duplicate_in_campaign,${numberOf(100)},Name 15000,"ord,15000",en-US`,
        '25001,invalid_phone_number,12,Name 24999,"ord,24999",en-US',
        '',
      ].join('\n'),
    );

    const stats = await cliJson(['stats', id]);
    expect(stats).toMatchObject({ total: 24_993, queued: 24_992, failed: 1, campaign_status: 'DRAFT' });
    expect(stats.by_disposition).toEqual({ OPTED_OUT: 1 });
    const row = await h.db
      .selectFrom('messages')
      .select(['variables', 'language'])
      .where('campaign_id', '=', id)
      .where('phone_number', '=', numberOf(42))
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ variables: { first_name: 'Name 42', order_id: 'ord,42' }, language: 'en-US' });
  }, 60_000);

  it('a request refused as a whole stops the import, naming the CSV line at fault; exit 1', async () => {
    const created = await cliJson(createArgs('cli refused import', ['--trigger', 'BULK']));
    const file = path.join(dir, 'bad-zone.csv');
    await writeFile(file, `phone_number,timezone\n${numberOf(70_001)},Asia/Kolkata\n${numberOf(70_002)},Mars/Olympus\n`);
    const run = await cli(['recipients', 'import', created.campaign_id as string, file, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 0, accepted: 0, stopped: { reason: 'service', lines: [2, 3] } });
    expect(run.stderr).toContain('the cause is line 3, column timezone');
    expect(run.stderr).toContain('error: invalid_argument');
    expect((await cliJson(['stats', created.campaign_id as string])).total).toBe(0);
  });

  it('shrinks its requests when the service lists only part of what it skipped', async () => {
    const created = await cliJson(createArgs('cli unlisted', ['--trigger', 'BULK']));
    const rows = Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? 'not-a-number' : numberOf(50_000 + i)));
    const file = path.join(dir, 'half-bad.csv');
    await writeFile(file, `phone_number\n${rows.join('\n')}\n`);
    const rejected = path.join(dir, 'half-bad.rejects.csv');
    const run = await cli(['recipients', 'import', created.campaign_id as string, file, '--batch', '400', '--rejected-out', rejected, '--json']);
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ accepted: 300, skipped_invalid: 300, rejected_unlisted: 100 });
    expect(run.stderr).toContain('lines 2-401: 100 of 200 skipped rows were not listed by the service; next requests carry 160 rows');
    const written = (await readFile(rejected, 'utf8')).trim().split('\n');
    expect(written).toHaveLength(1 + 200);
    expect(written.at(-1)).toBe('600,invalid_phone_number,not-a-number');
  });
});

describe('the import pipeline in-process, against the real server', () => {
  it('keeps at most two requests in flight; interrupted, it counts exactly what the service answered', async () => {
    const campaign = await h.call('CreateCampaign', minimalCampaign('cli in flight', { trigger: 'BULK' }));
    const campaignId = campaign.body.campaign_id as string;
    const file = path.join(dir, 'twelve-thousand.csv');
    await writeFile(file, `phone_number\n${Array.from({ length: 12_000 }, (_, i) => numberOf(200_000 + i)).join('\n')}\n`);
    const client = createOutreachClient({ baseUrl: h.url, apiKey: h.apiKey });
    const controller = new AbortController();
    let inFlight = 0;
    let peak = 0;
    let answered = 0;
    const result = await importRecipients({
      file,
      rejectedPath: path.join(dir, 'never.csv'),
      batchSize: 1_000,
      maxInFlight: 2,
      signal: controller.signal,
      onProgress: () => undefined,
      onWarning: () => undefined,
      send: async (rows) => {
        peak = Math.max(peak, ++inFlight);
        try {
          return await client.campaign.AddRecipients({ campaignId, recipients: rows });
        } finally {
          inFlight -= 1;
          // Ctrl-C after the fifth answer: reading stops, the request still in flight is awaited.
          if (++answered === 5) controller.abort();
        }
      },
    });
    expect(peak).toBe(2);
    expect(result.stop).toEqual({ kind: 'interrupted' });
    expect(result.totals.requests).toBe(answered);
    expect(result.totals.rows).toBe(answered * 1_000);
    expect(result.totals.rows).toBeLessThan(12_000);
    const stored = await h.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(result.totals.accepted);
    expect(result.totals.accepted).toBe(result.totals.rows);
  });
});

describe('outreach dnc, messages and admin', () => {
  it('adds, lists and checks do-not-call numbers', async () => {
    expect(await cliJson(['dnc', 'add', '+14155550111', '14155550112', '--reason', 'complaint', '--source', 'support'])).toEqual({
      added: 2,
      updated: 0,
    });
    const listed = await cliJson(['dnc', 'list', '--all']);
    expect(listed.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ phone_number: '+14155550112', source: 'support', reason: 'complaint' })]),
    );
    const checked = await cli(['dnc', 'check', '+14155550111', '+14155550199']);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/\+14155550111\s+yes\s+support/);
    expect(checked.stdout).toMatch(/\+14155550199\s+no/);
  });

  it('lists and gets messages', async () => {
    const created = await cliJson(createArgs('cli messages', ['--trigger', 'BULK']));
    const file = path.join(dir, 'two.csv');
    await writeFile(file, `phone_number,city\n${numberOf(90_001)},Pune\n${numberOf(90_002)},Goa\n`);
    expect((await cli(['recipients', 'import', created.campaign_id as string, file])).code).toBe(0);
    const listed = await cliJson(['messages', 'list', created.campaign_id as string, '--status', 'QUEUED']);
    expect(listed.messages.map((m: { phone_number: string }) => m.phone_number)).toEqual([numberOf(90_001), numberOf(90_002)]);
    const shown = await cli(['messages', 'get', listed.messages[0].message_id as string]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/variables:\s+city=Pune/);
  });

  it('creates a tenant with the admin key', async () => {
    const run = await cli(['admin', 'tenants', 'create', 'cli tenant', '--json', '--url', h.url, '--admin-key', ADMIN_KEY], { bare: true });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'cli tenant', api_key: expect.any(String), tenant_id: expect.any(String) });
  });
});
