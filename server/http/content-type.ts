/** The two encodings Twirp speaks. */
export type RpcEncoding = 'json' | 'protobuf';

/**
 * The encoding a `Content-Type` header asks for, read as Go's Twirp reads it: the media type
 * before any `;` parameters, trimmed and lower-cased. Undefined for anything else.
 */
export function encodingOf(header: string | undefined): RpcEncoding | undefined {
  if (header === undefined) return undefined;
  const semicolon = header.indexOf(';');
  const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/protobuf') return 'protobuf';
  return undefined;
}

/** The bare media type twirp-ts matches exactly. */
export function mediaTypeOf(encoding: RpcEncoding): string {
  return encoding === 'json' ? 'application/json' : 'application/protobuf';
}
