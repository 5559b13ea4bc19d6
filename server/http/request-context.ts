import type { TwirpContext } from 'twirp-ts';
import type { Logger } from '../logger';
import type { TenantPrincipal } from '../tenants/tenant';

/** What every RPC handler receives besides its request. */
export interface RequestContext extends TwirpContext {
  readonly requestId: string;
  readonly log: Logger;
  /** The tenant the API key speaks for; absent on admin calls. */
  readonly principal?: TenantPrincipal;
}

/** The tenant of a tenant-authenticated call; the HTTP layer guarantees it is there. */
export function tenantOf(ctx: RequestContext): string {
  if (ctx.principal === undefined) throw new Error('tenant RPC reached without an authenticated tenant');
  return ctx.principal.tenantId;
}
