import type { FieldInfo, IMessageType } from '@protobuf-ts/runtime';
import { invalidArgument } from '../errors';

/**
 * Refuses text holding a NUL character anywhere in a decoded request — in strings, map keys, and
 * the JSON of `google.protobuf.Value` fields. PostgreSQL cannot store NUL in text or jsonb; let
 * through, it would fail the write (and, with batched writes, other requests' writes too).
 */
export function refuseNulCharacters(type: IMessageType<object>, message: object): void {
  const path = findNul(type, message as Record<string, unknown>, '');
  if (path !== undefined) throw invalidArgument(path, `${path} must not contain NUL (\\u0000) characters`);
}

function findNul(type: IMessageType<object>, message: Record<string, unknown>, prefix: string): string | undefined {
  if (type.typeName.startsWith('google.protobuf.')) {
    return hasNul(type.toJson(message as never)) ? prefix.replace(/\.$/, '') : undefined;
  }
  for (const field of type.fields) {
    const found = findInField(field, message[field.localName], `${prefix}${field.name}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function findInField(field: FieldInfo, value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (field.kind === 'map') {
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      if (key.includes('\0')) return path;
      const found = findInSingle(field.V, entry, `${path}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (field.repeat) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i += 1) {
      const found = findInSingle(field, items[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return findInSingle(field, value, path);
}

function findInSingle(field: { kind: string; T?: unknown }, value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (field.kind === 'message' && typeof value === 'object' && value !== null) {
    return findNul((field.T as () => IMessageType<object>)(), value as Record<string, unknown>, `${path}.`);
  }
  return undefined;
}

function hasNul(json: unknown): boolean {
  if (typeof json === 'string') return json.includes('\0');
  if (Array.isArray(json)) return json.some(hasNul);
  if (typeof json === 'object' && json !== null) {
    return Object.entries(json).some(([key, value]) => key.includes('\0') || hasNul(value));
  }
  return false;
}
