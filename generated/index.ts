export * from "./outreach/v1/admin";
export * from "./outreach/v1/common";
export * from "./outreach/v1/campaign";
export * from "./outreach/v1/admin.twirp";
export * from "./outreach/v1/campaign.twirp";