// Reads the body of a one-click POST: form-urlencoded (what RFC 8058 senders use) or multipart/form-data, with a
// small bound. The runtime's own form parser (the WHATWG Response.formData) does the decoding.
import type { Context } from 'koa';
import { ApiError } from '../errors';

/** A one-click body is a few dozen bytes; anything much larger is not one. */
export const MAX_FORM_BYTES = 16 * 1024;
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

export async function readForm(ctx: Context, limitBytes = MAX_FORM_BYTES): Promise<FormData> {
  // Without a type the body is read as the urlencoded form it nearly always is.
  const type = ctx.get('content-type') || 'application/x-www-form-urlencoded';
  if (!FORM_TYPES.test(type)) {
    const message = 'send the form as application/x-www-form-urlencoded or multipart/form-data';
    throw new ApiError('unsupported_media_type', message);
  }
  if (Number(ctx.get('content-length') || 0) > limitBytes) throw tooLarge(limitBytes);
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
  try {
    return await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new ApiError('malformed_request', 'the form body could not be read');
  }
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError('payload_too_large', `form body exceeds ${limitBytes / 1024} KB`);
}
