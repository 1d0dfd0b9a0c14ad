// One-click unsubscribe tokens: the message id and an HMAC-SHA256 of it under a server secret, both base64url,
// joined by a dot. Only the server can make one, so a token names exactly one message and cannot be guessed.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in a generated secret (256 bits). */
const GENERATED_SECRET_BYTES = 32;

function signature(messageId: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(messageId, 'utf8').digest();
}

export function signUnsubscribeToken(messageId: string, secret: string): string {
  const id = Buffer.from(messageId, 'utf8').toString('base64url');
  return `${id}.${signature(messageId, secret).toString('base64url')}`;
}

/** The message id a token names, or undefined for anything this server did not sign (forged, altered, malformed). */
export function verifyUnsubscribeToken(token: string, secret: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 2) return undefined;
  const [idPart = '', sigPart = ''] = parts;
  const messageId = Buffer.from(idPart, 'base64url').toString('utf8');
  const given = Buffer.from(sigPart, 'base64url');
  // Base64url decoding is lenient; accepting only the canonical spelling keeps one token per message.
  if (messageId === '' || Buffer.from(messageId, 'utf8').toString('base64url') !== idPart) return undefined;
  if (given.toString('base64url') !== sigPart) return undefined;
  const expected = signature(messageId, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return messageId;
}

/** A fresh secret for installations that do not configure SENDARIX_UNSUBSCRIBE_SECRET. */
export function generateUnsubscribeSecret(): string {
  return randomBytes(GENERATED_SECRET_BYTES).toString('base64url');
}
