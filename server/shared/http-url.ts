/** Longest URL accepted for callbacks and webhooks. */
export const MAX_URL_LENGTH = 2048;

/**
 * What is wrong with a callback or webhook URL, or undefined when nothing is: it must be an
 * absolute `http`/`https` URL with a host, carry no credentials, and fit in MAX_URL_LENGTH.
 */
export function httpUrlProblem(value: string): string | undefined {
  if (value.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters; got ${value.length}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an absolute http or https URL; got "${value}"`;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return `must be an http or https URL with a host; got "${value}"`;
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (user:password@)';
  return undefined;
}
