// Direct delivery to the recipient domain's mail exchangers: MX records in preference order (the domain's
// own A/AAAA when it has none, RFC 5321 §5.1), trying the next host when one cannot be reached or
// refuses the session before the message is offered.
import type { Resolver } from 'node:dns/promises';
import type { SmtpResult } from '../workflows/definitions';

export type MxLookups = Pick<Resolver, 'resolveMx' | 'resolve4' | 'resolve6'>;

export type MxHosts =
  | { kind: 'hosts'; hosts: string[] }
  /** RFC 7505: the domain says it accepts no mail. */
  | { kind: 'null_mx' }
  | { kind: 'none' }
  | { kind: 'dns_error'; code: string };

const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);
/** Stages at which a failure says nothing about the message, so the next exchanger may do better. */
const SESSION_STAGES = /^(CONN|EHLO|HELO|STARTTLS|GREETING)/;

async function records<T>(query: () => Promise<T[]>): Promise<{ ok: true; records: T[] } | { ok: false; code: string }> {
  try {
    return { ok: true, records: await query() };
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? 'EUNKNOWN');
    return NO_RECORD.has(code) ? { ok: true, records: [] } : { ok: false, code };
  }
}

export async function resolveMxHosts(dns: MxLookups, asciiDomain: string): Promise<MxHosts> {
  const mx = await records(() => dns.resolveMx(asciiDomain));
  if (!mx.ok) return { kind: 'dns_error', code: mx.code };
  if (mx.records.length === 1 && mx.records[0]?.exchange === '') return { kind: 'null_mx' };
  if (mx.records.length > 0) {
    const sorted = [...mx.records].sort((a, b) => a.priority - b.priority);
    return { kind: 'hosts', hosts: [...new Set(sorted.map((r) => r.exchange.toLowerCase()))] };
  }
  const [a, aaaa] = await Promise.all([records(() => dns.resolve4(asciiDomain)), records(() => dns.resolve6(asciiDomain))]);
  if (!a.ok && !aaaa.ok) return { kind: 'dns_error', code: a.code };
  const hasAddress = (a.ok && a.records.length > 0) || (aaaa.ok && aaaa.records.length > 0);
  return hasAddress ? { kind: 'hosts', hosts: [asciiDomain] } : { kind: 'none' };
}

/** Whether a failed attempt at one exchanger should move on to the next one. */
export function tryNextHost(result: SmtpResult): boolean {
  if (result.kind === 'delivered') return false;
  const stage = result.stage ?? 'CONN';
  return SESSION_STAGES.test(stage) && (result.kind === 'temporary' || result.responseCode === undefined);
}

/**
 * Sends through each target (an exchanger's address) in turn until one gives an answer about the message
 * itself. The result of the last target tried is returned.
 */
export async function deliverViaMx<T>(targets: T[], send: (target: T) => Promise<SmtpResult>): Promise<SmtpResult> {
  let last: SmtpResult = { kind: 'temporary', reason: 'no_mx_host' };
  for (const target of targets) {
    last = await send(target);
    if (!tryNextHost(last)) return last;
  }
  return last;
}

/** What to answer when there is no host to try at all. */
export function noHostResult(hosts: Exclude<MxHosts, { kind: 'hosts' }>): SmtpResult {
  if (hosts.kind === 'null_mx') return { kind: 'permanent', reason: 'null_mx', enhancedStatus: '5.1.10' };
  if (hosts.kind === 'none') return { kind: 'permanent', reason: 'no_mail_host', enhancedStatus: '5.1.2' };
  return { kind: 'temporary', reason: 'dns_error', response: hosts.code };
}
