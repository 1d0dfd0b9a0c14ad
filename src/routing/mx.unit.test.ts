import type { SmtpResult } from '../workflows/definitions';
import { deliverViaMx, noHostResult, resolveMxHosts, tryNextHost, type MxLookups } from './mx';

const dnsError = (code: string) => Object.assign(new Error(code), { code });

function lookups(table: { mx?: { exchange: string; priority: number }[] | string; a?: string[] | string; aaaa?: string[] | string }): MxLookups {
  const answer = <T>(v: T[] | string | undefined) => async (): Promise<T[]> => {
    if (typeof v === 'string') throw dnsError(v);
    if (v === undefined) throw dnsError('ENODATA');
    return v;
  };
  return { resolveMx: answer(table.mx), resolve4: answer(table.a), resolve6: answer(table.aaaa) } as unknown as MxLookups;
}

describe('resolveMxHosts', () => {
  it.each([
    ['orders MX hosts by preference', { mx: [{ exchange: 'b.mx', priority: 20 }, { exchange: 'A.mx', priority: 10 }] }, { kind: 'hosts', hosts: ['a.mx', 'b.mx'] }],
    ['falls back to the domain itself when it has an A record', { a: ['192.0.2.1'] }, { kind: 'hosts', hosts: ['example.com'] }],
    ['falls back to the domain itself when it has only AAAA', { aaaa: ['2001:db8::1'] }, { kind: 'hosts', hosts: ['example.com'] }],
    ['reports a null MX', { mx: [{ exchange: '', priority: 0 }] }, { kind: 'null_mx' }],
    ['reports a domain with no mail host', { mx: 'ENOTFOUND', a: 'ENOTFOUND', aaaa: 'ENOTFOUND' }, { kind: 'none' }],
    ['reports DNS trouble', { mx: 'ETIMEOUT' }, { kind: 'dns_error', code: 'ETIMEOUT' }],
  ])('%s', async (_name, table, expected) => {
    expect(await resolveMxHosts(lookups(table), 'example.com')).toEqual(expected);
  });
});

describe('deliverViaMx', () => {
  const refused: SmtpResult = { kind: 'temporary', reason: 'connection_failed', stage: 'CONN' };
  const greylist: SmtpResult = { kind: 'temporary', reason: 'greylisted', stage: 'RCPT TO', responseCode: 451 };
  const busy: SmtpResult = { kind: 'temporary', reason: 'service_unavailable', stage: 'CONN', responseCode: 421 };
  const ok: SmtpResult = { kind: 'delivered', reason: 'accepted', stage: 'DATA', responseCode: 250 };
  const unknownUser: SmtpResult = { kind: 'permanent', reason: 'mailbox_unavailable', stage: 'RCPT TO', responseCode: 550 };

  it.each([
    ['moves on after a refused connection', [refused, ok], 2, 'delivered'],
    ['moves on after a 421 at connect', [busy, ok], 2, 'delivered'],
    ['stops at a greylisting answer about the message', [greylist, ok], 1, 'temporary'],
    ['stops at a permanent refusal of the recipient', [unknownUser, ok], 1, 'permanent'],
    ['returns the last failure when every host fails', [refused, refused], 2, 'temporary'],
  ])('%s', async (_name, answers, tried, kind) => {
    const calls: string[] = [];
    const result = await deliverViaMx(['mx1', 'mx2'], async (host) => {
      calls.push(host);
      return answers[calls.length - 1] as SmtpResult;
    });
    expect(calls).toHaveLength(tried);
    expect(result.kind).toBe(kind);
  });

  it('never moves on after delivery', () => {
    expect(tryNextHost(ok)).toBe(false);
  });

  it('fails a null MX or a domain without mail host permanently, and DNS trouble temporarily', () => {
    expect(noHostResult({ kind: 'null_mx' }).kind).toBe('permanent');
    expect(noHostResult({ kind: 'none' }).kind).toBe('permanent');
    expect(noHostResult({ kind: 'dns_error', code: 'ESERVFAIL' }).kind).toBe('temporary');
  });
});
