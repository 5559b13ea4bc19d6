import parsePhoneNumberFromString from 'libphonenumber-js/max';

const LOOKS_LIKE_PHONE = /^[0-9+\-(). ]*[0-9][0-9+\-(). ]*$/;

/** Whether a string is meant as a phone number (digits and the usual punctuation only). */
export function looksLikePhoneNumber(value: string): boolean {
  return LOOKS_LIKE_PHONE.test(value);
}

/**
 * A phone number in E.164, or undefined when it is not a valid one. The `+` is optional:
 * `918123002929` means `+918123002929`, as the established API treats it.
 */
export function toE164(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 40 || !looksLikePhoneNumber(trimmed)) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed.startsWith('+') ? trimmed : `+${trimmed.replace(/\D/g, '')}`);
  return parsed?.isValid() ? parsed.number : undefined;
}
