// One DATA of the relay: each envelope recipient becomes a message of the pipeline (acceptMessage), with the
// original MIME kept as its content. Recipients are taken in order; if one fails for want of a dependency the
// whole DATA is answered 451, and the client's retry finds the earlier recipients under their idempotency keys.
import { simpleParser } from 'mailparser';
import { fieldErrors, sendMessageSchema } from '../api/schemas';
import { validationError } from '../errors';
import type { StoredAttachment } from '../mail/content';
import { acceptMessage, type AcceptDeps } from '../services/accept-message';
import type { RelayUser } from './auth';
import { relayIdempotencyKey, relayRequest } from './request';

/** The bodies as the client wrote them: nothing generated from one for the other. */
const PARSE_OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
} as const;

export interface RelayEnvelope {
  /** MAIL FROM, empty for the null sender. */
  mailFrom: string;
  rcptTo: string[];
}

/** Accepts the message for every recipient and answers the message ids, in recipient order. */
export async function relayMessage(
  deps: AcceptDeps,
  user: RelayUser,
  envelope: RelayEnvelope,
  raw: Buffer,
): Promise<string[]> {
  const parsed = await simpleParser(raw, PARSE_OPTIONS);
  const contentExtras = { raw: raw.toString('base64') };
  const ids: string[] = [];
  for (const recipient of envelope.rcptTo) {
    const request = relayRequest(parsed, recipient, envelope.mailFrom || undefined);
    const shape = sendMessageSchema.safeParse(request);
    if (!shape.success) throw validationError(fieldErrors(shape.error));
    // The raw message holds the attachments; storing their contents a second time would double the row.
    const attachments: StoredAttachment[] = (shape.data.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.content_type,
      content: '',
    }));
    const key = relayIdempotencyKey(parsed, recipient);
    const { response } = await acceptMessage(deps, user.projectId, shape.data, key, user.environment, {
      ...contentExtras,
      attachments,
    });
    ids.push(response.message_id);
  }
  return ids;
}
