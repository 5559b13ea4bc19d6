import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * The process logger: JSON lines, or human-readable lines when standard output is a terminal.
 * Request handlers log through a child carrying the request id (`req_id`).
 */
export function createLogger(level: string, stream: NodeJS.WritableStream = process.stdout): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['apiKey', 'api_key', 'authorization', '*.authorization'], censor: '[redacted]' },
  };
  const isTty = (stream as NodeJS.WriteStream).isTTY === true;
  if (isTty) {
    return pino(options, pretty({ destination: stream, colorize: true, translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return pino(options, stream);
}
