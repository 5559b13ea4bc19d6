/** A protobuf-ts enum object: names to numbers and numbers back to names. */
type ProtoEnum = Record<string | number, string | number>;

/**
 * The domain word for a protobuf enum value: undefined for the zero (`*_UNSPECIFIED`) value, which
 * means "not given"; an unknown number stays visible as its digits so validation can name it.
 */
export function wordOf(protoEnum: ProtoEnum, value: number | undefined): string | undefined {
  if (value === undefined || value === 0) return undefined;
  const name = protoEnum[value];
  return typeof name === 'string' ? name : String(value);
}

/** The protobuf enum value of a domain word (0 for a word the enum does not have). */
export function valueOf<E extends ProtoEnum>(protoEnum: E, word: string): E[keyof E] {
  const value = protoEnum[word];
  return (typeof value === 'number' ? value : 0) as E[keyof E];
}
