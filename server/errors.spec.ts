import { TwirpError, TwirpErrorCode } from 'twirp-ts';
import { invalidArgument, toPublicError } from './errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('toPublicError', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server shutting down (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['a statement timeout (57014)', withCode('canceling statement due to statement timeout', '57014')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a full pool', new Error('timeout exceeded when trying to connect')],
  ])('%s is unavailable, without its text', (_what, error) => {
    const { twirp, unexpected } = toPublicError(error);
    expect({ code: twirp.code, msg: twirp.msg, unexpected }).toEqual({
      code: TwirpErrorCode.Unavailable,
      msg: 'the service is temporarily unavailable; retry shortly',
      unexpected: true,
    });
  });

  it('anything else is a generic internal error; its text stays out', () => {
    for (const e of [new TypeError('x is undefined'), withCode('duplicate key value violates unique constraint "p"', '23505'), 'a string', null]) {
      const { twirp, unexpected } = toPublicError(e);
      expect({ code: twirp.code, msg: twirp.msg, unexpected }).toEqual({ code: TwirpErrorCode.Internal, msg: 'internal error', unexpected: true });
    }
  });

  it('keeps a domain error’s message and meta, and drops cause from a framework error', () => {
    expect(JSON.parse(toPublicError(invalidArgument('name', 'name is required')).twirp.toJSON() as string)).toEqual({
      code: 'invalid_argument',
      msg: 'name is required',
      meta: { argument: 'name' },
    });
    const framework = new TwirpError(TwirpErrorCode.Malformed, 'bad json').withMeta('cause', 'SyntaxError at 12');
    expect(JSON.parse(toPublicError(framework).twirp.toJSON() as string)).toEqual({ code: 'malformed', msg: 'bad json', meta: {} });
  });
});
