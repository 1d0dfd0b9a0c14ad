// A sender domain's name as Sendarix stores it: lowercase A-labels, checked by the same parser as addresses,
// so that a `from` domain and a stored domain compare equal exactly when they are the same name.
import { parseMailbox } from '../mail/address';

export type DomainNameResult =
  | { ok: true; ascii: string; unicode: string }
  | { ok: false; code: string; message: string };

const NOT_A_NAME = /[@\s<>"]/;

export function normalizeDomainName(input: string): DomainNameResult {
  const text = input.trim().replace(/\.$/, '');
  if (text === '' || NOT_A_NAME.test(text)) {
    return { ok: false, code: 'invalid_domain', message: 'name must be a domain name such as example.com' };
  }
  const parsed = parseMailbox(`postmaster@${text}`);
  if (!parsed.ok) return { ok: false, code: parsed.code, message: `name: ${parsed.message}` };
  return { ok: true, ascii: parsed.mailbox.asciiDomain, unicode: parsed.mailbox.domain };
}
