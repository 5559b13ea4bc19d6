import {
  TwirpContext,
  TwirpServer,
  RouterEvents,
  TwirpError,
  TwirpErrorCode,
  Interceptor,
  TwirpContentType,
  chainInterceptors,
} from "twirp-ts";
import {
  ListWebhookDeliveriesRequest,
  ListWebhookDeliveriesResponse,
  RedeliverWebhookRequest,
  RedeliverWebhookResponse,
} from "./webhooks";

//==================================//
//          Client Code             //
//==================================//

interface Rpc {
  request(
    service: string,
    method: string,
    contentType: "application/json" | "application/protobuf",
    data: object | Uint8Array
  ): Promise<object | Uint8Array>;
}

export interface WebhooksClient {
  ListWebhookDeliveries(
    request: ListWebhookDeliveriesRequest
  ): Promise<ListWebhookDeliveriesResponse>;
  RedeliverWebhook(
    request: RedeliverWebhookRequest
  ): Promise<RedeliverWebhookResponse>;
}

export class WebhooksClientJSON implements WebhooksClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.ListWebhookDeliveries.bind(this);
    this.RedeliverWebhook.bind(this);
  }
  ListWebhookDeliveries(
    request: ListWebhookDeliveriesRequest
  ): Promise<ListWebhookDeliveriesResponse> {
    const data = ListWebhookDeliveriesRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Webhooks",
      "ListWebhookDeliveries",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      ListWebhookDeliveriesResponse.fromJson(data as any, {
        ignoreUnknownFields: true,
      })
    );
  }

  RedeliverWebhook(
    request: RedeliverWebhookRequest
  ): Promise<RedeliverWebhookResponse> {
    const data = RedeliverWebhookRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Webhooks",
      "RedeliverWebhook",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      RedeliverWebhookResponse.fromJson(data as any, {
        ignoreUnknownFields: true,
      })
    );
  }
}

export class WebhooksClientProtobuf implements WebhooksClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.ListWebhookDeliveries.bind(this);
    this.RedeliverWebhook.bind(this);
  }
  ListWebhookDeliveries(
    request: ListWebhookDeliveriesRequest
  ): Promise<ListWebhookDeliveriesResponse> {
    const data = ListWebhookDeliveriesRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Webhooks",
      "ListWebhookDeliveries",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      ListWebhookDeliveriesResponse.fromBinary(data as Uint8Array)
    );
  }

  RedeliverWebhook(
    request: RedeliverWebhookRequest
  ): Promise<RedeliverWebhookResponse> {
    const data = RedeliverWebhookRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Webhooks",
      "RedeliverWebhook",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      RedeliverWebhookResponse.fromBinary(data as Uint8Array)
    );
  }
}

//==================================//
//          Server Code             //
//==================================//

export interface WebhooksTwirp<T extends TwirpContext = TwirpContext> {
  ListWebhookDeliveries(
    ctx: T,
    request: ListWebhookDeliveriesRequest
  ): Promise<ListWebhookDeliveriesResponse>;
  RedeliverWebhook(
    ctx: T,
    request: RedeliverWebhookRequest
  ): Promise<RedeliverWebhookResponse>;
}

export enum WebhooksMethod {
  ListWebhookDeliveries = "ListWebhookDeliveries",
  RedeliverWebhook = "RedeliverWebhook",
}

export const WebhooksMethodList = [
  WebhooksMethod.ListWebhookDeliveries,
  WebhooksMethod.RedeliverWebhook,
];

export function createWebhooksServer<T extends TwirpContext = TwirpContext>(
  service: WebhooksTwirp<T>
) {
  return new TwirpServer<WebhooksTwirp, T>({
    service,
    packageName: "outreach.v1",
    serviceName: "Webhooks",
    methodList: WebhooksMethodList,
    matchRoute: matchWebhooksRoute,
  });
}

function matchWebhooksRoute<T extends TwirpContext = TwirpContext>(
  method: string,
  events: RouterEvents<T>
) {
  switch (method) {
    case "ListWebhookDeliveries":
      return async (
        ctx: T,
        service: WebhooksTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          ListWebhookDeliveriesRequest,
          ListWebhookDeliveriesResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "ListWebhookDeliveries" };
        await events.onMatch(ctx);
        return handleWebhooksListWebhookDeliveriesRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "RedeliverWebhook":
      return async (
        ctx: T,
        service: WebhooksTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          RedeliverWebhookRequest,
          RedeliverWebhookResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "RedeliverWebhook" };
        await events.onMatch(ctx);
        return handleWebhooksRedeliverWebhookRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    default:
      events.onNotFound();
      const msg = `no handler found`;
      throw new TwirpError(TwirpErrorCode.BadRoute, msg);
  }
}

function handleWebhooksListWebhookDeliveriesRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: WebhooksTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    ListWebhookDeliveriesRequest,
    ListWebhookDeliveriesResponse
  >[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleWebhooksListWebhookDeliveriesJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleWebhooksListWebhookDeliveriesProtobuf<T>(
        ctx,
        service,
        data,
        interceptors
      );
    default:
      const msg = "unexpected Content-Type";
      throw new TwirpError(TwirpErrorCode.BadRoute, msg);
  }
}

function handleWebhooksRedeliverWebhookRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: WebhooksTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    RedeliverWebhookRequest,
    RedeliverWebhookResponse
  >[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleWebhooksRedeliverWebhookJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleWebhooksRedeliverWebhookProtobuf<T>(
        ctx,
        service,
        data,
        interceptors
      );
    default:
      const msg = "unexpected Content-Type";
      throw new TwirpError(TwirpErrorCode.BadRoute, msg);
  }
}
async function handleWebhooksListWebhookDeliveriesJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: WebhooksTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    ListWebhookDeliveriesRequest,
    ListWebhookDeliveriesResponse
  >[]
) {
  let request: ListWebhookDeliveriesRequest;
  let response: ListWebhookDeliveriesResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = ListWebhookDeliveriesRequest.fromJson(body, {
      ignoreUnknownFields: true,
    });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListWebhookDeliveriesRequest,
      ListWebhookDeliveriesResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListWebhookDeliveries(ctx, inputReq);
    });
  } else {
    response = await service.ListWebhookDeliveries(ctx, request!);
  }

  return JSON.stringify(
    ListWebhookDeliveriesResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleWebhooksRedeliverWebhookJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: WebhooksTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    RedeliverWebhookRequest,
    RedeliverWebhookResponse
  >[]
) {
  let request: RedeliverWebhookRequest;
  let response: RedeliverWebhookResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = RedeliverWebhookRequest.fromJson(body, {
      ignoreUnknownFields: true,
    });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      RedeliverWebhookRequest,
      RedeliverWebhookResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.RedeliverWebhook(ctx, inputReq);
    });
  } else {
    response = await service.RedeliverWebhook(ctx, request!);
  }

  return JSON.stringify(
    RedeliverWebhookResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}
async function handleWebhooksListWebhookDeliveriesProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: WebhooksTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    ListWebhookDeliveriesRequest,
    ListWebhookDeliveriesResponse
  >[]
) {
  let request: ListWebhookDeliveriesRequest;
  let response: ListWebhookDeliveriesResponse;

  try {
    request = ListWebhookDeliveriesRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListWebhookDeliveriesRequest,
      ListWebhookDeliveriesResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListWebhookDeliveries(ctx, inputReq);
    });
  } else {
    response = await service.ListWebhookDeliveries(ctx, request!);
  }

  return Buffer.from(ListWebhookDeliveriesResponse.toBinary(response));
}

async function handleWebhooksRedeliverWebhookProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: WebhooksTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    RedeliverWebhookRequest,
    RedeliverWebhookResponse
  >[]
) {
  let request: RedeliverWebhookRequest;
  let response: RedeliverWebhookResponse;

  try {
    request = RedeliverWebhookRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      RedeliverWebhookRequest,
      RedeliverWebhookResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.RedeliverWebhook(ctx, inputReq);
    });
  } else {
    response = await service.RedeliverWebhook(ctx, request!);
  }

  return Buffer.from(RedeliverWebhookResponse.toBinary(response));
}
