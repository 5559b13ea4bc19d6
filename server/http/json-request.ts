import { ScalarType, type EnumInfo, type FieldInfo, type IMessageType } from '@protobuf-ts/runtime';
import { TwirpError, TwirpErrorCode } from 'twirp-ts';
import { invalidArgument } from '../errors';

/**
 * Checks a JSON request against its message type before twirp-ts decodes it, so that a wrong
 * value answers `invalid_argument` naming the field (`meta.argument`, spelled as the client sent
 * it, with `[i]` for list items and `.key` for map entries) instead of an opaque `malformed`.
 * It also refuses enum words the contract does not know: protobuf-ts would silently drop them
 * with `ignoreUnknownFields`, turning `"trigger": "BULKK"` into the default. Returns the decoded
 * message.
 */
export function checkJsonRequest(type: IMessageType<object>, body: Buffer): object {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new TwirpError(TwirpErrorCode.Malformed, 'the request body is not valid JSON');
  }
  if (!isObject(json)) throw new TwirpError(TwirpErrorCode.Malformed, 'the request body must be a JSON object');
  checkMessage(type, json, '');
  try {
    return type.fromJson(json as never, { ignoreUnknownFields: true });
  } catch (e: unknown) {
    const field = /#(\w+)/.exec(e instanceof Error ? e.message : '')?.[1];
    if (field !== undefined) throw invalidArgument(field, `${field} has a value that cannot be read`);
    throw new TwirpError(TwirpErrorCode.Malformed, 'the request body does not match the request message');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkMessage(type: IMessageType<object>, json: Record<string, unknown>, prefix: string): void {
  // Well-known types (Value, Struct, Timestamp…) have their own JSON forms; protobuf-ts checks them.
  if (type.typeName.startsWith('google.protobuf.')) return;
  for (const field of type.fields) {
    for (const key of new Set([field.jsonName, field.name])) {
      if (!Object.prototype.hasOwnProperty.call(json, key)) continue;
      const value = json[key];
      if (value === null) continue;
      checkField(field, value, prefix + key);
    }
  }
}

function checkField(field: FieldInfo, value: unknown, path: string): void {
  if (field.kind === 'map') {
    if (!isObject(value)) throw invalidArgument(path, `${path} must be a JSON object`);
    for (const [key, entry] of Object.entries(value)) checkSingle(field.V, entry, `${path}.${key}`);
    return;
  }
  if (field.repeat) {
    if (!Array.isArray(value)) throw invalidArgument(path, `${path} must be a JSON array`);
    value.forEach((item, i) => checkSingle(field, item, `${path}[${i}]`));
    return;
  }
  checkSingle(field, value, path);
}

type SingleField =
  | { kind: 'scalar'; T: ScalarType }
  | { kind: 'enum'; T: () => EnumInfo }
  | { kind: 'message'; T: () => IMessageType<object> };

function checkSingle(field: SingleField, value: unknown, path: string): void {
  switch (field.kind) {
    case 'scalar':
      return checkScalar(field.T, value, path);
    case 'enum':
      return checkEnum(field.T(), value, path);
    case 'message':
      if (!isObject(value)) {
        if (field.T().typeName.startsWith('google.protobuf.')) return;
        throw invalidArgument(path, `${path} must be a JSON object`);
      }
      return checkMessage(field.T(), value, `${path}.`);
  }
}

const INT32_TYPES = new Set([ScalarType.INT32, ScalarType.SINT32, ScalarType.SFIXED32]);
const UINT32_TYPES = new Set([ScalarType.UINT32, ScalarType.FIXED32]);
const INT64_TYPES = new Set([ScalarType.INT64, ScalarType.SINT64, ScalarType.SFIXED64, ScalarType.UINT64, ScalarType.FIXED64]);

function checkScalar(type: ScalarType, value: unknown, path: string): void {
  if (type === ScalarType.STRING || type === ScalarType.BYTES) {
    if (typeof value !== 'string') throw invalidArgument(path, `${path} must be a string, got ${describe(value)}`);
    return;
  }
  if (type === ScalarType.BOOL) {
    if (typeof value !== 'boolean') throw invalidArgument(path, `${path} must be true or false, got ${describe(value)}`);
    return;
  }
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number)) {
    throw invalidArgument(path, `${path} must be a number, got ${describe(value)}`);
  }
  if (INT32_TYPES.has(type)) checkInteger(number, -2147483648, 2147483647, path, value);
  else if (UINT32_TYPES.has(type)) checkInteger(number, 0, 4294967295, path, value);
  else if (INT64_TYPES.has(type)) checkInteger(number, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, path, value);
}

function checkInteger(number: number, min: number, max: number, path: string, original: unknown): void {
  if (!Number.isInteger(number) || number < min || number > max) {
    throw invalidArgument(path, `${path} must be a whole number between ${min} and ${max}, got ${describe(original)}`);
  }
}

function checkEnum(info: EnumInfo, value: unknown, path: string): void {
  const [, values, prefix = ''] = info as readonly [string, Record<string, string | number>, string?];
  // protobuf-ts strips a shared prefix from the TypeScript names; JSON carries the full proto name.
  const known = (name: string): boolean => name.startsWith(prefix) && typeof values[name.slice(prefix.length)] === 'number';
  if (typeof value === 'number' && Number.isInteger(value) && values[value] !== undefined) return;
  if (typeof value === 'string' && known(value)) return;
  const names = Object.keys(values)
    .filter((name) => typeof values[name] === 'number' && !name.endsWith('UNSPECIFIED'))
    .map((name) => prefix + name);
  throw invalidArgument(path, `${path} must be one of ${names.join(', ')}; got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
