import type { Kysely } from 'kysely';
import type { TenantPolicy as WirePolicy } from '../../generated/outreach/v1/admin';
import type { AdminTwirp } from '../../generated/outreach/v1/admin.twirp';
import { issueApiKey, revokeApiKey } from '../auth/auth.service';
import type { Database } from '../db/database';
import type { RequestContext } from '../http/request-context';
import type { TenantPolicy } from '../tenants/tenant-policy';
import {
  createTenant,
  getTenantPolicy,
  requireTenant,
  rotateWebhookSecret,
  setTenantPolicy,
} from '../tenants/tenants.service';

/** The Admin service: the HTTP layer has already checked the admin key. */
export function adminRpcs(db: Kysely<Database>): AdminTwirp<RequestContext> {
  return {
    CreateTenant: async (_ctx, req) => {
      const { tenant, key } = await createTenant(db, req.name);
      return { tenantId: tenant.id, apiKey: key.apiKey, webhookSecret: tenant.webhookSecret, name: tenant.name };
    },
    CreateApiKey: async (_ctx, req) => {
      const tenant = await requireTenant(db, req.tenantId);
      const key = await issueApiKey(db, tenant.id, req.label.trim());
      return { apiKey: key.apiKey, keyId: key.keyId, keyPrefix: key.keyPrefix };
    },
    RevokeApiKey: async (_ctx, req) => {
      const revoked = await revokeApiKey(db, req.apiKey);
      return { keyId: revoked.keyId, revokedAt: revoked.revokedAt.toISOString() };
    },
    RotateWebhookSecret: async (_ctx, req) => ({ webhookSecret: await rotateWebhookSecret(db, req.tenantId) }),
    SetTenantPolicy: async (_ctx, req) =>
      policyToWire(
        await setTenantPolicy(db, {
          tenantId: req.tenantId,
          quietHoursStart: req.quietHoursStart,
          quietHoursEnd: req.quietHoursEnd,
          bypassMayOverrideQuietHours: req.bypassMayOverrideQuietHours,
          maxCallsPerNumber: req.maxCallsPerNumber,
          frequencyWindowDays: req.frequencyWindowDays,
        }),
      ),
    GetTenantPolicy: async (_ctx, req) => policyToWire(await getTenantPolicy(db, req.tenantId)),
  };
}

/** A policy as the wire shows it: no quiet hours are two empty times. */
function policyToWire(policy: TenantPolicy): WirePolicy {
  return {
    tenantId: policy.tenantId,
    quietHoursStart: policy.quietHours?.start ?? '',
    quietHoursEnd: policy.quietHours?.end ?? '',
    bypassMayOverrideQuietHours: policy.bypassMayOverrideQuietHours,
    maxCallsPerNumber: policy.maxCallsPerNumber,
    frequencyWindowDays: policy.frequencyWindowDays,
  };
}
