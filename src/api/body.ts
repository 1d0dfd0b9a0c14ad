// Reads a JSON request body with a size bound. Malformed JSON is a 400; an oversized body a 413.
import type { Context } from 'koa';
import { ApiError } from '../errors';

/** Largest request body accepted: the 50 MB payload limit plus room for base64 and JSON framing. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;
/** How long the rest of an oversized body is read and dropped, so that the client can read the 413. */
const OVERSIZED_DRAIN_MS = 2_000;

export async function readJsonBody(ctx: Context, limitBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = ctx.request.type;
  if (type && type !== 'application/json') {
    throw new ApiError('unsupported_media_type', `content type must be application/json, not ${type}`);
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) throw tooLarge(limitBytes);

  const text = (await readLimited(ctx, limitBytes)).toString('utf8');
  if (text.trim() === '') throw new ApiError('malformed_request', 'request body is empty; a JSON object is required');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError('malformed_request', `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError('malformed_request', 'request body must be a JSON object');
  }
  return value;
}

/**
 * The body, up to `limitBytes`. Past the bound the rest is read and dropped for a moment and the connection closes
 * after the 413: destroying the request at once would reset the connection under a client still sending, and the
 * client would never see the answer.
 */
function readLimited(ctx: Context, limitBytes: number): Promise<Buffer> {
  const req = ctx.req;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total <= limitBytes) return void chunks.push(chunk);
      req.removeListener('data', onData);
      chunks.length = 0;
      ctx.set('Connection', 'close');
      const timer = setTimeout(() => req.destroy(), OVERSIZED_DRAIN_MS);
      req.once('end', () => clearTimeout(timer));
      req.resume();
      reject(tooLarge(limitBytes));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', () => reject(new ApiError('malformed_request', 'the request body could not be read')));
    req.once('close', () => reject(new ApiError('malformed_request', 'the request body ended early')));
  });
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError('payload_too_large', `request body exceeds ${Math.round(limitBytes / 1024 / 1024)} MB`);
}
