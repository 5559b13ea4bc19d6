import { CreateTenantResponse } from '../../typescript';
import type { CommandSpec } from '../command';
import { ExitCode } from '../exit-codes';
import { printJson, printText, renderFields, toWireJson } from '../output';

const createTenant: CommandSpec = {
  path: ['admin', 'tenants', 'create'],
  args: 'NAME',
  summary: 'create a tenant with its first API key and webhook secret (needs the admin key)',
  details: [
    'The API key is shown only now: the service keeps a hash of it.',
    'Example:',
    '  OUTREACH_ADMIN_KEY=... outreach admin tenants create "Acme Retail" --json',
  ].join('\n'),
  options: {},
  flagHelp: [],
  positionals: [1, 1],
  async run(ctx, input) {
    const tenant = await ctx.adminClient().admin.CreateTenant({ name: input.positionals[0] as string }, { signal: ctx.signal });
    if (ctx.global.json) {
      printJson(ctx.io, toWireJson(CreateTenantResponse, tenant));
      return ExitCode.ok;
    }
    printText(
      ctx.io,
      renderFields([
        ['tenant_id', tenant.tenantId],
        ['name', tenant.name],
        ['api_key', tenant.apiKey],
        ['webhook_secret', tenant.webhookSecret],
      ]),
    );
    ctx.io.stderr.write('Keep the api_key now: it cannot be shown again.\n');
    return ExitCode.ok;
  },
};

/** `admin tenants create`. */
export const adminCommands: readonly CommandSpec[] = [createTenant];
