// Verification of a sender domain by DNS: the DKIM key must be published for the domain to be verified; SPF,
// DMARC and the bounce host's MX are reported per record. A server that does not answer is "error", which
// leaves the domain's status as it was: only a definite answer verifies or fails a domain.
import type { Config } from '../config';
import { dkimRecordName, dmarcRecordName, spfMechanism, type DomainKeyInfo } from './records';
import { lookup, lookupTxt, type DnsLookups, type LookupResult } from './resolver';

export type CheckStatus = 'pass' | 'fail' | 'missing' | 'error';
export type DomainStatus = 'pending' | 'verified' | 'failed';

export interface RecordCheck {
  status: CheckStatus;
  type: 'TXT' | 'MX';
  name: string;
  /** What the name holds now (records of the kind checked). */
  found: string[];
  message: string;
}

export interface DomainChecks {
  checked_at: string;
  dkim: RecordCheck;
  spf: RecordCheck;
  dmarc: RecordCheck;
  return_path: RecordCheck;
}

type CheckConfig = Pick<Config, 'SENDARIX_HOSTNAME' | 'SENDARIX_SPF_INCLUDE'>;

export async function checkDomainRecords(
  dns: DnsLookups,
  domain: DomainKeyInfo,
  config: CheckConfig,
): Promise<DomainChecks> {
  const dkimName = dkimRecordName(domain);
  const dmarcName = dmarcRecordName(domain.name);
  const bounceHost = config.SENDARIX_HOSTNAME;
  const [dkim, spf, dmarc, mx] = await Promise.all([
    lookupTxt(dns, dkimName),
    lookupTxt(dns, domain.name),
    lookupTxt(dns, dmarcName),
    lookup(() => dns.resolveMx(bounceHost)),
  ]);
  return {
    checked_at: new Date().toISOString(),
    dkim: checkDkim(dkimName, dkim, domain.dkimPublicKey),
    spf: checkSpf(domain.name, spf, spfMechanism(config)),
    dmarc: checkDmarc(dmarcName, dmarc),
    return_path: checkBounceMx(bounceHost, mx),
  };
}

/** DKIM decides: pass verifies, a definite miss fails, DNS trouble keeps what the domain had. */
export function statusAfterChecks(checks: DomainChecks, previous: DomainStatus): DomainStatus {
  if (checks.dkim.status === 'pass') return 'verified';
  return checks.dkim.status === 'error' ? previous : 'failed';
}

type RecordType = RecordCheck['type'];
const result = (status: CheckStatus, type: RecordType, name: string, found: string[], message: string): RecordCheck =>
  ({ status, type, name, found, message });

/** The result when there is nothing to judge: DNS did not answer, or none of the relevant records exist. */
function unanswered(type: RecordType, name: string, answer: LookupResult<unknown>, relevant: number, missing: string) {
  if (answer.kind === 'error') {
    return result('error', type, name, [], `DNS lookup failed (${answer.code}); try again later`);
  }
  return relevant === 0 ? result('missing', type, name, [], missing) : undefined;
}

function checkDkim(name: string, answer: LookupResult<string>, publicKey: string): RecordCheck {
  const keys = answer.kind === 'found' ? answer.records.filter((r) => tags(r).has('p')) : [];
  const none = unanswered('TXT', name, answer, keys.length, `no DKIM key record at ${name}`);
  if (none) return none;
  const matches = keys.filter((r) => {
    const t = tags(r);
    return (t.get('p') ?? '').replace(/\s+/g, '') === publicKey && [undefined, 'DKIM1'].includes(t.get('v'))
      && [undefined, 'rsa'].includes(t.get('k'));
  });
  if (matches.length === 1 && keys.length === 1) return result('pass', 'TXT', name, keys, 'DKIM key published');
  if (matches.length > 0) {
    return result('fail', 'TXT', name, keys, `several DKIM records at ${name}: keep only the one given`);
  }
  return result('fail', 'TXT', name, keys, `${name} publishes a different key than this domain's`);
}

function checkSpf(name: string, answer: LookupResult<string>, mechanism: string): RecordCheck {
  const records = answer.kind === 'found' ? answer.records.filter((r) => /^v=spf1(\s|$)/i.test(r)) : [];
  const none = unanswered('TXT', name, answer, records.length, `no SPF record at ${name}`);
  if (none) return none;
  if (records.length > 1) {
    return result('fail', 'TXT', name, records, 'several SPF records: receivers treat that as an error');
  }
  const terms = (records[0] as string).toLowerCase().split(/\s+/).map((t) => t.replace(/^\+/, ''));
  return terms.includes(mechanism.toLowerCase())
    ? result('pass', 'TXT', name, records, `SPF authorises ${mechanism}`)
    : result('fail', 'TXT', name, records, `SPF does not contain ${mechanism}`);
}

function checkDmarc(name: string, answer: LookupResult<string>): RecordCheck {
  const records = answer.kind === 'found' ? answer.records.filter((r) => /^v=DMARC1\s*(;|$)/i.test(r)) : [];
  const none = unanswered('TXT', name, answer, records.length, `no DMARC record at ${name}`);
  if (none) return none;
  if (records.length > 1) {
    return result('fail', 'TXT', name, records, 'several DMARC records: receivers ignore them all');
  }
  const policy = tags(records[0] as string).get('p');
  return policy
    ? result('pass', 'TXT', name, records, `DMARC policy p=${policy}`)
    : result('fail', 'TXT', name, records, 'DMARC record has no p= policy');
}

function checkBounceMx(host: string, answer: LookupResult<{ exchange: string; priority: number }>): RecordCheck {
  const found = answer.kind === 'found' ? answer.records.map((r) => `${r.priority} ${r.exchange}`) : [];
  const missing = `no MX for the bounce host ${host}: bounces cannot come back`;
  const none = unanswered('MX', host, answer, found.length, missing);
  return none ?? result('pass', 'MX', host, found, 'the bounce host receives mail');
}

/** The `tag=value; …` list of a DKIM or DMARC record. Tag names are case-sensitive (RFC 6376 3.2). */
function tags(record: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}
