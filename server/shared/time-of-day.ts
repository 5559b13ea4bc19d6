import { DateTime } from 'luxon';

/**
 * How clients write local times and dates: `HH:MM[:SS]` times of day and `YYYY-MM-DD` calendar
 * dates. Pure; the callers turn an undefined answer into an error naming their own field.
 */

const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The end of a day, which only ends a window. */
export const END_OF_DAY = '24:00:00';

/**
 * `HH:MM[:SS]` → `HH:MM:SS`, or undefined when `value` is not a time of day. `24:00[:00]`
 * (the end of the day) is a time only with `endOfDay`.
 */
export function parseTimeOfDay(value: string, options: { readonly endOfDay: boolean }): string | undefined {
  const match = TIME.exec(value);
  if (match === null) return undefined;
  const [, h, m, s = '00'] = match;
  const normalised = `${h}:${m}:${s}`;
  if (Number(h) <= 23 && Number(m) <= 59 && Number(s) <= 59) return normalised;
  return options.endOfDay && normalised === END_OF_DAY ? normalised : undefined;
}

/** Whether `value` is a date of the calendar written `YYYY-MM-DD` (29 February only in leap years). */
export function isCalendarDate(value: string): boolean {
  return DATE.test(value) && DateTime.fromFormat(value, 'yyyy-MM-dd', { zone: 'UTC' }).isValid;
}
