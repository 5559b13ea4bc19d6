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
  CreateTenantRequest,
  CreateTenantResponse,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  RevokeApiKeyRequest,
  RevokeApiKeyResponse,
  RotateWebhookSecretRequest,
  RotateWebhookSecretResponse,
  SetTenantPolicyRequest,
  TenantPolicy,
  GetTenantPolicyRequest,
} from "./admin";

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

export interface AdminClient {
  CreateTenant(request: CreateTenantRequest): Promise<CreateTenantResponse>;
  CreateApiKey(request: CreateApiKeyRequest): Promise<CreateApiKeyResponse>;
  RevokeApiKey(request: RevokeApiKeyRequest): Promise<RevokeApiKeyResponse>;
  RotateWebhookSecret(
    request: RotateWebhookSecretRequest
  ): Promise<RotateWebhookSecretResponse>;
  SetTenantPolicy(request: SetTenantPolicyRequest): Promise<TenantPolicy>;
  GetTenantPolicy(request: GetTenantPolicyRequest): Promise<TenantPolicy>;
}

export class AdminClientJSON implements AdminClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.CreateTenant.bind(this);
    this.CreateApiKey.bind(this);
    this.RevokeApiKey.bind(this);
    this.RotateWebhookSecret.bind(this);
    this.SetTenantPolicy.bind(this);
    this.GetTenantPolicy.bind(this);
  }
  CreateTenant(request: CreateTenantRequest): Promise<CreateTenantResponse> {
    const data = CreateTenantRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "CreateTenant",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CreateTenantResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  CreateApiKey(request: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    const data = CreateApiKeyRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "CreateApiKey",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CreateApiKeyResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  RevokeApiKey(request: RevokeApiKeyRequest): Promise<RevokeApiKeyResponse> {
    const data = RevokeApiKeyRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "RevokeApiKey",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      RevokeApiKeyResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  RotateWebhookSecret(
    request: RotateWebhookSecretRequest
  ): Promise<RotateWebhookSecretResponse> {
    const data = RotateWebhookSecretRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "RotateWebhookSecret",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      RotateWebhookSecretResponse.fromJson(data as any, {
        ignoreUnknownFields: true,
      })
    );
  }

  SetTenantPolicy(request: SetTenantPolicyRequest): Promise<TenantPolicy> {
    const data = SetTenantPolicyRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "SetTenantPolicy",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      TenantPolicy.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  GetTenantPolicy(request: GetTenantPolicyRequest): Promise<TenantPolicy> {
    const data = GetTenantPolicyRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "GetTenantPolicy",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      TenantPolicy.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }
}

export class AdminClientProtobuf implements AdminClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.CreateTenant.bind(this);
    this.CreateApiKey.bind(this);
    this.RevokeApiKey.bind(this);
    this.RotateWebhookSecret.bind(this);
    this.SetTenantPolicy.bind(this);
    this.GetTenantPolicy.bind(this);
  }
  CreateTenant(request: CreateTenantRequest): Promise<CreateTenantResponse> {
    const data = CreateTenantRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "CreateTenant",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      CreateTenantResponse.fromBinary(data as Uint8Array)
    );
  }

  CreateApiKey(request: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    const data = CreateApiKeyRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "CreateApiKey",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      CreateApiKeyResponse.fromBinary(data as Uint8Array)
    );
  }

  RevokeApiKey(request: RevokeApiKeyRequest): Promise<RevokeApiKeyResponse> {
    const data = RevokeApiKeyRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "RevokeApiKey",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      RevokeApiKeyResponse.fromBinary(data as Uint8Array)
    );
  }

  RotateWebhookSecret(
    request: RotateWebhookSecretRequest
  ): Promise<RotateWebhookSecretResponse> {
    const data = RotateWebhookSecretRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "RotateWebhookSecret",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      RotateWebhookSecretResponse.fromBinary(data as Uint8Array)
    );
  }

  SetTenantPolicy(request: SetTenantPolicyRequest): Promise<TenantPolicy> {
    const data = SetTenantPolicyRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "SetTenantPolicy",
      "application/protobuf",
      data
    );
    return promise.then((data) => TenantPolicy.fromBinary(data as Uint8Array));
  }

  GetTenantPolicy(request: GetTenantPolicyRequest): Promise<TenantPolicy> {
    const data = GetTenantPolicyRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Admin",
      "GetTenantPolicy",
      "application/protobuf",
      data
    );
    return promise.then((data) => TenantPolicy.fromBinary(data as Uint8Array));
  }
}

//==================================//
//          Server Code             //
//==================================//

export interface AdminTwirp<T extends TwirpContext = TwirpContext> {
  CreateTenant(
    ctx: T,
    request: CreateTenantRequest
  ): Promise<CreateTenantResponse>;
  CreateApiKey(
    ctx: T,
    request: CreateApiKeyRequest
  ): Promise<CreateApiKeyResponse>;
  RevokeApiKey(
    ctx: T,
    request: RevokeApiKeyRequest
  ): Promise<RevokeApiKeyResponse>;
  RotateWebhookSecret(
    ctx: T,
    request: RotateWebhookSecretRequest
  ): Promise<RotateWebhookSecretResponse>;
  SetTenantPolicy(
    ctx: T,
    request: SetTenantPolicyRequest
  ): Promise<TenantPolicy>;
  GetTenantPolicy(
    ctx: T,
    request: GetTenantPolicyRequest
  ): Promise<TenantPolicy>;
}

export enum AdminMethod {
  CreateTenant = "CreateTenant",
  CreateApiKey = "CreateApiKey",
  RevokeApiKey = "RevokeApiKey",
  RotateWebhookSecret = "RotateWebhookSecret",
  SetTenantPolicy = "SetTenantPolicy",
  GetTenantPolicy = "GetTenantPolicy",
}

export const AdminMethodList = [
  AdminMethod.CreateTenant,
  AdminMethod.CreateApiKey,
  AdminMethod.RevokeApiKey,
  AdminMethod.RotateWebhookSecret,
  AdminMethod.SetTenantPolicy,
  AdminMethod.GetTenantPolicy,
];

export function createAdminServer<T extends TwirpContext = TwirpContext>(
  service: AdminTwirp<T>
) {
  return new TwirpServer<AdminTwirp, T>({
    service,
    packageName: "outreach.v1",
    serviceName: "Admin",
    methodList: AdminMethodList,
    matchRoute: matchAdminRoute,
  });
}

function matchAdminRoute<T extends TwirpContext = TwirpContext>(
  method: string,
  events: RouterEvents<T>
) {
  switch (method) {
    case "CreateTenant":
      return async (
        ctx: T,
        service: AdminTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          CreateTenantRequest,
          CreateTenantResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "CreateTenant" };
        await events.onMatch(ctx);
        return handleAdminCreateTenantRequest(ctx, service, data, interceptors);
      };
    case "CreateApiKey":
      return async (
        ctx: T,
        service: AdminTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          CreateApiKeyRequest,
          CreateApiKeyResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "CreateApiKey" };
        await events.onMatch(ctx);
        return handleAdminCreateApiKeyRequest(ctx, service, data, interceptors);
      };
    case "RevokeApiKey":
      return async (
        ctx: T,
        service: AdminTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          RevokeApiKeyRequest,
          RevokeApiKeyResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "RevokeApiKey" };
        await events.onMatch(ctx);
        return handleAdminRevokeApiKeyRequest(ctx, service, data, interceptors);
      };
    case "RotateWebhookSecret":
      return async (
        ctx: T,
        service: AdminTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          RotateWebhookSecretRequest,
          RotateWebhookSecretResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "RotateWebhookSecret" };
        await events.onMatch(ctx);
        return handleAdminRotateWebhookSecretRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "SetTenantPolicy":
      return async (
        ctx: T,
        service: AdminTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, SetTenantPolicyRequest, TenantPolicy>[]
      ) => {
        ctx = { ...ctx, methodName: "SetTenantPolicy" };
        await events.onMatch(ctx);
        return handleAdminSetTenantPolicyRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "GetTenantPolicy":
      return async (
        ctx: T,
        service: AdminTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, GetTenantPolicyRequest, TenantPolicy>[]
      ) => {
        ctx = { ...ctx, methodName: "GetTenantPolicy" };
        await events.onMatch(ctx);
        return handleAdminGetTenantPolicyRequest(
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

function handleAdminCreateTenantRequest<T extends TwirpContext = TwirpContext>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateTenantRequest, CreateTenantResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleAdminCreateTenantJSON<T>(ctx, service, data, interceptors);
    case TwirpContentType.Protobuf:
      return handleAdminCreateTenantProtobuf<T>(
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

function handleAdminCreateApiKeyRequest<T extends TwirpContext = TwirpContext>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateApiKeyRequest, CreateApiKeyResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleAdminCreateApiKeyJSON<T>(ctx, service, data, interceptors);
    case TwirpContentType.Protobuf:
      return handleAdminCreateApiKeyProtobuf<T>(
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

function handleAdminRevokeApiKeyRequest<T extends TwirpContext = TwirpContext>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, RevokeApiKeyRequest, RevokeApiKeyResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleAdminRevokeApiKeyJSON<T>(ctx, service, data, interceptors);
    case TwirpContentType.Protobuf:
      return handleAdminRevokeApiKeyProtobuf<T>(
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

function handleAdminRotateWebhookSecretRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    RotateWebhookSecretRequest,
    RotateWebhookSecretResponse
  >[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleAdminRotateWebhookSecretJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleAdminRotateWebhookSecretProtobuf<T>(
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

function handleAdminSetTenantPolicyRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, SetTenantPolicyRequest, TenantPolicy>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleAdminSetTenantPolicyJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleAdminSetTenantPolicyProtobuf<T>(
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

function handleAdminGetTenantPolicyRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetTenantPolicyRequest, TenantPolicy>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleAdminGetTenantPolicyJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleAdminGetTenantPolicyProtobuf<T>(
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
async function handleAdminCreateTenantJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateTenantRequest, CreateTenantResponse>[]
) {
  let request: CreateTenantRequest;
  let response: CreateTenantResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = CreateTenantRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CreateTenantRequest,
      CreateTenantResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CreateTenant(ctx, inputReq);
    });
  } else {
    response = await service.CreateTenant(ctx, request!);
  }

  return JSON.stringify(
    CreateTenantResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleAdminCreateApiKeyJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateApiKeyRequest, CreateApiKeyResponse>[]
) {
  let request: CreateApiKeyRequest;
  let response: CreateApiKeyResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = CreateApiKeyRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CreateApiKeyRequest,
      CreateApiKeyResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CreateApiKey(ctx, inputReq);
    });
  } else {
    response = await service.CreateApiKey(ctx, request!);
  }

  return JSON.stringify(
    CreateApiKeyResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleAdminRevokeApiKeyJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, RevokeApiKeyRequest, RevokeApiKeyResponse>[]
) {
  let request: RevokeApiKeyRequest;
  let response: RevokeApiKeyResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = RevokeApiKeyRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      RevokeApiKeyRequest,
      RevokeApiKeyResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.RevokeApiKey(ctx, inputReq);
    });
  } else {
    response = await service.RevokeApiKey(ctx, request!);
  }

  return JSON.stringify(
    RevokeApiKeyResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleAdminRotateWebhookSecretJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    RotateWebhookSecretRequest,
    RotateWebhookSecretResponse
  >[]
) {
  let request: RotateWebhookSecretRequest;
  let response: RotateWebhookSecretResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = RotateWebhookSecretRequest.fromJson(body, {
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
      RotateWebhookSecretRequest,
      RotateWebhookSecretResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.RotateWebhookSecret(ctx, inputReq);
    });
  } else {
    response = await service.RotateWebhookSecret(ctx, request!);
  }

  return JSON.stringify(
    RotateWebhookSecretResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleAdminSetTenantPolicyJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, SetTenantPolicyRequest, TenantPolicy>[]
) {
  let request: SetTenantPolicyRequest;
  let response: TenantPolicy;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = SetTenantPolicyRequest.fromJson(body, {
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
      SetTenantPolicyRequest,
      TenantPolicy
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.SetTenantPolicy(ctx, inputReq);
    });
  } else {
    response = await service.SetTenantPolicy(ctx, request!);
  }

  return JSON.stringify(
    TenantPolicy.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleAdminGetTenantPolicyJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetTenantPolicyRequest, TenantPolicy>[]
) {
  let request: GetTenantPolicyRequest;
  let response: TenantPolicy;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = GetTenantPolicyRequest.fromJson(body, {
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
      GetTenantPolicyRequest,
      TenantPolicy
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetTenantPolicy(ctx, inputReq);
    });
  } else {
    response = await service.GetTenantPolicy(ctx, request!);
  }

  return JSON.stringify(
    TenantPolicy.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}
async function handleAdminCreateTenantProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateTenantRequest, CreateTenantResponse>[]
) {
  let request: CreateTenantRequest;
  let response: CreateTenantResponse;

  try {
    request = CreateTenantRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CreateTenantRequest,
      CreateTenantResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CreateTenant(ctx, inputReq);
    });
  } else {
    response = await service.CreateTenant(ctx, request!);
  }

  return Buffer.from(CreateTenantResponse.toBinary(response));
}

async function handleAdminCreateApiKeyProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateApiKeyRequest, CreateApiKeyResponse>[]
) {
  let request: CreateApiKeyRequest;
  let response: CreateApiKeyResponse;

  try {
    request = CreateApiKeyRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CreateApiKeyRequest,
      CreateApiKeyResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CreateApiKey(ctx, inputReq);
    });
  } else {
    response = await service.CreateApiKey(ctx, request!);
  }

  return Buffer.from(CreateApiKeyResponse.toBinary(response));
}

async function handleAdminRevokeApiKeyProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, RevokeApiKeyRequest, RevokeApiKeyResponse>[]
) {
  let request: RevokeApiKeyRequest;
  let response: RevokeApiKeyResponse;

  try {
    request = RevokeApiKeyRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      RevokeApiKeyRequest,
      RevokeApiKeyResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.RevokeApiKey(ctx, inputReq);
    });
  } else {
    response = await service.RevokeApiKey(ctx, request!);
  }

  return Buffer.from(RevokeApiKeyResponse.toBinary(response));
}

async function handleAdminRotateWebhookSecretProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    RotateWebhookSecretRequest,
    RotateWebhookSecretResponse
  >[]
) {
  let request: RotateWebhookSecretRequest;
  let response: RotateWebhookSecretResponse;

  try {
    request = RotateWebhookSecretRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      RotateWebhookSecretRequest,
      RotateWebhookSecretResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.RotateWebhookSecret(ctx, inputReq);
    });
  } else {
    response = await service.RotateWebhookSecret(ctx, request!);
  }

  return Buffer.from(RotateWebhookSecretResponse.toBinary(response));
}

async function handleAdminSetTenantPolicyProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, SetTenantPolicyRequest, TenantPolicy>[]
) {
  let request: SetTenantPolicyRequest;
  let response: TenantPolicy;

  try {
    request = SetTenantPolicyRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      SetTenantPolicyRequest,
      TenantPolicy
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.SetTenantPolicy(ctx, inputReq);
    });
  } else {
    response = await service.SetTenantPolicy(ctx, request!);
  }

  return Buffer.from(TenantPolicy.toBinary(response));
}

async function handleAdminGetTenantPolicyProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: AdminTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetTenantPolicyRequest, TenantPolicy>[]
) {
  let request: GetTenantPolicyRequest;
  let response: TenantPolicy;

  try {
    request = GetTenantPolicyRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      GetTenantPolicyRequest,
      TenantPolicy
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetTenantPolicy(ctx, inputReq);
    });
  } else {
    response = await service.GetTenantPolicy(ctx, request!);
  }

  return Buffer.from(TenantPolicy.toBinary(response));
}
