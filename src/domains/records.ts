// The DNS records a sender domain publishes for Sendarix, derived from the domain and the configuration.
// DKIM is what makes the domain verified; SPF and DMARC are suggestions checked and reported per record.
import type { Config } from '../config';

export type RecordPurpose = 'dkim' | 'spf' | 'dmarc' | 'return_path';

export interface DnsRecord {
  purpose: RecordPurpose;
  type: 'TXT' | 'MX';
  name: string;
  value: string;
  /** Whether the domain needs this record to become verified. */
  required: boolean;
  /** Who publishes it, when not the domain's owner, and why it matters. */
  note?: string;
}

export interface DomainKeyInfo {
  name: string;
  dkimSelector: string;
  dkimPublicKey: string;
}

type RecordConfig = Pick<Config, 'SENDARIX_HOSTNAME' | 'SENDARIX_SPF_INCLUDE' | 'SENDARIX_DMARC_RUA'>;
/** Preference of the suggested MX for the bounce host; any value works when it is the only MX. */
const BOUNCE_MX_PREFERENCE = 10;

export const dkimRecordName = (d: Pick<DomainKeyInfo, 'name' | 'dkimSelector'>): string =>
  `${d.dkimSelector}._domainkey.${d.name}`;
export const dmarcRecordName = (domain: string): string => `_dmarc.${domain}`;
export const dkimRecordValue = (publicKey: string): string => `v=DKIM1; k=rsa; p=${publicKey}`;

/** The SPF mechanism that authorises Sendarix's servers: `include:<SENDARIX_SPF_INCLUDE>` or `a:<hostname>`. */
export function spfMechanism(config: RecordConfig): string {
  return config.SENDARIX_SPF_INCLUDE ? `include:${config.SENDARIX_SPF_INCLUDE}` : `a:${config.SENDARIX_HOSTNAME}`;
}

export function domainRecords(domain: DomainKeyInfo, config: RecordConfig): DnsRecord[] {
  const rua = config.SENDARIX_DMARC_RUA ? `; rua=mailto:${config.SENDARIX_DMARC_RUA}` : '';
  const bounceHost = config.SENDARIX_HOSTNAME;
  return [
    {
      purpose: 'dkim',
      type: 'TXT',
      name: dkimRecordName(domain),
      value: dkimRecordValue(domain.dkimPublicKey),
      required: true,
    },
    {
      purpose: 'spf',
      type: 'TXT',
      name: domain.name,
      value: `v=spf1 ${spfMechanism(config)} ~all`,
      required: false,
      note: 'merge the mechanism into an existing SPF record: a domain may have only one',
    },
    {
      purpose: 'dmarc',
      type: 'TXT',
      name: dmarcRecordName(domain.name),
      value: `v=DMARC1; p=none${rua}`,
      required: false,
    },
    {
      purpose: 'return_path',
      type: 'MX',
      name: bounceHost,
      value: `${BOUNCE_MX_PREFERENCE} ${bounceHost}`,
      required: false,
      note: `published once by the operator of ${bounceHost}: the Return-Path is bounces+<message id>@${bounceHost}, ` +
        'so bounces come back there and DMARC alignment rests on the DKIM signature',
    },
  ];
}
