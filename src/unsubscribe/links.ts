// The List-Unsubscribe links of a message: made when the message is accepted (its id is known then and the API
// holds the secret), stored with its content, and written as headers when the message is composed.
import type { Config } from '../config';
import type { ListUnsubscribe } from '../mail/content';
import type { PreparedMessage } from '../services/message-request';
import { signUnsubscribeToken } from './token';

export type UnsubscribeConfig = Pick<
  Config,
  'HOST' | 'PORT' | 'SENDARIX_PUBLIC_URL' | 'SENDARIX_UNSUBSCRIBE_SECRET' | 'SENDARIX_UNSUBSCRIBE_MAILTO'
>;

/** The value RFC 8058 requires in List-Unsubscribe-Post, and in the body of the one-click POST. */
export const ONE_CLICK = 'List-Unsubscribe=One-Click';
export const UNSUBSCRIBE_PATH = '/unsubscribe';

/** Where people and mailbox providers reach this server: SENDARIX_PUBLIC_URL, else `http://HOST:PORT`. */
export function publicBaseUrl(config: Pick<Config, 'HOST' | 'PORT' | 'SENDARIX_PUBLIC_URL'>): string {
  if (config.SENDARIX_PUBLIC_URL) return config.SENDARIX_PUBLIC_URL.replace(/\/+$/, '');
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}

/** The links for one message, or undefined when no signing secret is configured. */
export function unsubscribeLinks(messageId: string, config: UnsubscribeConfig): ListUnsubscribe | undefined {
  const secret = config.SENDARIX_UNSUBSCRIBE_SECRET;
  if (!secret) return undefined;
  const token = signUnsubscribeToken(messageId, secret);
  const url = `${publicBaseUrl(config)}${UNSUBSCRIBE_PATH}/${token}`;
  const mailbox = config.SENDARIX_UNSUBSCRIBE_MAILTO;
  const mailto = mailbox ? `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${token}`)}` : undefined;
  return { url, ...(mailto ? { mailto } : {}) };
}

/**
 * The prepared message with its links in the content when it wants them. Without a secret the message still goes
 * out, without the headers, and the answer carries an `unsubscribe_unavailable` warning.
 */
export function withListUnsubscribe(
  prepared: PreparedMessage,
  messageId: string,
  config: UnsubscribeConfig,
): PreparedMessage {
  if (!prepared.listUnsubscribe) return prepared;
  const links = unsubscribeLinks(messageId, config);
  if (!links) {
    const warning = {
      code: 'unsubscribe_unavailable',
      message: 'one-click unsubscribe is not configured on this server (SENDARIX_UNSUBSCRIBE_SECRET); sent without it',
    };
    return { ...prepared, warnings: [...prepared.warnings, warning] };
  }
  return { ...prepared, content: { ...prepared.content, listUnsubscribe: links } };
}

/** The two RFC 8058 headers for stored links (none without links). */
export function listUnsubscribeHeaders(links: ListUnsubscribe | undefined): Record<string, string> {
  if (!links) return {};
  const targets = [links.url, ...(links.mailto ? [links.mailto] : [])].map((t) => `<${t}>`);
  return { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': ONE_CLICK };
}
