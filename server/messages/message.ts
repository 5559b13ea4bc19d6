/** Domain types of a message: one contact of a campaign. Plain values, no protobuf, no rows. */

export const MESSAGE_STATUSES = ['QUEUED', 'DISPATCHED', 'SUCCEEDED', 'FAILED'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const DISPOSITIONS = [
  'COMPLETED',
  'VOICEMAIL',
  'BUSY',
  'NO_ANSWER',
  'FAILED',
  'OPTED_OUT',
  'DISCARDED_DND',
  'CANCELLED',
  'EXPIRED',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Any JSON value (a callback's `State`). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One call of a message. */
export interface Attempt {
  readonly number: number;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly outcome: Disposition | null;
  readonly providerCallId: string | null;
  readonly durationSeconds: number;
}

/** A stored message. */
export interface Message {
  readonly id: string;
  readonly tenantId: string;
  readonly campaignId: string;
  readonly phoneNumber: string;
  readonly status: MessageStatus;
  readonly disposition: Disposition | null;
  readonly variables: Readonly<Record<string, string>>;
  readonly callbackUrl: string | null;
  /** `undefined` when the client sent no state. */
  readonly callbackState: JsonValue | undefined;
  readonly scheduledAt: Date;
  readonly bypassCallingWindow: boolean;
  readonly allowDuplicates: boolean;
  readonly nextAttemptAt: Date | null;
  readonly attemptCount: number;
  readonly externalId: string | null;
  readonly language: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly timezone: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A validated message about to be written; `scheduledAt` null means "now". */
export interface NewMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly campaignId: string;
  readonly phoneNumber: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly callbackUrl: string | null;
  readonly callbackState: JsonValue | undefined;
  readonly scheduledAt: Date | null;
  readonly bypassCallingWindow: boolean;
  readonly allowDuplicates: boolean;
  readonly externalId: string | null;
  readonly language: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly timezone: string | null;
}

/** What became of a new message: written (queued, or failed at once as opted out) or not. */
export type WriteOutcome =
  | { readonly written: true; readonly status: MessageStatus; readonly disposition: Disposition | null }
  | { readonly written: false };
