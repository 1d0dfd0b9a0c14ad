// What a webhook URL may look like, checked when an endpoint is created or changed. A host name is only
// resolved at send time (src/webhooks/http-post.ts), where the address actually connected to is vetted again.
import net from 'node:net';
import { classifyAddress, isPermitted, type AddressClass } from './address-policy';

export const MAX_WEBHOOK_URL_CHARS = 2048;

export type UrlCheck =
  | { ok: true; url: string }
  | { ok: false; forbiddenAddress: false; code: string; message: string }
  | { ok: false; forbiddenAddress: true; code: 'forbidden_address'; message: string; addressClass: AddressClass };

/** Checks a webhook URL: http(s) only, no credentials, and a literal IP host must be an allowed address. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): UrlCheck {
  const bad = (code: string, message: string): UrlCheck => ({ ok: false, forbiddenAddress: false, code, message });
  if (raw.length > MAX_WEBHOOK_URL_CHARS) {
    return bad('too_long', `url must be at most ${MAX_WEBHOOK_URL_CHARS} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return bad('invalid_url', 'url is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return bad('unsupported_scheme', `url must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) return bad('credentials_in_url', 'url must not carry a user name or password');
  const host = hostOf(url);
  if (!host) return bad('invalid_url', 'url has no host');
  if (net.isIP(host)) {
    const addressClass = classifyAddress(host);
    if (!isPermitted(addressClass, allowPrivate)) {
      return {
        ok: false,
        forbiddenAddress: true,
        code: 'forbidden_address',
        addressClass,
        message: `url points at ${host}, a ${kindName(addressClass)} address; webhooks go to public addresses only` +
          (allowPrivate ? '' : ' (for local testing, start Sendarix with SENDARIX_WEBHOOK_ALLOW_PRIVATE=true)'),
      };
    }
  }
  return { ok: true, url: url.toString() };
}

/** How an address class reads in a message: `link-local`, `loopback`. */
export function kindName(kind: AddressClass): string {
  return kind.replace('_', '-');
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}
