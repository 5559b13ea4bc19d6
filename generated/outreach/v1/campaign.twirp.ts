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
  CreateCampaignRequest,
  CampaignInfo,
  GetCampaignRequest,
  ListCampaignsRequest,
  ListCampaignsResponse,
  UpdateCampaignRequest,
  StartCampaignRequest,
  PauseCampaignRequest,
  ResumeCampaignRequest,
  CancelCampaignRequest,
  SendMessageRequest,
  SendMessageResponse,
  AddRecipientsRequest,
  AddRecipientsResponse,
  GetMessageRequest,
  ListMessagesRequest,
  ListMessagesResponse,
  CancelMessageRequest,
  GetCampaignStatsRequest,
  CampaignStats,
} from "./campaign";
import { MessageInfo } from "./message";

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

export interface CampaignClient {
  CreateCampaign(request: CreateCampaignRequest): Promise<CampaignInfo>;
  GetCampaign(request: GetCampaignRequest): Promise<CampaignInfo>;
  ListCampaigns(request: ListCampaignsRequest): Promise<ListCampaignsResponse>;
  UpdateCampaign(request: UpdateCampaignRequest): Promise<CampaignInfo>;
  StartCampaign(request: StartCampaignRequest): Promise<CampaignInfo>;
  PauseCampaign(request: PauseCampaignRequest): Promise<CampaignInfo>;
  ResumeCampaign(request: ResumeCampaignRequest): Promise<CampaignInfo>;
  CancelCampaign(request: CancelCampaignRequest): Promise<CampaignInfo>;
  SendMessage(request: SendMessageRequest): Promise<SendMessageResponse>;
  AddRecipients(request: AddRecipientsRequest): Promise<AddRecipientsResponse>;
  GetMessage(request: GetMessageRequest): Promise<MessageInfo>;
  ListMessages(request: ListMessagesRequest): Promise<ListMessagesResponse>;
  CancelMessage(request: CancelMessageRequest): Promise<MessageInfo>;
  GetCampaignStats(request: GetCampaignStatsRequest): Promise<CampaignStats>;
}

export class CampaignClientJSON implements CampaignClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.CreateCampaign.bind(this);
    this.GetCampaign.bind(this);
    this.ListCampaigns.bind(this);
    this.UpdateCampaign.bind(this);
    this.StartCampaign.bind(this);
    this.PauseCampaign.bind(this);
    this.ResumeCampaign.bind(this);
    this.CancelCampaign.bind(this);
    this.SendMessage.bind(this);
    this.AddRecipients.bind(this);
    this.GetMessage.bind(this);
    this.ListMessages.bind(this);
    this.CancelMessage.bind(this);
    this.GetCampaignStats.bind(this);
  }
  CreateCampaign(request: CreateCampaignRequest): Promise<CampaignInfo> {
    const data = CreateCampaignRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "CreateCampaign",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CampaignInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  GetCampaign(request: GetCampaignRequest): Promise<CampaignInfo> {
    const data = GetCampaignRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "GetCampaign",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CampaignInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  ListCampaigns(request: ListCampaignsRequest): Promise<ListCampaignsResponse> {
    const data = ListCampaignsRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "ListCampaigns",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      ListCampaignsResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  UpdateCampaign(request: UpdateCampaignRequest): Promise<CampaignInfo> {
    const data = UpdateCampaignRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "UpdateCampaign",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CampaignInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  StartCampaign(request: StartCampaignRequest): Promise<CampaignInfo> {
    const data = StartCampaignRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "StartCampaign",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CampaignInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  PauseCampaign(request: PauseCampaignRequest): Promise<CampaignInfo> {
    const data = PauseCampaignRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "PauseCampaign",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CampaignInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  ResumeCampaign(request: ResumeCampaignRequest): Promise<CampaignInfo> {
    const data = ResumeCampaignRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "ResumeCampaign",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CampaignInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  CancelCampaign(request: CancelCampaignRequest): Promise<CampaignInfo> {
    const data = CancelCampaignRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "CancelCampaign",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CampaignInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  SendMessage(request: SendMessageRequest): Promise<SendMessageResponse> {
    const data = SendMessageRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "SendMessage",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      SendMessageResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  AddRecipients(request: AddRecipientsRequest): Promise<AddRecipientsResponse> {
    const data = AddRecipientsRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "AddRecipients",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      AddRecipientsResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  GetMessage(request: GetMessageRequest): Promise<MessageInfo> {
    const data = GetMessageRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "GetMessage",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      MessageInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  ListMessages(request: ListMessagesRequest): Promise<ListMessagesResponse> {
    const data = ListMessagesRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "ListMessages",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      ListMessagesResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  CancelMessage(request: CancelMessageRequest): Promise<MessageInfo> {
    const data = CancelMessageRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "CancelMessage",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      MessageInfo.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  GetCampaignStats(request: GetCampaignStatsRequest): Promise<CampaignStats> {
    const data = GetCampaignStatsRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "GetCampaignStats",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      CampaignStats.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }
}

export class CampaignClientProtobuf implements CampaignClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.CreateCampaign.bind(this);
    this.GetCampaign.bind(this);
    this.ListCampaigns.bind(this);
    this.UpdateCampaign.bind(this);
    this.StartCampaign.bind(this);
    this.PauseCampaign.bind(this);
    this.ResumeCampaign.bind(this);
    this.CancelCampaign.bind(this);
    this.SendMessage.bind(this);
    this.AddRecipients.bind(this);
    this.GetMessage.bind(this);
    this.ListMessages.bind(this);
    this.CancelMessage.bind(this);
    this.GetCampaignStats.bind(this);
  }
  CreateCampaign(request: CreateCampaignRequest): Promise<CampaignInfo> {
    const data = CreateCampaignRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "CreateCampaign",
      "application/protobuf",
      data
    );
    return promise.then((data) => CampaignInfo.fromBinary(data as Uint8Array));
  }

  GetCampaign(request: GetCampaignRequest): Promise<CampaignInfo> {
    const data = GetCampaignRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "GetCampaign",
      "application/protobuf",
      data
    );
    return promise.then((data) => CampaignInfo.fromBinary(data as Uint8Array));
  }

  ListCampaigns(request: ListCampaignsRequest): Promise<ListCampaignsResponse> {
    const data = ListCampaignsRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "ListCampaigns",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      ListCampaignsResponse.fromBinary(data as Uint8Array)
    );
  }

  UpdateCampaign(request: UpdateCampaignRequest): Promise<CampaignInfo> {
    const data = UpdateCampaignRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "UpdateCampaign",
      "application/protobuf",
      data
    );
    return promise.then((data) => CampaignInfo.fromBinary(data as Uint8Array));
  }

  StartCampaign(request: StartCampaignRequest): Promise<CampaignInfo> {
    const data = StartCampaignRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "StartCampaign",
      "application/protobuf",
      data
    );
    return promise.then((data) => CampaignInfo.fromBinary(data as Uint8Array));
  }

  PauseCampaign(request: PauseCampaignRequest): Promise<CampaignInfo> {
    const data = PauseCampaignRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "PauseCampaign",
      "application/protobuf",
      data
    );
    return promise.then((data) => CampaignInfo.fromBinary(data as Uint8Array));
  }

  ResumeCampaign(request: ResumeCampaignRequest): Promise<CampaignInfo> {
    const data = ResumeCampaignRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "ResumeCampaign",
      "application/protobuf",
      data
    );
    return promise.then((data) => CampaignInfo.fromBinary(data as Uint8Array));
  }

  CancelCampaign(request: CancelCampaignRequest): Promise<CampaignInfo> {
    const data = CancelCampaignRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "CancelCampaign",
      "application/protobuf",
      data
    );
    return promise.then((data) => CampaignInfo.fromBinary(data as Uint8Array));
  }

  SendMessage(request: SendMessageRequest): Promise<SendMessageResponse> {
    const data = SendMessageRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "SendMessage",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      SendMessageResponse.fromBinary(data as Uint8Array)
    );
  }

  AddRecipients(request: AddRecipientsRequest): Promise<AddRecipientsResponse> {
    const data = AddRecipientsRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "AddRecipients",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      AddRecipientsResponse.fromBinary(data as Uint8Array)
    );
  }

  GetMessage(request: GetMessageRequest): Promise<MessageInfo> {
    const data = GetMessageRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "GetMessage",
      "application/protobuf",
      data
    );
    return promise.then((data) => MessageInfo.fromBinary(data as Uint8Array));
  }

  ListMessages(request: ListMessagesRequest): Promise<ListMessagesResponse> {
    const data = ListMessagesRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "ListMessages",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      ListMessagesResponse.fromBinary(data as Uint8Array)
    );
  }

  CancelMessage(request: CancelMessageRequest): Promise<MessageInfo> {
    const data = CancelMessageRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "CancelMessage",
      "application/protobuf",
      data
    );
    return promise.then((data) => MessageInfo.fromBinary(data as Uint8Array));
  }

  GetCampaignStats(request: GetCampaignStatsRequest): Promise<CampaignStats> {
    const data = GetCampaignStatsRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.Campaign",
      "GetCampaignStats",
      "application/protobuf",
      data
    );
    return promise.then((data) => CampaignStats.fromBinary(data as Uint8Array));
  }
}

//==================================//
//          Server Code             //
//==================================//

export interface CampaignTwirp<T extends TwirpContext = TwirpContext> {
  CreateCampaign(ctx: T, request: CreateCampaignRequest): Promise<CampaignInfo>;
  GetCampaign(ctx: T, request: GetCampaignRequest): Promise<CampaignInfo>;
  ListCampaigns(
    ctx: T,
    request: ListCampaignsRequest
  ): Promise<ListCampaignsResponse>;
  UpdateCampaign(ctx: T, request: UpdateCampaignRequest): Promise<CampaignInfo>;
  StartCampaign(ctx: T, request: StartCampaignRequest): Promise<CampaignInfo>;
  PauseCampaign(ctx: T, request: PauseCampaignRequest): Promise<CampaignInfo>;
  ResumeCampaign(ctx: T, request: ResumeCampaignRequest): Promise<CampaignInfo>;
  CancelCampaign(ctx: T, request: CancelCampaignRequest): Promise<CampaignInfo>;
  SendMessage(
    ctx: T,
    request: SendMessageRequest
  ): Promise<SendMessageResponse>;
  AddRecipients(
    ctx: T,
    request: AddRecipientsRequest
  ): Promise<AddRecipientsResponse>;
  GetMessage(ctx: T, request: GetMessageRequest): Promise<MessageInfo>;
  ListMessages(
    ctx: T,
    request: ListMessagesRequest
  ): Promise<ListMessagesResponse>;
  CancelMessage(ctx: T, request: CancelMessageRequest): Promise<MessageInfo>;
  GetCampaignStats(
    ctx: T,
    request: GetCampaignStatsRequest
  ): Promise<CampaignStats>;
}

export enum CampaignMethod {
  CreateCampaign = "CreateCampaign",
  GetCampaign = "GetCampaign",
  ListCampaigns = "ListCampaigns",
  UpdateCampaign = "UpdateCampaign",
  StartCampaign = "StartCampaign",
  PauseCampaign = "PauseCampaign",
  ResumeCampaign = "ResumeCampaign",
  CancelCampaign = "CancelCampaign",
  SendMessage = "SendMessage",
  AddRecipients = "AddRecipients",
  GetMessage = "GetMessage",
  ListMessages = "ListMessages",
  CancelMessage = "CancelMessage",
  GetCampaignStats = "GetCampaignStats",
}

export const CampaignMethodList = [
  CampaignMethod.CreateCampaign,
  CampaignMethod.GetCampaign,
  CampaignMethod.ListCampaigns,
  CampaignMethod.UpdateCampaign,
  CampaignMethod.StartCampaign,
  CampaignMethod.PauseCampaign,
  CampaignMethod.ResumeCampaign,
  CampaignMethod.CancelCampaign,
  CampaignMethod.SendMessage,
  CampaignMethod.AddRecipients,
  CampaignMethod.GetMessage,
  CampaignMethod.ListMessages,
  CampaignMethod.CancelMessage,
  CampaignMethod.GetCampaignStats,
];

export function createCampaignServer<T extends TwirpContext = TwirpContext>(
  service: CampaignTwirp<T>
) {
  return new TwirpServer<CampaignTwirp, T>({
    service,
    packageName: "outreach.v1",
    serviceName: "Campaign",
    methodList: CampaignMethodList,
    matchRoute: matchCampaignRoute,
  });
}

function matchCampaignRoute<T extends TwirpContext = TwirpContext>(
  method: string,
  events: RouterEvents<T>
) {
  switch (method) {
    case "CreateCampaign":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, CreateCampaignRequest, CampaignInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "CreateCampaign" };
        await events.onMatch(ctx);
        return handleCampaignCreateCampaignRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "GetCampaign":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, GetCampaignRequest, CampaignInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "GetCampaign" };
        await events.onMatch(ctx);
        return handleCampaignGetCampaignRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "ListCampaigns":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          ListCampaignsRequest,
          ListCampaignsResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "ListCampaigns" };
        await events.onMatch(ctx);
        return handleCampaignListCampaignsRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "UpdateCampaign":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, UpdateCampaignRequest, CampaignInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "UpdateCampaign" };
        await events.onMatch(ctx);
        return handleCampaignUpdateCampaignRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "StartCampaign":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, StartCampaignRequest, CampaignInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "StartCampaign" };
        await events.onMatch(ctx);
        return handleCampaignStartCampaignRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "PauseCampaign":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, PauseCampaignRequest, CampaignInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "PauseCampaign" };
        await events.onMatch(ctx);
        return handleCampaignPauseCampaignRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "ResumeCampaign":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, ResumeCampaignRequest, CampaignInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "ResumeCampaign" };
        await events.onMatch(ctx);
        return handleCampaignResumeCampaignRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "CancelCampaign":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, CancelCampaignRequest, CampaignInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "CancelCampaign" };
        await events.onMatch(ctx);
        return handleCampaignCancelCampaignRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "SendMessage":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, SendMessageRequest, SendMessageResponse>[]
      ) => {
        ctx = { ...ctx, methodName: "SendMessage" };
        await events.onMatch(ctx);
        return handleCampaignSendMessageRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "AddRecipients":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          AddRecipientsRequest,
          AddRecipientsResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "AddRecipients" };
        await events.onMatch(ctx);
        return handleCampaignAddRecipientsRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "GetMessage":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, GetMessageRequest, MessageInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "GetMessage" };
        await events.onMatch(ctx);
        return handleCampaignGetMessageRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "ListMessages":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          ListMessagesRequest,
          ListMessagesResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "ListMessages" };
        await events.onMatch(ctx);
        return handleCampaignListMessagesRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "CancelMessage":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, CancelMessageRequest, MessageInfo>[]
      ) => {
        ctx = { ...ctx, methodName: "CancelMessage" };
        await events.onMatch(ctx);
        return handleCampaignCancelMessageRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "GetCampaignStats":
      return async (
        ctx: T,
        service: CampaignTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, GetCampaignStatsRequest, CampaignStats>[]
      ) => {
        ctx = { ...ctx, methodName: "GetCampaignStats" };
        await events.onMatch(ctx);
        return handleCampaignGetCampaignStatsRequest(
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

function handleCampaignCreateCampaignRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateCampaignRequest, CampaignInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignCreateCampaignJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignCreateCampaignProtobuf<T>(
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

function handleCampaignGetCampaignRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetCampaignRequest, CampaignInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignGetCampaignJSON<T>(ctx, service, data, interceptors);
    case TwirpContentType.Protobuf:
      return handleCampaignGetCampaignProtobuf<T>(
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

function handleCampaignListCampaignsRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListCampaignsRequest, ListCampaignsResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignListCampaignsJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignListCampaignsProtobuf<T>(
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

function handleCampaignUpdateCampaignRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, UpdateCampaignRequest, CampaignInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignUpdateCampaignJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignUpdateCampaignProtobuf<T>(
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

function handleCampaignStartCampaignRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, StartCampaignRequest, CampaignInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignStartCampaignJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignStartCampaignProtobuf<T>(
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

function handleCampaignPauseCampaignRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, PauseCampaignRequest, CampaignInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignPauseCampaignJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignPauseCampaignProtobuf<T>(
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

function handleCampaignResumeCampaignRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ResumeCampaignRequest, CampaignInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignResumeCampaignJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignResumeCampaignProtobuf<T>(
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

function handleCampaignCancelCampaignRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CancelCampaignRequest, CampaignInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignCancelCampaignJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignCancelCampaignProtobuf<T>(
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

function handleCampaignSendMessageRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, SendMessageRequest, SendMessageResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignSendMessageJSON<T>(ctx, service, data, interceptors);
    case TwirpContentType.Protobuf:
      return handleCampaignSendMessageProtobuf<T>(
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

function handleCampaignAddRecipientsRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, AddRecipientsRequest, AddRecipientsResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignAddRecipientsJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignAddRecipientsProtobuf<T>(
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

function handleCampaignGetMessageRequest<T extends TwirpContext = TwirpContext>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetMessageRequest, MessageInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignGetMessageJSON<T>(ctx, service, data, interceptors);
    case TwirpContentType.Protobuf:
      return handleCampaignGetMessageProtobuf<T>(
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

function handleCampaignListMessagesRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListMessagesRequest, ListMessagesResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignListMessagesJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignListMessagesProtobuf<T>(
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

function handleCampaignCancelMessageRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CancelMessageRequest, MessageInfo>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignCancelMessageJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignCancelMessageProtobuf<T>(
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

function handleCampaignGetCampaignStatsRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetCampaignStatsRequest, CampaignStats>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleCampaignGetCampaignStatsJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleCampaignGetCampaignStatsProtobuf<T>(
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
async function handleCampaignCreateCampaignJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateCampaignRequest, CampaignInfo>[]
) {
  let request: CreateCampaignRequest;
  let response: CampaignInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = CreateCampaignRequest.fromJson(body, {
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
      CreateCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CreateCampaign(ctx, inputReq);
    });
  } else {
    response = await service.CreateCampaign(ctx, request!);
  }

  return JSON.stringify(
    CampaignInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignGetCampaignJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetCampaignRequest, CampaignInfo>[]
) {
  let request: GetCampaignRequest;
  let response: CampaignInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = GetCampaignRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      GetCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetCampaign(ctx, inputReq);
    });
  } else {
    response = await service.GetCampaign(ctx, request!);
  }

  return JSON.stringify(
    CampaignInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignListCampaignsJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListCampaignsRequest, ListCampaignsResponse>[]
) {
  let request: ListCampaignsRequest;
  let response: ListCampaignsResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = ListCampaignsRequest.fromJson(body, {
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
      ListCampaignsRequest,
      ListCampaignsResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListCampaigns(ctx, inputReq);
    });
  } else {
    response = await service.ListCampaigns(ctx, request!);
  }

  return JSON.stringify(
    ListCampaignsResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignUpdateCampaignJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, UpdateCampaignRequest, CampaignInfo>[]
) {
  let request: UpdateCampaignRequest;
  let response: CampaignInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = UpdateCampaignRequest.fromJson(body, {
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
      UpdateCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.UpdateCampaign(ctx, inputReq);
    });
  } else {
    response = await service.UpdateCampaign(ctx, request!);
  }

  return JSON.stringify(
    CampaignInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignStartCampaignJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, StartCampaignRequest, CampaignInfo>[]
) {
  let request: StartCampaignRequest;
  let response: CampaignInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = StartCampaignRequest.fromJson(body, {
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
      StartCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.StartCampaign(ctx, inputReq);
    });
  } else {
    response = await service.StartCampaign(ctx, request!);
  }

  return JSON.stringify(
    CampaignInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignPauseCampaignJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, PauseCampaignRequest, CampaignInfo>[]
) {
  let request: PauseCampaignRequest;
  let response: CampaignInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = PauseCampaignRequest.fromJson(body, {
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
      PauseCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.PauseCampaign(ctx, inputReq);
    });
  } else {
    response = await service.PauseCampaign(ctx, request!);
  }

  return JSON.stringify(
    CampaignInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignResumeCampaignJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ResumeCampaignRequest, CampaignInfo>[]
) {
  let request: ResumeCampaignRequest;
  let response: CampaignInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = ResumeCampaignRequest.fromJson(body, {
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
      ResumeCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ResumeCampaign(ctx, inputReq);
    });
  } else {
    response = await service.ResumeCampaign(ctx, request!);
  }

  return JSON.stringify(
    CampaignInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignCancelCampaignJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CancelCampaignRequest, CampaignInfo>[]
) {
  let request: CancelCampaignRequest;
  let response: CampaignInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = CancelCampaignRequest.fromJson(body, {
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
      CancelCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CancelCampaign(ctx, inputReq);
    });
  } else {
    response = await service.CancelCampaign(ctx, request!);
  }

  return JSON.stringify(
    CampaignInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignSendMessageJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, SendMessageRequest, SendMessageResponse>[]
) {
  let request: SendMessageRequest;
  let response: SendMessageResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = SendMessageRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      SendMessageRequest,
      SendMessageResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.SendMessage(ctx, inputReq);
    });
  } else {
    response = await service.SendMessage(ctx, request!);
  }

  return JSON.stringify(
    SendMessageResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignAddRecipientsJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, AddRecipientsRequest, AddRecipientsResponse>[]
) {
  let request: AddRecipientsRequest;
  let response: AddRecipientsResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = AddRecipientsRequest.fromJson(body, {
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
      AddRecipientsRequest,
      AddRecipientsResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.AddRecipients(ctx, inputReq);
    });
  } else {
    response = await service.AddRecipients(ctx, request!);
  }

  return JSON.stringify(
    AddRecipientsResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignGetMessageJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetMessageRequest, MessageInfo>[]
) {
  let request: GetMessageRequest;
  let response: MessageInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = GetMessageRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      GetMessageRequest,
      MessageInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetMessage(ctx, inputReq);
    });
  } else {
    response = await service.GetMessage(ctx, request!);
  }

  return JSON.stringify(
    MessageInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignListMessagesJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListMessagesRequest, ListMessagesResponse>[]
) {
  let request: ListMessagesRequest;
  let response: ListMessagesResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = ListMessagesRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListMessagesRequest,
      ListMessagesResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListMessages(ctx, inputReq);
    });
  } else {
    response = await service.ListMessages(ctx, request!);
  }

  return JSON.stringify(
    ListMessagesResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignCancelMessageJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CancelMessageRequest, MessageInfo>[]
) {
  let request: CancelMessageRequest;
  let response: MessageInfo;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = CancelMessageRequest.fromJson(body, {
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
      CancelMessageRequest,
      MessageInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CancelMessage(ctx, inputReq);
    });
  } else {
    response = await service.CancelMessage(ctx, request!);
  }

  return JSON.stringify(
    MessageInfo.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleCampaignGetCampaignStatsJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetCampaignStatsRequest, CampaignStats>[]
) {
  let request: GetCampaignStatsRequest;
  let response: CampaignStats;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = GetCampaignStatsRequest.fromJson(body, {
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
      GetCampaignStatsRequest,
      CampaignStats
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetCampaignStats(ctx, inputReq);
    });
  } else {
    response = await service.GetCampaignStats(ctx, request!);
  }

  return JSON.stringify(
    CampaignStats.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}
async function handleCampaignCreateCampaignProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateCampaignRequest, CampaignInfo>[]
) {
  let request: CreateCampaignRequest;
  let response: CampaignInfo;

  try {
    request = CreateCampaignRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CreateCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CreateCampaign(ctx, inputReq);
    });
  } else {
    response = await service.CreateCampaign(ctx, request!);
  }

  return Buffer.from(CampaignInfo.toBinary(response));
}

async function handleCampaignGetCampaignProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetCampaignRequest, CampaignInfo>[]
) {
  let request: GetCampaignRequest;
  let response: CampaignInfo;

  try {
    request = GetCampaignRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      GetCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetCampaign(ctx, inputReq);
    });
  } else {
    response = await service.GetCampaign(ctx, request!);
  }

  return Buffer.from(CampaignInfo.toBinary(response));
}

async function handleCampaignListCampaignsProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListCampaignsRequest, ListCampaignsResponse>[]
) {
  let request: ListCampaignsRequest;
  let response: ListCampaignsResponse;

  try {
    request = ListCampaignsRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListCampaignsRequest,
      ListCampaignsResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListCampaigns(ctx, inputReq);
    });
  } else {
    response = await service.ListCampaigns(ctx, request!);
  }

  return Buffer.from(ListCampaignsResponse.toBinary(response));
}

async function handleCampaignUpdateCampaignProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, UpdateCampaignRequest, CampaignInfo>[]
) {
  let request: UpdateCampaignRequest;
  let response: CampaignInfo;

  try {
    request = UpdateCampaignRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      UpdateCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.UpdateCampaign(ctx, inputReq);
    });
  } else {
    response = await service.UpdateCampaign(ctx, request!);
  }

  return Buffer.from(CampaignInfo.toBinary(response));
}

async function handleCampaignStartCampaignProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, StartCampaignRequest, CampaignInfo>[]
) {
  let request: StartCampaignRequest;
  let response: CampaignInfo;

  try {
    request = StartCampaignRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      StartCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.StartCampaign(ctx, inputReq);
    });
  } else {
    response = await service.StartCampaign(ctx, request!);
  }

  return Buffer.from(CampaignInfo.toBinary(response));
}

async function handleCampaignPauseCampaignProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, PauseCampaignRequest, CampaignInfo>[]
) {
  let request: PauseCampaignRequest;
  let response: CampaignInfo;

  try {
    request = PauseCampaignRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      PauseCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.PauseCampaign(ctx, inputReq);
    });
  } else {
    response = await service.PauseCampaign(ctx, request!);
  }

  return Buffer.from(CampaignInfo.toBinary(response));
}

async function handleCampaignResumeCampaignProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ResumeCampaignRequest, CampaignInfo>[]
) {
  let request: ResumeCampaignRequest;
  let response: CampaignInfo;

  try {
    request = ResumeCampaignRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ResumeCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ResumeCampaign(ctx, inputReq);
    });
  } else {
    response = await service.ResumeCampaign(ctx, request!);
  }

  return Buffer.from(CampaignInfo.toBinary(response));
}

async function handleCampaignCancelCampaignProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CancelCampaignRequest, CampaignInfo>[]
) {
  let request: CancelCampaignRequest;
  let response: CampaignInfo;

  try {
    request = CancelCampaignRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CancelCampaignRequest,
      CampaignInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CancelCampaign(ctx, inputReq);
    });
  } else {
    response = await service.CancelCampaign(ctx, request!);
  }

  return Buffer.from(CampaignInfo.toBinary(response));
}

async function handleCampaignSendMessageProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, SendMessageRequest, SendMessageResponse>[]
) {
  let request: SendMessageRequest;
  let response: SendMessageResponse;

  try {
    request = SendMessageRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      SendMessageRequest,
      SendMessageResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.SendMessage(ctx, inputReq);
    });
  } else {
    response = await service.SendMessage(ctx, request!);
  }

  return Buffer.from(SendMessageResponse.toBinary(response));
}

async function handleCampaignAddRecipientsProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, AddRecipientsRequest, AddRecipientsResponse>[]
) {
  let request: AddRecipientsRequest;
  let response: AddRecipientsResponse;

  try {
    request = AddRecipientsRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      AddRecipientsRequest,
      AddRecipientsResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.AddRecipients(ctx, inputReq);
    });
  } else {
    response = await service.AddRecipients(ctx, request!);
  }

  return Buffer.from(AddRecipientsResponse.toBinary(response));
}

async function handleCampaignGetMessageProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetMessageRequest, MessageInfo>[]
) {
  let request: GetMessageRequest;
  let response: MessageInfo;

  try {
    request = GetMessageRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      GetMessageRequest,
      MessageInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetMessage(ctx, inputReq);
    });
  } else {
    response = await service.GetMessage(ctx, request!);
  }

  return Buffer.from(MessageInfo.toBinary(response));
}

async function handleCampaignListMessagesProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListMessagesRequest, ListMessagesResponse>[]
) {
  let request: ListMessagesRequest;
  let response: ListMessagesResponse;

  try {
    request = ListMessagesRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListMessagesRequest,
      ListMessagesResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListMessages(ctx, inputReq);
    });
  } else {
    response = await service.ListMessages(ctx, request!);
  }

  return Buffer.from(ListMessagesResponse.toBinary(response));
}

async function handleCampaignCancelMessageProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CancelMessageRequest, MessageInfo>[]
) {
  let request: CancelMessageRequest;
  let response: MessageInfo;

  try {
    request = CancelMessageRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CancelMessageRequest,
      MessageInfo
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CancelMessage(ctx, inputReq);
    });
  } else {
    response = await service.CancelMessage(ctx, request!);
  }

  return Buffer.from(MessageInfo.toBinary(response));
}

async function handleCampaignGetCampaignStatsProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: CampaignTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetCampaignStatsRequest, CampaignStats>[]
) {
  let request: GetCampaignStatsRequest;
  let response: CampaignStats;

  try {
    request = GetCampaignStatsRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      GetCampaignStatsRequest,
      CampaignStats
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetCampaignStats(ctx, inputReq);
    });
  } else {
    response = await service.GetCampaignStats(ctx, request!);
  }

  return Buffer.from(CampaignStats.toBinary(response));
}
