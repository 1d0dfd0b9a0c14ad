// The one place where recipient and sender addresses are parsed. The parser refuses rather than guesses whenever
// a careful reader (a mail client, a filter, a person) could see a different mailbox or domain than we would.
import { domainToASCII, domainToUnicode } from 'node:url';

export const ADDRESS_ERROR = {
  INVALID_ADDRESS: 'invalid_address',
  INVALID_LOCAL_PART: 'invalid_local_part',
  INVALID_DOMAIN: 'invalid_domain',
  AMBIGUOUS_ADDRESS: 'ambiguous_address',
  HEADER_INJECTION: 'header_injection',
  CONTROL_CHARACTER: 'control_character',
  ADDRESS_TOO_LONG: 'address_too_long',
} as const;
export type AddressErrorCode = (typeof ADDRESS_ERROR)[keyof typeof ADDRESS_ERROR];

export interface Mailbox {
  name?: string;
  local: string; // NFC-normalised, case kept: local parts are case-sensitive on the wire
  domain: string; // Unicode form, lowercased
  asciiDomain: string; // A-label (punycode) form
  address: string; // local@asciiDomain: what goes in the SMTP envelope
  display: string; // local@domain, for people
  utf8Local: boolean; // the local part is non-ASCII, so delivery needs SMTPUTF8
}
type Failure = { ok: false; code: AddressErrorCode; message: string };
export type ParseMailboxResult = { ok: true; mailbox: Mailbox } | Failure;

const MAX_INPUT_CHARS = 998; // RFC 5322 line limit: nothing longer fits in a header anyway
const MAX_LOCAL_OCTETS = 64;
const MAX_ADDRESS_OCTETS = 254;
const MAX_DOMAIN_OCTETS = 253;
const MAX_LABEL_OCTETS = 63;

const CRLF = /[\r\n]/;
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
// Bidi controls reorder what is displayed, so even a name carrying one can make a reader see another address.
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const INVISIBLE_FORMAT = /\p{Cf}/u;
const NON_ASCII = /[^\p{ASCII}]/u;
const ASCII_ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]$/;
const UNICODE_WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
const ADDR_SPEC_STRUCTURE = /["(),;:<>[\]\\\s]/;
const UNQUOTED_NAME_SPECIALS = /["()<>[\]:;@\\,]/;
const QUOTED_NAME = /^"((?:[^"\\]|\\.)*)"$/;
const ENCODED_WORD = /=\?[^?]*\?[bq]\?/i;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const RAW_DOMAIN_CHAR = /^[A-Za-z0-9.\-\p{L}\p{M}\p{N}]$/u;

const E = ADDRESS_ERROR;
const fail = (code: AddressErrorCode, message: string): Failure => ({ ok: false, code, message });
const octets = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Parses `addr`, `Name <addr>` or `"Quoted, Name" <addr>` into one normalised mailbox; anything else is refused. */
export function parseMailbox(input: string): ParseMailboxResult {
  if (typeof input !== 'string') return fail(E.INVALID_ADDRESS, 'address must be a string');
  if (CRLF.test(input)) return fail(E.HEADER_INJECTION, 'address contains CR or LF');
  if (CONTROL.test(input)) return fail(E.CONTROL_CHARACTER, 'address contains a control character');
  if (BIDI_CONTROL.test(input)) return fail(E.AMBIGUOUS_ADDRESS, 'address contains a bidi control');
  if (input.length > MAX_INPUT_CHARS) return fail(E.ADDRESS_TOO_LONG, 'input is too long');
  const text = input.trim();
  if (text === '') return fail(E.INVALID_ADDRESS, 'address is empty');
  const [opens, closes] = ['<', '>'].map((c) => text.split(c).length - 1) as [number, number];
  if (opens === 0 && closes === 0) return parseAddrSpec(text, undefined);
  if (opens > 1 || closes > 1) return fail(E.AMBIGUOUS_ADDRESS, 'more than one angle-bracketed address');
  const open = text.indexOf('<');
  const close = text.indexOf('>');
  if (open < 0 || close < open) return fail(E.INVALID_ADDRESS, 'unbalanced angle brackets');
  if (close !== text.length - 1) return fail(E.AMBIGUOUS_ADDRESS, 'text after the closing angle bracket');
  const name = parseName(text.slice(0, open).trim());
  if (typeof name !== 'string' && name !== undefined) return name;
  return parseAddrSpec(text.slice(open + 1, close).trim(), name);
}

export interface SuppressionKeyOptions {
  /** Drop a `+tag` subaddress, so that `a+tag@x` and `a@x` are one key (a project setting; off by default). */
  ignoreSubaddress?: boolean;
}

/**
 * The suppression key: case-folded local part and the A-label domain (so Unicode and punycode spellings meet).
 * Subaddresses stay distinct unless `ignoreSubaddress`; a local part that starts with `+` is kept whole.
 */
export function normalizeForSuppression(m: Mailbox, opts: SuppressionKeyOptions = {}): string {
  const local = m.local.toLowerCase();
  const plus = local.indexOf('+');
  return (opts.ignoreSubaddress && plus > 0 ? local.slice(0, plus) : local) + '@' + m.asciiDomain;
}

function parseName(raw: string): string | undefined | Failure {
  if (raw === '') return undefined;
  let name = raw;
  if (raw.startsWith('"')) {
    const quoted = QUOTED_NAME.exec(raw);
    if (!quoted) return fail(E.AMBIGUOUS_ADDRESS, 'quoted name is unterminated or has a stray quote');
    name = (quoted[1] ?? '').replace(/\\(.)/g, '$1');
  } else if (UNQUOTED_NAME_SPECIALS.test(raw)) {
    return fail(E.AMBIGUOUS_ADDRESS, 'display name has special characters; quote it (and leave out @)');
  }
  // A name that holds an address or an encoded word is displayed by clients as if it were the sender or recipient.
  if (name.includes('@')) return fail(E.AMBIGUOUS_ADDRESS, 'display name contains @');
  if (ENCODED_WORD.test(name)) return fail(E.AMBIGUOUS_ADDRESS, 'display name contains an encoded word');
  const trimmed = name.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parseAddrSpec(spec: string, name: string | undefined): ParseMailboxResult {
  if (/^@[^:]*:/.test(spec)) return fail(E.AMBIGUOUS_ADDRESS, 'source routes are not accepted');
  if (spec.includes('"')) return fail(E.AMBIGUOUS_ADDRESS, 'quoted local parts are not accepted');
  if (spec.includes('[')) return fail(E.INVALID_DOMAIN, 'domain literals are not accepted');
  if (ADDR_SPEC_STRUCTURE.test(spec)) return fail(E.AMBIGUOUS_ADDRESS, 'comments, several addresses or spaces');
  if (INVISIBLE_FORMAT.test(spec)) return fail(E.AMBIGUOUS_ADDRESS, 'address contains an invisible character');
  const parts = spec.split('@');
  if (parts.length > 2) return fail(E.AMBIGUOUS_ADDRESS, 'more than one @');
  const [rawLocal = '', rawDomain = ''] = parts;
  if (!rawLocal || !rawDomain) return fail(E.INVALID_ADDRESS, 'address needs a local part, @ and a domain');
  // Canonically equivalent spellings (precomposed or combining accents) must be one mailbox, e.g. for suppressions.
  const local = rawLocal.normalize('NFC');
  if (octets(local) > MAX_LOCAL_OCTETS) return fail(E.ADDRESS_TOO_LONG, 'local part exceeds 64 octets');
  const localError = checkLocal(local);
  if (localError) return localError;
  const domain = normaliseDomain(rawDomain);
  if ('ok' in domain) return domain;
  const address = local + '@' + domain.ascii;
  if (octets(address) > MAX_ADDRESS_OCTETS) return fail(E.ADDRESS_TOO_LONG, 'address exceeds 254 octets');
  const { ascii: asciiDomain, unicode } = domain;
  const display = local + '@' + unicode;
  const mailbox = { ...(name === undefined ? {} : { name }), local, domain: unicode, asciiDomain, address, display };
  return { ok: true, mailbox: { ...mailbox, utf8Local: NON_ASCII.test(local) } };
}

function checkLocal(local: string): Failure | undefined {
  for (const atom of local.split('.')) {
    if (atom === '') return fail(E.INVALID_LOCAL_PART, 'local part has an empty dot-separated atom');
    for (const ch of atom) {
      if (!ASCII_ATEXT.test(ch) && !(NON_ASCII.test(ch) && UNICODE_WORD_CHAR.test(ch))) {
        return fail(E.INVALID_LOCAL_PART, `local part contains ${JSON.stringify(ch)}`);
      }
    }
  }
  return undefined;
}

function normaliseDomain(raw: string): { ascii: string; unicode: string } | Failure {
  // Checked before conversion: the URL host parser would otherwise percent-decode, map dot look-alikes or read IPv4.
  const bad = [...raw].find((ch) => !RAW_DOMAIN_CHAR.test(ch));
  if (bad !== undefined) return fail(E.INVALID_DOMAIN, `domain contains ${JSON.stringify(bad)}`);
  const ascii = domainToASCII(raw).toLowerCase();
  if (ascii === '') return fail(E.INVALID_DOMAIN, 'domain is not a valid (internationalised) name');
  const unicode = domainToUnicode(ascii).toLowerCase();
  if (unicode === '' || domainToASCII(unicode) !== ascii) return fail(E.INVALID_DOMAIN, 'invalid punycode');
  if (ascii.length > MAX_DOMAIN_OCTETS) return fail(E.ADDRESS_TOO_LONG, 'domain exceeds 253 octets');
  const labels = ascii.split('.');
  if (labels.length < 2) return fail(E.INVALID_DOMAIN, 'domain needs at least one dot');
  for (const label of labels) {
    if (label.length > MAX_LABEL_OCTETS) return fail(E.ADDRESS_TOO_LONG, 'domain label exceeds 63 octets');
    if (!LDH_LABEL.test(label)) return fail(E.INVALID_DOMAIN, `invalid domain label ${JSON.stringify(label)}`);
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return fail(E.INVALID_DOMAIN, 'numeric top label');
  return { ascii, unicode };
}
