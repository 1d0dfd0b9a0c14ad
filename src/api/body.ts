// Reads a JSON request body with a size bound. Malformed JSON is a 400; an oversized body a 413.
import type { Context } from 'koa';
import { ApiError } from '../errors';

/** Largest request body accepted: the 50 MB payload limit plus room for base64 and JSON framing. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

export async function readJsonBody(ctx: Context, limitBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = ctx.request.type;
  if (type && type !== 'application/json') {
    throw new ApiError('unsupported_media_type', `content type must be application/json, not ${type}`);
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) throw tooLarge(limitBytes);

  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limitBytes) {
      ctx.req.destroy();
      throw tooLarge(limitBytes);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
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

function tooLarge(limitBytes: number): ApiError {
  return new ApiError('payload_too_large', `request body exceeds ${Math.round(limitBytes / 1024 / 1024)} MB`);
}
