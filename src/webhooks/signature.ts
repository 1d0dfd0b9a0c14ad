// Standard Webhooks signing: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the bytes after `whsec_`.
import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** 32 random bytes: inside the 24–64 byte key length that Standard Webhooks libraries accept. */
const SECRET_BYTES = 32;

/** A fresh endpoint secret, `whsec_` + base64 of random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The `webhook-signature` header value for one attempt; the timestamp is in unix seconds. */
export function signWebhook(secret: string, webhookId: string, timestampS: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${webhookId}.${timestampS}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one attempt. */
export function webhookHeaders(
  secret: string,
  webhookId: string,
  timestampS: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': signWebhook(secret, webhookId, timestampS, body),
  };
}
