import type { IMessageType, PartialMessage } from '@protobuf-ts/runtime';
import type { ServiceType } from '@protobuf-ts/runtime-rpc';
import { Admin } from '../../../generated/outreach/v1/admin';
import { AdminClientJSON, AdminClientProtobuf, type AdminClient } from '../../../generated/outreach/v1/admin.twirp';
import { BusinessHours } from '../../../generated/outreach/v1/business_hours';
import {
  BusinessHoursClientJSON,
  BusinessHoursClientProtobuf,
  type BusinessHoursClient,
} from '../../../generated/outreach/v1/business_hours.twirp';
import { CallEvents } from '../../../generated/outreach/v1/call_events';
import { CallEventsClientJSON, CallEventsClientProtobuf, type CallEventsClient } from '../../../generated/outreach/v1/call_events.twirp';
import { Campaign } from '../../../generated/outreach/v1/campaign';
import { CampaignClientJSON, CampaignClientProtobuf, type CampaignClient } from '../../../generated/outreach/v1/campaign.twirp';
import { DoNotCall } from '../../../generated/outreach/v1/do_not_call';
import { DoNotCallClientJSON, DoNotCallClientProtobuf, type DoNotCallClient } from '../../../generated/outreach/v1/do_not_call.twirp';
import { Webhooks } from '../../../generated/outreach/v1/webhooks';
import { WebhooksClientJSON, WebhooksClientProtobuf, type WebhooksClient } from '../../../generated/outreach/v1/webhooks.twirp';
import { CallScope } from './call-scope';
import { OutreachError } from './errors';
import { createFetchRpc, type Rpc } from './fetch-rpc';
import { checkTimeout, resolveOptions, type CallOptions, type OutreachClientOptions, type ResolvedOptions } from './options';
import { isReplaySafe } from './retry-policy';

/**
 * A generated service interface with `CallOptions` added: the same PascalCase methods, each taking
 * the request message (whole, or any part of it — missing fields take their proto defaults).
 */
export type Service<C> = {
  readonly [M in keyof C]: C[M] extends (request: infer Req) => Promise<infer Res>
    ? (request: Req extends object ? PartialMessage<Req> : never, options?: CallOptions) => Promise<Res>
    : never;
};

/** Every service of `outreach.v1`, over one base URL and one key. */
export interface OutreachClient {
  readonly campaign: Service<CampaignClient>;
  readonly doNotCall: Service<DoNotCallClient>;
  readonly businessHours: Service<BusinessHoursClient>;
  readonly callEvents: Service<CallEventsClient>;
  readonly webhooks: Service<WebhooksClient>;
  /** Needs the operator's admin key as `apiKey`, not a tenant key. */
  readonly admin: Service<AdminClient>;
}

/** A generated service: its reflection (for request types) and its two client classes. */
interface ServiceBinding {
  readonly type: ServiceType;
  readonly json: new (rpc: Rpc) => object;
  readonly protobuf: new (rpc: Rpc) => object;
}

const SERVICES = {
  campaign: { type: Campaign, json: CampaignClientJSON, protobuf: CampaignClientProtobuf },
  doNotCall: { type: DoNotCall, json: DoNotCallClientJSON, protobuf: DoNotCallClientProtobuf },
  businessHours: { type: BusinessHours, json: BusinessHoursClientJSON, protobuf: BusinessHoursClientProtobuf },
  callEvents: { type: CallEvents, json: CallEventsClientJSON, protobuf: CallEventsClientProtobuf },
  webhooks: { type: Webhooks, json: WebhooksClientJSON, protobuf: WebhooksClientProtobuf },
  admin: { type: Admin, json: AdminClientJSON, protobuf: AdminClientProtobuf },
} as const satisfies Record<keyof OutreachClient, ServiceBinding>;

/**
 * A client for every Outreach service. Each call has a deadline (`timeoutMs`, default 30 s) and
 * honours a caller's `AbortSignal`; `unavailable`, `resource_exhausted` and network failures are
 * retried with exponential backoff and full jitter where a repeat is harmless; every failure is an
 * `OutreachError`.
 *
 * @example
 * const outreach = createOutreachClient({ baseUrl: 'http://localhost:8080', apiKey });
 * const { messageId } = await outreach.campaign.SendMessage({ campaignId, to: { phoneNumber: '918123002929' } });
 */
export function createOutreachClient(options: OutreachClientOptions): OutreachClient {
  const resolved = resolveOptions(options);
  return Object.freeze({
    campaign: bindService<CampaignClient>(SERVICES.campaign, resolved),
    doNotCall: bindService<DoNotCallClient>(SERVICES.doNotCall, resolved),
    businessHours: bindService<BusinessHoursClient>(SERVICES.businessHours, resolved),
    callEvents: bindService<CallEventsClient>(SERVICES.callEvents, resolved),
    webhooks: bindService<WebhooksClient>(SERVICES.webhooks, resolved),
    admin: bindService<AdminClient>(SERVICES.admin, resolved),
  });
}

type UntypedMethod = (request: object) => Promise<object>;

function bindService<C>(binding: ServiceBinding, resolved: ResolvedOptions): Service<C> {
  const methods: Record<string, (request: object, options?: CallOptions) => Promise<object>> = {};
  for (const method of binding.type.methods) {
    methods[method.name] = (request, callOptions) => invoke(binding, method.name, method.I, request, callOptions, resolved);
  }
  // The methods are built from the service's reflection, whose names and message types are the
  // ones the generated interface `C` declares; TypeScript cannot follow that, hence the cast.
  return Object.freeze(methods) as unknown as Service<C>;
}

async function invoke(
  binding: ServiceBinding,
  methodName: string,
  requestType: IMessageType<object>,
  partial: object,
  callOptions: CallOptions | undefined,
  resolved: ResolvedOptions,
): Promise<object> {
  const request = buildRequest(requestType, partial);
  const timeoutMs = callOptions?.timeoutMs === undefined ? resolved.timeoutMs : checkTimeout(callOptions.timeoutMs, 'timeoutMs');
  const scope = new CallScope(timeoutMs, callOptions?.signal);
  let sent = false;
  try {
    if (scope.abortError !== undefined) throw scope.abortError;
    const fetchRpc = createFetchRpc(resolved.transport, scope, isReplaySafe(binding.type.typeName, methodName, request));
    const rpc: Rpc = {
      request: (...args) => {
        sent = true;
        return fetchRpc.request(...args);
      },
    };
    // A generated client per call is cheap (it holds only the rpc) and carries this call's scope.
    const client = new (resolved.format === 'json' ? binding.json : binding.protobuf)(rpc) as Record<string, UntypedMethod>;
    const call = client[methodName];
    if (call === undefined) throw new OutreachError('internal', `the generated client has no method ${methodName}`);
    return await call.call(client, request);
  } catch (e: unknown) {
    if (e instanceof OutreachError) throw e;
    // Anything else was thrown by the generated code: encoding the request, or decoding a 200 answer.
    if (!sent) throw new OutreachError('invalid_argument', `the ${methodName} request could not be encoded: ${String(e)}`, {}, { cause: e });
    throw new OutreachError('internal', `could not decode the ${methodName} response`, {}, { cause: e });
  } finally {
    scope.dispose();
  }
}

function buildRequest(type: IMessageType<object>, partial: object): object {
  try {
    return type.create(partial);
  } catch (e: unknown) {
    throw new OutreachError('invalid_argument', `the ${type.typeName} request could not be built: ${String(e)}`, {}, { cause: e });
  }
}
