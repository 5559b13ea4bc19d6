import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from './support/database';
import { ADMIN_KEY, createTestTenant, startTestServer, type TestServer } from './support/server';

/**
 * The README's curl examples, run as written, in order, against a real server: what a reader
 * copies must work. A block whose last line is a `# {…}` comment must answer exactly that JSON;
 * every other block must succeed.
 */
const run = promisify(execFile);

/** The sections whose `sh` blocks run, in README order. */
const RUN_SECTIONS = ['## API by example', '## The TypeScript client and the `outreach` CLI', '## Clients in other languages'];

async function exampleBlocks(): Promise<string[]> {
  const readme = await fs.readFile(path.resolve(__dirname, '..', 'README.md'), 'utf8');
  return RUN_SECTIONS.flatMap((heading) => {
    const start = readme.indexOf(`\n${heading}\n`);
    if (start < 0) throw new Error(`README.md has no section "${heading}"`);
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
  });
}

let database: TestDatabase;
let server: TestServer;
const env: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  const { apiKey } = await createTestTenant(database.db, 'readme');
  Object.assign(env, { URL: server.url, KEY: apiKey, ADMIN_KEY });
});

afterAll(async () => {
  await server.close();
  await database.drop();
});

it('has an example for every RPC of the services it documents', async () => {
  const blocks = (await exampleBlocks()).join('\n');
  for (const rpc of [
    'CreateCampaign', 'GetCampaign', 'ListCampaigns', 'UpdateCampaign', 'StartCampaign', 'PauseCampaign',
    'ResumeCampaign', 'CancelCampaign', 'CreateTenant', 'CreateApiKey', 'RevokeApiKey', 'RotateWebhookSecret',
    'SendMessage', 'AddRecipients', 'GetMessage', 'ListMessages', 'CancelMessage', 'GetCampaignStats',
    'AddNumbers', 'RemoveNumbers', 'ListNumbers', 'CheckNumber',
    'CreateProfile', 'ListProfiles', 'DeleteProfile', 'ReportCallOutcome', 'SetTenantPolicy', 'GetTenantPolicy',
  ]) {
    expect(blocks).toContain(`/${rpc} `);
  }
});

it('runs every curl example as written', async () => {
  const blocks = await exampleBlocks();
  expect(blocks.length).toBeGreaterThanOrEqual(24);
  for (const block of blocks) {
    const expected = /\n# (\{.*\})$/.exec(block)?.[1];
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block], {
      env: { ...process.env, ...env },
      timeout: 10_000,
    });
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    if (expected !== undefined) {
      expect({ block, answer }).toEqual({ block, answer: JSON.parse(expected) });
      continue;
    }
    expect({ block, code: answer.code }).toEqual({ block, code: undefined });
    if (typeof answer.campaign_id === 'string') env.CAMPAIGN_ID = answer.campaign_id;
    if (typeof answer.tenant_id === 'string') env.TENANT_ID = answer.tenant_id;
    if (typeof answer.message_id === 'string') env.MESSAGE_ID = answer.message_id;
    if (typeof answer.profile_id === 'string') env.PROFILE_ID = answer.profile_id;
    if (typeof answer.key_id === 'string' && typeof answer.api_key === 'string') env.NEW_KEY = answer.api_key;
  }
});
