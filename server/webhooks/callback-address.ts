import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Which addresses a callback may reach. Private, loopback, link-local (cloud metadata lives there,
 * 169.254.169.254 and fd00:ec2::254), unspecified, shared (CGNAT), multicast and broadcast addresses
 * are refused unless private callbacks are allowed (development). A host name is judged by every
 * address it resolves to when the delivery is made, and the delivery connects to the address that
 * was judged, so a name cannot be re-pointed between the check and the connection.
 */

/** Why an IP address may not be called back, or undefined when it may. */
export function addressProblem(address: string): string | undefined {
  const version = isIP(address);
  if (version === 4) return ipv4Problem(address);
  if (version === 6) return ipv6Problem(address);
  return `"${address}" is not an IP address`;
}

function ipv4Problem(address: string): string | undefined {
  const [a = 0, b = 0] = address.split('.').map(Number);
  if (a === 127) return 'a loopback address';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private address';
  if (a === 169 && b === 254) return 'a link-local address (cloud metadata lives there)';
  if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT) address';
  if (a === 0) return 'an unspecified address';
  if (a >= 224) return 'a multicast or reserved address';
  return undefined;
}

function ipv6Problem(address: string): string | undefined {
  const groups = expandIpv6(address);
  if (groups === undefined) return `"${address}" is not an IP address`;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return ipv4Problem(`${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`);
  }
  const first = groups[0] ?? 0;
  if (groups.every((g) => g === 0)) return 'an unspecified address';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'a loopback address';
  if ((first & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((first & 0xff00) === 0xff00) return 'a multicast address';
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail), or undefined. */
function expandIpv6(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null && v4[1] !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string | undefined) => (s === undefined || s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff) ? undefined : groups;
}

/** The host of a URL as an address when it is a literal one (brackets removed), else undefined. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) === 0 ? undefined : host;
}

/**
 * Why a callback URL given in a request may not be kept, or undefined: its host is a literal
 * address that is refused (unless private callbacks are allowed). A host name is not judged here
 * — it may not resolve yet — but at each delivery.
 */
export function literalCallbackProblem(url: string, allowPrivate: boolean): string | undefined {
  if (allowPrivate) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const address = literalAddress(parsed);
  const problem = address === undefined ? undefined : addressProblem(address);
  return problem === undefined ? undefined : `must not point at ${problem} (${address}); private callback addresses are refused here`;
}

/** A callback URL may not be called: the reason names the address. */
export class CallbackAddressError extends Error {
  override readonly name = 'CallbackAddressError';
}

/**
 * The address a delivery to `url` connects to: its literal address, or the first its host name
 * resolves to. Throws CallbackAddressError when any of the addresses is refused (unless
 * `allowPrivate`) or the name does not resolve.
 */
export async function resolveCallbackAddress(url: URL, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const literal = literalAddress(url);
  let addresses: { address: string; family: number }[];
  if (literal !== undefined) addresses = [{ address: literal, family: isIP(literal) }];
  else {
    try {
      addresses = await lookup(url.hostname, { all: true, verbatim: true });
    } catch (e: unknown) {
      throw new CallbackAddressError(`${url.hostname} does not resolve (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const first = addresses[0];
  if (first === undefined) throw new CallbackAddressError(`${url.hostname} resolves to no address`);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const problem = addressProblem(address);
      if (problem !== undefined) throw new CallbackAddressError(`${url.hostname} resolves to ${address}, ${problem}`);
    }
  }
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
