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
  CreateProfileRequest,
  BusinessHoursProfile,
  GetProfileRequest,
  ListProfilesRequest,
  ListProfilesResponse,
  UpdateProfileRequest,
  DeleteProfileRequest,
  DeleteProfileResponse,
} from "./business_hours";

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

export interface BusinessHoursClient {
  CreateProfile(request: CreateProfileRequest): Promise<BusinessHoursProfile>;
  GetProfile(request: GetProfileRequest): Promise<BusinessHoursProfile>;
  ListProfiles(request: ListProfilesRequest): Promise<ListProfilesResponse>;
  UpdateProfile(request: UpdateProfileRequest): Promise<BusinessHoursProfile>;
  DeleteProfile(request: DeleteProfileRequest): Promise<DeleteProfileResponse>;
}

export class BusinessHoursClientJSON implements BusinessHoursClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.CreateProfile.bind(this);
    this.GetProfile.bind(this);
    this.ListProfiles.bind(this);
    this.UpdateProfile.bind(this);
    this.DeleteProfile.bind(this);
  }
  CreateProfile(request: CreateProfileRequest): Promise<BusinessHoursProfile> {
    const data = CreateProfileRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "CreateProfile",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      BusinessHoursProfile.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  GetProfile(request: GetProfileRequest): Promise<BusinessHoursProfile> {
    const data = GetProfileRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "GetProfile",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      BusinessHoursProfile.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  ListProfiles(request: ListProfilesRequest): Promise<ListProfilesResponse> {
    const data = ListProfilesRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "ListProfiles",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      ListProfilesResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  UpdateProfile(request: UpdateProfileRequest): Promise<BusinessHoursProfile> {
    const data = UpdateProfileRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "UpdateProfile",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      BusinessHoursProfile.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }

  DeleteProfile(request: DeleteProfileRequest): Promise<DeleteProfileResponse> {
    const data = DeleteProfileRequest.toJson(request, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    });
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "DeleteProfile",
      "application/json",
      data as object
    );
    return promise.then((data) =>
      DeleteProfileResponse.fromJson(data as any, { ignoreUnknownFields: true })
    );
  }
}

export class BusinessHoursClientProtobuf implements BusinessHoursClient {
  private readonly rpc: Rpc;
  constructor(rpc: Rpc) {
    this.rpc = rpc;
    this.CreateProfile.bind(this);
    this.GetProfile.bind(this);
    this.ListProfiles.bind(this);
    this.UpdateProfile.bind(this);
    this.DeleteProfile.bind(this);
  }
  CreateProfile(request: CreateProfileRequest): Promise<BusinessHoursProfile> {
    const data = CreateProfileRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "CreateProfile",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      BusinessHoursProfile.fromBinary(data as Uint8Array)
    );
  }

  GetProfile(request: GetProfileRequest): Promise<BusinessHoursProfile> {
    const data = GetProfileRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "GetProfile",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      BusinessHoursProfile.fromBinary(data as Uint8Array)
    );
  }

  ListProfiles(request: ListProfilesRequest): Promise<ListProfilesResponse> {
    const data = ListProfilesRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "ListProfiles",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      ListProfilesResponse.fromBinary(data as Uint8Array)
    );
  }

  UpdateProfile(request: UpdateProfileRequest): Promise<BusinessHoursProfile> {
    const data = UpdateProfileRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "UpdateProfile",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      BusinessHoursProfile.fromBinary(data as Uint8Array)
    );
  }

  DeleteProfile(request: DeleteProfileRequest): Promise<DeleteProfileResponse> {
    const data = DeleteProfileRequest.toBinary(request);
    const promise = this.rpc.request(
      "outreach.v1.BusinessHours",
      "DeleteProfile",
      "application/protobuf",
      data
    );
    return promise.then((data) =>
      DeleteProfileResponse.fromBinary(data as Uint8Array)
    );
  }
}

//==================================//
//          Server Code             //
//==================================//

export interface BusinessHoursTwirp<T extends TwirpContext = TwirpContext> {
  CreateProfile(
    ctx: T,
    request: CreateProfileRequest
  ): Promise<BusinessHoursProfile>;
  GetProfile(ctx: T, request: GetProfileRequest): Promise<BusinessHoursProfile>;
  ListProfiles(
    ctx: T,
    request: ListProfilesRequest
  ): Promise<ListProfilesResponse>;
  UpdateProfile(
    ctx: T,
    request: UpdateProfileRequest
  ): Promise<BusinessHoursProfile>;
  DeleteProfile(
    ctx: T,
    request: DeleteProfileRequest
  ): Promise<DeleteProfileResponse>;
}

export enum BusinessHoursMethod {
  CreateProfile = "CreateProfile",
  GetProfile = "GetProfile",
  ListProfiles = "ListProfiles",
  UpdateProfile = "UpdateProfile",
  DeleteProfile = "DeleteProfile",
}

export const BusinessHoursMethodList = [
  BusinessHoursMethod.CreateProfile,
  BusinessHoursMethod.GetProfile,
  BusinessHoursMethod.ListProfiles,
  BusinessHoursMethod.UpdateProfile,
  BusinessHoursMethod.DeleteProfile,
];

export function createBusinessHoursServer<
  T extends TwirpContext = TwirpContext
>(service: BusinessHoursTwirp<T>) {
  return new TwirpServer<BusinessHoursTwirp, T>({
    service,
    packageName: "outreach.v1",
    serviceName: "BusinessHours",
    methodList: BusinessHoursMethodList,
    matchRoute: matchBusinessHoursRoute,
  });
}

function matchBusinessHoursRoute<T extends TwirpContext = TwirpContext>(
  method: string,
  events: RouterEvents<T>
) {
  switch (method) {
    case "CreateProfile":
      return async (
        ctx: T,
        service: BusinessHoursTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          CreateProfileRequest,
          BusinessHoursProfile
        >[]
      ) => {
        ctx = { ...ctx, methodName: "CreateProfile" };
        await events.onMatch(ctx);
        return handleBusinessHoursCreateProfileRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "GetProfile":
      return async (
        ctx: T,
        service: BusinessHoursTwirp,
        data: Buffer,
        interceptors?: Interceptor<T, GetProfileRequest, BusinessHoursProfile>[]
      ) => {
        ctx = { ...ctx, methodName: "GetProfile" };
        await events.onMatch(ctx);
        return handleBusinessHoursGetProfileRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "ListProfiles":
      return async (
        ctx: T,
        service: BusinessHoursTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          ListProfilesRequest,
          ListProfilesResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "ListProfiles" };
        await events.onMatch(ctx);
        return handleBusinessHoursListProfilesRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "UpdateProfile":
      return async (
        ctx: T,
        service: BusinessHoursTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          UpdateProfileRequest,
          BusinessHoursProfile
        >[]
      ) => {
        ctx = { ...ctx, methodName: "UpdateProfile" };
        await events.onMatch(ctx);
        return handleBusinessHoursUpdateProfileRequest(
          ctx,
          service,
          data,
          interceptors
        );
      };
    case "DeleteProfile":
      return async (
        ctx: T,
        service: BusinessHoursTwirp,
        data: Buffer,
        interceptors?: Interceptor<
          T,
          DeleteProfileRequest,
          DeleteProfileResponse
        >[]
      ) => {
        ctx = { ...ctx, methodName: "DeleteProfile" };
        await events.onMatch(ctx);
        return handleBusinessHoursDeleteProfileRequest(
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

function handleBusinessHoursCreateProfileRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateProfileRequest, BusinessHoursProfile>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleBusinessHoursCreateProfileJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleBusinessHoursCreateProfileProtobuf<T>(
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

function handleBusinessHoursGetProfileRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetProfileRequest, BusinessHoursProfile>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleBusinessHoursGetProfileJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleBusinessHoursGetProfileProtobuf<T>(
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

function handleBusinessHoursListProfilesRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListProfilesRequest, ListProfilesResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleBusinessHoursListProfilesJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleBusinessHoursListProfilesProtobuf<T>(
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

function handleBusinessHoursUpdateProfileRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, UpdateProfileRequest, BusinessHoursProfile>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleBusinessHoursUpdateProfileJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleBusinessHoursUpdateProfileProtobuf<T>(
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

function handleBusinessHoursDeleteProfileRequest<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, DeleteProfileRequest, DeleteProfileResponse>[]
): Promise<string | Uint8Array> {
  switch (ctx.contentType) {
    case TwirpContentType.JSON:
      return handleBusinessHoursDeleteProfileJSON<T>(
        ctx,
        service,
        data,
        interceptors
      );
    case TwirpContentType.Protobuf:
      return handleBusinessHoursDeleteProfileProtobuf<T>(
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
async function handleBusinessHoursCreateProfileJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateProfileRequest, BusinessHoursProfile>[]
) {
  let request: CreateProfileRequest;
  let response: BusinessHoursProfile;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = CreateProfileRequest.fromJson(body, {
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
      CreateProfileRequest,
      BusinessHoursProfile
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CreateProfile(ctx, inputReq);
    });
  } else {
    response = await service.CreateProfile(ctx, request!);
  }

  return JSON.stringify(
    BusinessHoursProfile.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleBusinessHoursGetProfileJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetProfileRequest, BusinessHoursProfile>[]
) {
  let request: GetProfileRequest;
  let response: BusinessHoursProfile;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = GetProfileRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      GetProfileRequest,
      BusinessHoursProfile
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetProfile(ctx, inputReq);
    });
  } else {
    response = await service.GetProfile(ctx, request!);
  }

  return JSON.stringify(
    BusinessHoursProfile.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleBusinessHoursListProfilesJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListProfilesRequest, ListProfilesResponse>[]
) {
  let request: ListProfilesRequest;
  let response: ListProfilesResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = ListProfilesRequest.fromJson(body, { ignoreUnknownFields: true });
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the json request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListProfilesRequest,
      ListProfilesResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListProfiles(ctx, inputReq);
    });
  } else {
    response = await service.ListProfiles(ctx, request!);
  }

  return JSON.stringify(
    ListProfilesResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleBusinessHoursUpdateProfileJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, UpdateProfileRequest, BusinessHoursProfile>[]
) {
  let request: UpdateProfileRequest;
  let response: BusinessHoursProfile;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = UpdateProfileRequest.fromJson(body, {
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
      UpdateProfileRequest,
      BusinessHoursProfile
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.UpdateProfile(ctx, inputReq);
    });
  } else {
    response = await service.UpdateProfile(ctx, request!);
  }

  return JSON.stringify(
    BusinessHoursProfile.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}

async function handleBusinessHoursDeleteProfileJSON<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, DeleteProfileRequest, DeleteProfileResponse>[]
) {
  let request: DeleteProfileRequest;
  let response: DeleteProfileResponse;

  try {
    const body = JSON.parse(data.toString() || "{}");
    request = DeleteProfileRequest.fromJson(body, {
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
      DeleteProfileRequest,
      DeleteProfileResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.DeleteProfile(ctx, inputReq);
    });
  } else {
    response = await service.DeleteProfile(ctx, request!);
  }

  return JSON.stringify(
    DeleteProfileResponse.toJson(response, {
      useProtoFieldName: true,
      emitDefaultValues: true,
    }) as string
  );
}
async function handleBusinessHoursCreateProfileProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, CreateProfileRequest, BusinessHoursProfile>[]
) {
  let request: CreateProfileRequest;
  let response: BusinessHoursProfile;

  try {
    request = CreateProfileRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      CreateProfileRequest,
      BusinessHoursProfile
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.CreateProfile(ctx, inputReq);
    });
  } else {
    response = await service.CreateProfile(ctx, request!);
  }

  return Buffer.from(BusinessHoursProfile.toBinary(response));
}

async function handleBusinessHoursGetProfileProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, GetProfileRequest, BusinessHoursProfile>[]
) {
  let request: GetProfileRequest;
  let response: BusinessHoursProfile;

  try {
    request = GetProfileRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      GetProfileRequest,
      BusinessHoursProfile
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.GetProfile(ctx, inputReq);
    });
  } else {
    response = await service.GetProfile(ctx, request!);
  }

  return Buffer.from(BusinessHoursProfile.toBinary(response));
}

async function handleBusinessHoursListProfilesProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, ListProfilesRequest, ListProfilesResponse>[]
) {
  let request: ListProfilesRequest;
  let response: ListProfilesResponse;

  try {
    request = ListProfilesRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      ListProfilesRequest,
      ListProfilesResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.ListProfiles(ctx, inputReq);
    });
  } else {
    response = await service.ListProfiles(ctx, request!);
  }

  return Buffer.from(ListProfilesResponse.toBinary(response));
}

async function handleBusinessHoursUpdateProfileProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, UpdateProfileRequest, BusinessHoursProfile>[]
) {
  let request: UpdateProfileRequest;
  let response: BusinessHoursProfile;

  try {
    request = UpdateProfileRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      UpdateProfileRequest,
      BusinessHoursProfile
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.UpdateProfile(ctx, inputReq);
    });
  } else {
    response = await service.UpdateProfile(ctx, request!);
  }

  return Buffer.from(BusinessHoursProfile.toBinary(response));
}

async function handleBusinessHoursDeleteProfileProtobuf<
  T extends TwirpContext = TwirpContext
>(
  ctx: T,
  service: BusinessHoursTwirp,
  data: Buffer,
  interceptors?: Interceptor<T, DeleteProfileRequest, DeleteProfileResponse>[]
) {
  let request: DeleteProfileRequest;
  let response: DeleteProfileResponse;

  try {
    request = DeleteProfileRequest.fromBinary(data);
  } catch (e) {
    if (e instanceof Error) {
      const msg = "the protobuf request could not be decoded";
      throw new TwirpError(TwirpErrorCode.Malformed, msg).withCause(e, true);
    }
  }

  if (interceptors && interceptors.length > 0) {
    const interceptor = chainInterceptors(...interceptors) as Interceptor<
      T,
      DeleteProfileRequest,
      DeleteProfileResponse
    >;
    response = await interceptor(ctx, request!, (ctx, inputReq) => {
      return service.DeleteProfile(ctx, inputReq);
    });
  } else {
    response = await service.DeleteProfile(ctx, request!);
  }

  return Buffer.from(DeleteProfileResponse.toBinary(response));
}
