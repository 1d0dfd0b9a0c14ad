import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateWebhookSecret, webhookHeaders } from './signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'message.delivered', data: { recipient: 'ü@example.com' } });
  const now = () => Math.floor(Date.now() / 1000);

  it('makes secrets of whsec_ and base64 of 32 random bytes, different each time', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });

  it('signs so that the standardwebhooks package verifies the raw body', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders(secret, 'whd_1', now(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('matches the signature standardwebhooks itself computes', () => {
    const secret = generateWebhookSecret();
    const ts = now();
    expect(webhookHeaders(secret, 'whd_2', ts, body)['webhook-signature']).toBe(
      new Webhook(secret).sign('whd_2', new Date(ts * 1000), body),
    );
  });

  it('fails verification for a re-serialised body, another id, another secret or a stale timestamp', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders(secret, 'whd_3', now(), body);
    const wh = new Webhook(secret);
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect(() => wh.verify(reserialised, headers)).toThrow(WebhookVerificationError);
    expect(() => wh.verify(body, { ...headers, 'webhook-id': 'whd_4' })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    const stale = webhookHeaders(secret, 'whd_3', now() - 600, body);
    expect(() => wh.verify(body, stale)).toThrow(WebhookVerificationError);
  });
});
