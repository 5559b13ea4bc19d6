import type { IncomingMessage } from 'node:http';
import { TwirpError, TwirpErrorCode } from 'twirp-ts';

/**
 * Reads a request body of at most `maxBytes`. A declared `Content-Length` over the cap is refused
 * before a byte is read; a body that grows past it is refused as soon as it does, so an oversized
 * upload never sits in memory whole.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (): void => {
      cleanup();
      reject(new TwirpError(TwirpErrorCode.Malformed, 'the request body could not be read'));
    };
    const onClose = (): void => {
      if (req.complete) return;
      cleanup();
      reject(new TwirpError(TwirpErrorCode.Canceled, 'the client closed the request before its body arrived'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Refusals that end the connection, because the rest of the body was not read. */
export function isBodyTooLarge(e: unknown): boolean {
  return e instanceof TwirpError && e.meta.limit_bytes !== undefined;
}

function tooLarge(maxBytes: number): TwirpError {
  return new TwirpError(
    TwirpErrorCode.Malformed,
    `the request body is larger than the limit of ${maxBytes} bytes`,
  ).withMeta('limit_bytes', String(maxBytes));
}
