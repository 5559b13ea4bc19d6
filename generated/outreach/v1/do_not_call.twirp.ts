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
  AddNumbersRequest,
  AddNumbersResponse,
  RemoveNumbersRequest,
  RemoveNumbersResponse,
  ListNumbersRequest,
  ListNumbersResponse,
  CheckNumberRequest,
  CheckNumberResponse,
} from "./do_not_call";

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

export interface DoNotCallClient {
  AddNumbers(request: AddNumbersRequest): Promise<AddNumbersResponse>;
  RemoveNumbers(request: RemoveNumbersRequest): Promise<RemoveNumbersResponse>;
  ListNumbers(request: ListNumbersRequest): Promise<ListNumbersResponse>;
  CheckNumber(request: CheckNumberRequest): Promise<CheckNumberResponse>;
}

export class DoNotCallClientJSON implements DoNotCallClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.AddNumbers.bind(this);
    this.RemoveNumbers.bind(this);
    this.ListNumbers.bind(this);
    this.CheckNumber.bind(this);
  }
  AddNumbers(request: AddNumbersRequest): Promise<AddNumbersResponse> {
    const data = AddNumbersRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.DoNotCall",
      "AddNumbers",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      AddNumbersResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  RemoveNumbers(request: RemoveNumbersRequest): Promise<RemoveNumbersResponse> {
    const data = RemoveNumbersRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.DoNotCall",
      "RemoveNumbers",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      RemoveNumbersResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  ListNumbers(request: ListNumbersRequest): Promise<ListNumbersResponse> {
    const data = ListNumbersRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.DoNotCall",
      "ListNumbers",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      ListNumbersResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  CheckNumber(request: CheckNumberRequest): Promise<CheckNumberResponse> {
    const data = CheckNumberRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.DoNotCall",
      "CheckNumber",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CheckNumberResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }
}

export class DoNotCallClientProtobuf implements DoNotCallClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.AddNumbers.bind(this);
    this.RemoveNumbers.bind(this);
    this.ListNumbers.bind(this);
    this.CheckNumber.bind(this);
  }
  AddNumbers(request: AddNumbersRequest): Promise<AddNumbersResponse> {
    const data = AddNumbersRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.DoNotCall",
      "AddNumbers",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      AddNumbersResponse.fromBinary(data as Uint8Array)
    );
  }

  RemoveNumbers(request: RemoveNumbersRequest): Promise<RemoveNumbersResponse> {
    const data = RemoveNumbersRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.DoNotCall",
      "RemoveNumbers",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      RemoveNumbersResponse.fromBinary(data as Uint8Array)
    );
  }

  ListNumbers(request: ListNumbersRequest): Promise<ListNumbersResponse> {
    const data = ListNumbersRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.DoNotCall",
      "ListNumbers",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      ListNumbersResponse.fromBinary(data as Uint8Array)
    );
  }

  CheckNumber(request: CheckNumberRequest): Promise<CheckNumberResponse> {
    const data = CheckNumberRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.DoNotCall",
      "CheckNumber",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      CheckNumberResponse.fromBinary(data as Uint8Array)
    );
  }
}

//==================================//
//          Server Code             //
//==================================//

export interface DoNotCallTwirp<T extends TwirpContext = TwirpContext> {
  AddNumbers(ctx: T, request: AddNumbersRequest): Promise<AddNumbersResponse>;
  RemoveNumbers(
    ctx: T,
    request: RemoveNumbersRequest
  ): Promise<RemoveNumbersResponse>;
  ListNumbers(
    ctx: T,
    request: ListNumbersRequest
  ): Promise<ListNumbersResponse>;
  CheckNumber(
    ctx: T,
    request: CheckNumberRequest
  ): Promise<CheckNumberResponse>;
}

export enum DoNotCallMethod {
  AddNumbers = "AddNumbers",
  RemoveNumbers = "RemoveNumbers",
  ListNumbers = "ListNumbers",
  CheckNumber = "CheckNumber",
}

export const DoNotCallMethodList = [
  DoNotCallMethod.AddNumbers,
  DoNotCallMethod.RemoveNumbers,
  DoNotCallMethod.ListNumbers,
  DoNotCallMethod.CheckNumber,
];

export function createDoNotCallServer<T extends TwirpContext = TwirpContext>(
  service: DoNotCallTwirp<T>
) {
  return new TwirpServer<DoNotCallTwirp, T>({
    service,
    packageName: "outreach.v1",
    serviceName: "DoNotCall",
    methodList: DoNotCallMethodList,
    matchRoute: matchDoNotCallRoute,
  });
}

function matchDoNotCallRoute<T extends TwirpContext = TwirpContext>(
  method: string,
  events: RouterEvents<T>
) {
  switch (method) {
    case "AddNumbers":
      return async (
        ctx: T,
        service: DoNotCallTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, AddNumbersRequest, AddNumbersResponse>[]
      ) => {
        ctx = { ...ctx, methodName: "AddNumbers" };
        await events.onMatch(ctx);
        return handleDoNotCallAddNumbersRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "RemoveNumbers":
      return async (
        ctx: T,
        service: DoNotCallTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          RemoveNumbersRequest,
          RemoveNumbersResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "RemoveNumbers" };
        await events.onMatch(ctx);
        return handleDoNotCallRemoveNumbersRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "ListNumbers":
      return async (
        ctx: T,
        service: DoNotCallTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, ListNumbersRequest, ListNumbersResponse>[]
      ) => {
        ctx = { ...ctx, methodName: "ListNumbers" };
        await events.onMatch(ctx);
        return handleDoNotCallListNumbersRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "CheckNumber":
      return async (
        ctx: T,
        service: DoNotCallTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, CheckNumberRequest, CheckNumberResponse>[]
      ) => {
        ctx = { ...ctx, methodName: "CheckNumber" };
        await events.onMatch(ctx);
        return handleDoNotCallCheckNumberRequest(
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

function handleDoNotCallAddNumbersRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, AddNumbersRequest, AddNumbersResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleDoNotCallAddNumbersJSON<T>(ctx, service, data, interceptors);
    case TwirpContentType.Protobuf:
      return handleDoNotCallAddNumbersProtobuf<T>(
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

function handleDoNotCallRemoveNumbersRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, RemoveNumbersRequest, RemoveNumbersResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleDoNotCallRemoveNumbersJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleDoNotCallRemoveNumbersProtobuf<T>(
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

function handleDoNotCallListNumbersRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListNumbersRequest, ListNumbersResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleDoNotCallListNumbersJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleDoNotCallListNumbersProtobuf<T>(
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

function handleDoNotCallCheckNumberRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CheckNumberRequest, CheckNumberResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleDoNotCallCheckNumberJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleDoNotCallCheckNumberProtobuf<T>(
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
async function handleDoNotCallAddNumbersJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, AddNumbersRequest, AddNumbersResponse>[]
) {
  let request: AddNumbersRequest;
  let response: AddNumbersResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = AddNumbersRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      AddNumbersRequest,
      AddNumbersResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.AddNumbers(ctx, inputReq);
    });
  } else {
    response = await service.AddNumbers(ctx, request!);
  }

  return JSON.stringify(
    AddNumbersResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleDoNotCallRemoveNumbersJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, RemoveNumbersRequest, RemoveNumbersResponse>[]
) {
  let request: RemoveNumbersRequest;
  let response: RemoveNumbersResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = RemoveNumbersRequest.fromJson(body, {
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
      RemoveNumbersRequest,
      RemoveNumbersResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.RemoveNumbers(ctx, inputReq);
    });
  } else {
    response = await service.RemoveNumbers(ctx, request!);
  }

  return JSON.stringify(
    RemoveNumbersResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleDoNotCallListNumbersJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListNumbersRequest, ListNumbersResponse>[]
) {
  let request: ListNumbersRequest;
  let response: ListNumbersResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = ListNumbersRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListNumbersRequest,
      ListNumbersResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListNumbers(ctx, inputReq);
    });
  } else {
    response = await service.ListNumbers(ctx, request!);
  }

  return JSON.stringify(
    ListNumbersResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleDoNotCallCheckNumberJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CheckNumberRequest, CheckNumberResponse>[]
) {
  let request: CheckNumberRequest;
  let response: CheckNumberResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = CheckNumberRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CheckNumberRequest,
      CheckNumberResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CheckNumber(ctx, inputReq);
    });
  } else {
    response = await service.CheckNumber(ctx, request!);
  }

  return JSON.stringify(
    CheckNumberResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}
async function handleDoNotCallAddNumbersProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, AddNumbersRequest, AddNumbersResponse>[]
) {
  let request: AddNumbersRequest;
  let response: AddNumbersResponse;

  try {
    request = AddNumbersRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      AddNumbersRequest,
      AddNumbersResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.AddNumbers(ctx, inputReq);
    });
  } else {
    response = await service.AddNumbers(ctx, request!);
  }

  return Buffer.from(AddNumbersResponse.toBinary(response));
}

async function handleDoNotCallRemoveNumbersProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, RemoveNumbersRequest, RemoveNumbersResponse>[]
) {
  let request: RemoveNumbersRequest;
  let response: RemoveNumbersResponse;

  try {
    request = RemoveNumbersRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      RemoveNumbersRequest,
      RemoveNumbersResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.RemoveNumbers(ctx, inputReq);
    });
  } else {
    response = await service.RemoveNumbers(ctx, request!);
  }

  return Buffer.from(RemoveNumbersResponse.toBinary(response));
}

async function handleDoNotCallListNumbersProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListNumbersRequest, ListNumbersResponse>[]
) {
  let request: ListNumbersRequest;
  let response: ListNumbersResponse;

  try {
    request = ListNumbersRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListNumbersRequest,
      ListNumbersResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListNumbers(ctx, inputReq);
    });
  } else {
    response = await service.ListNumbers(ctx, request!);
  }

  return Buffer.from(ListNumbersResponse.toBinary(response));
}

async function handleDoNotCallCheckNumberProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: DoNotCallTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CheckNumberRequest, CheckNumberResponse>[]
) {
  let request: CheckNumberRequest;
  let response: CheckNumberResponse;

  try {
    request = CheckNumberRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CheckNumberRequest,
      CheckNumberResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CheckNumber(ctx, inputReq);
    });
  } else {
    response = await service.CheckNumber(ctx, request!);
  }

  return Buffer.from(CheckNumberResponse.toBinary(response));
}
