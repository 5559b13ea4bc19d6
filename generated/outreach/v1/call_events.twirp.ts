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
  ReportCallOutcomeRequest,
  ReportCallOutcomeResponse,
} from "./call_events";

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

export interface CallEventsClient {
  ReportCallOutcome(
    request: ReportCallOutcomeRequest
  ): Promise<ReportCallOutcomeResponse>;
}

export class CallEventsClientJSON implements CallEventsClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.ReportCallOutcome.bind(this);
  }
  ReportCallOutcome(
    request: ReportCallOutcomeRequest
  ): Promise<ReportCallOutcomeResponse> {
    const data = ReportCallOutcomeRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.CallEvents",
      "ReportCallOutcome",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      ReportCallOutcomeResponse.fromJson(data as any, {
        ignoreUnknownFields: true,
      })
    );
  }
}

export class CallEventsClientProtobuf implements CallEventsClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.ReportCallOutcome.bind(this);
  }
  ReportCallOutcome(
    request: ReportCallOutcomeRequest
  ): Promise<ReportCallOutcomeResponse> {
    const data = ReportCallOutcomeRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.CallEvents",
      "ReportCallOutcome",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      ReportCallOutcomeResponse.fromBinary(data as Uint8Array)
    );
  }
}

//==================================//
//          Server Code             //
//==================================//

export interface CallEventsTwirp<T extends TwirpContext = TwirpContext> {
  ReportCallOutcome(
    ctx: T,
    request: ReportCallOutcomeRequest
  ): Promise<ReportCallOutcomeResponse>;
}

export enum CallEventsMethod {
  ReportCallOutcome = "ReportCallOutcome",
}

export const CallEventsMethodList = [CallEventsMethod.ReportCallOutcome];

export function createCallEventsServer<T extends TwirpContext = TwirpContext>(
  service: CallEventsTwirp<T>
) {
  return new TwirpServer<CallEventsTwirp, T>({
    service,
    packageName: "outreach.v1",
    serviceName: "CallEvents",
    methodList: CallEventsMethodList,
    matchRoute: matchCallEventsRoute,
  });
}

function matchCallEventsRoute<T extends TwirpContext = TwirpContext>(
  method: string,
  events: RouterEvents<T>
) {
  switch (method) {
    case "ReportCallOutcome":
      return async (
        ctx: T,
        service: CallEventsTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          ReportCallOutcomeRequest,
          ReportCallOutcomeResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "ReportCallOutcome" };
        await events.onMatch(ctx);
        return handleCallEventsReportCallOutcomeRequest(
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

function handleCallEventsReportCallOutcomeRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CallEventsTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    ReportCallOutcomeRequest,
    ReportCallOutcomeResponse
  >[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCallEventsReportCallOutcomeJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCallEventsReportCallOutcomeProtobuf<T>(
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
async function handleCallEventsReportCallOutcomeJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CallEventsTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    ReportCallOutcomeRequest,
    ReportCallOutcomeResponse
  >[]
) {
  let request: ReportCallOutcomeRequest;
  let response: ReportCallOutcomeResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = ReportCallOutcomeRequest.fromJson(body, {
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
      ReportCallOutcomeRequest,
      ReportCallOutcomeResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ReportCallOutcome(ctx, inputReq);
    });
  } else {
    response = await service.ReportCallOutcome(ctx, request!);
  }

  return JSON.stringify(
    ReportCallOutcomeResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}
async function handleCallEventsReportCallOutcomeProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CallEventsTwirp,
  data: Buffer,
  interceptors?: Interceptor<
    T,
    ReportCallOutcomeRequest,
    ReportCallOutcomeResponse
  >[]
) {
  let request: ReportCallOutcomeRequest;
  let response: ReportCallOutcomeResponse;

  try {
    request = ReportCallOutcomeRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ReportCallOutcomeRequest,
      ReportCallOutcomeResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ReportCallOutcome(ctx, inputReq);
    });
  } else {
    response = await service.ReportCallOutcome(ctx, request!);
  }

  return Buffer.from(ReportCallOutcomeResponse.toBinary(response));
}
