import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from './signature';

const at = new Date('2027-01-04T15:00:00Z');
const body = '{"event_id":"e1","type":"message.succeeded","state":{"a":[1,"é"]}}';

describe('signatureHeader', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const t = at.getTime() / 1000;
    const v1 = createHmac('sha256', 'whsec_1').update(`${t}.${body}`).digest('hex');
    expect(signatureHeader('whsec_1', body, at)).toBe(`t=${t},v1=${v1}`);
  });
});

describe('verifySignature', () => {
  const header = signatureHeader('whsec_1', body, at);
  it.each([
    ['the same secret, body and time', 'whsec_1', body, header, at, true],
    ['another secret', 'whsec_2', body, header, at, false],
    ['a body changed by one character', 'whsec_1', body.replace('é', 'e'), header, at, false],
    ['a signature 301 s old', 'whsec_1', body, header, new Date(at.getTime() + 301_000), false],
    ['a signature 300 s old', 'whsec_1', body, header, new Date(at.getTime() + 300_000), true],
    ['no v1', 'whsec_1', body, header.split(',')[0]!, at, false],
    ['garbage', 'whsec_1', body, 'nonsense', at, false],
  ])('%s → %s', (_what, secret, b, h, now, expected) => expect(verifySignature(secret, b, h, now)).toBe(expected));
});
