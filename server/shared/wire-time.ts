/** A time as the wire carries it: RFC 3339 in UTC, or the empty string for "none". */
export function wireTime(at: Date | null | undefined): string {
  return at === null || at === undefined ? '' : at.toISOString();
}
