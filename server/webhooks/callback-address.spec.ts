import { addressProblem, literalAddress } from './callback-address';

describe('addressProblem', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address (cloud metadata lives there)'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['0.0.0.0', 'an unspecified address'],
    ['224.0.0.1', 'a multicast or reserved address'],
    ['255.255.255.255', 'a multicast or reserved address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:169.254.169.254', 'a link-local address (cloud metadata lives there)'],
    ['fd00:ec2::254', 'a private (unique local) address'],
    ['fc00::1', 'a private (unique local) address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['ff02::1', 'a multicast address'],
  ])('%s is %s', (address, problem) => expect(addressProblem(address)).toBe(problem));

  it.each(['93.184.216.34', '172.15.0.1', '172.32.0.1', '100.128.0.1', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s may be called',
    (address) => expect(addressProblem(address)).toBeUndefined(),
  );

  it('names what is not an address', () => expect(addressProblem('example.com')).toBe('"example.com" is not an IP address'));
});

describe('literalAddress', () => {
  it.each([
    ['http://127.0.0.1:8080/x', '127.0.0.1'],
    ['https://[::1]/x', '::1'],
    ['https://hooks.example.com/x', undefined],
  ])('%s → %s', (url, address) => expect(literalAddress(new URL(url))).toBe(address));
});
