/** A customer of the service: owns API keys, campaigns and a webhook secret. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly webhookSecret: string;
  readonly isDefault: boolean;
  readonly createdAt: Date;
}

/** What a request is allowed to act for, once its API key is verified. */
export interface TenantPrincipal {
  readonly tenantId: string;
  readonly keyId: string;
}
