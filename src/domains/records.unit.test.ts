import { domainRecords, spfMechanism } from './records';

const domain = { name: 'example.com', dkimSelector: 'sx20261204', dkimPublicKey: 'MIIBIjANBgkq' };
const config = {
  SENDARIX_HOSTNAME: 'mail.sendarix.example',
  SENDARIX_SPF_INCLUDE: undefined,
  SENDARIX_DMARC_RUA: undefined,
};

describe('domainRecords', () => {
  it('asks for the DKIM key at <selector>._domainkey.<domain>, required', () => {
    expect(domainRecords(domain, config)[0]).toEqual({
      purpose: 'dkim',
      type: 'TXT',
      name: 'sx20261204._domainkey.example.com',
      value: 'v=DKIM1; k=rsa; p=MIIBIjANBgkq',
      required: true,
    });
  });

  it('suggests SPF with a:<hostname>, DMARC without rua, and the bounce host MX', () => {
    const byPurpose = Object.fromEntries(domainRecords(domain, config).map((r) => [r.purpose, r]));
    expect(byPurpose.spf).toMatchObject({
      type: 'TXT',
      name: 'example.com',
      value: 'v=spf1 a:mail.sendarix.example ~all',
      required: false,
    });
    expect(byPurpose.dmarc).toMatchObject({
      type: 'TXT',
      name: '_dmarc.example.com',
      value: 'v=DMARC1; p=none',
      required: false,
    });
    expect(byPurpose.return_path).toMatchObject({
      type: 'MX',
      name: 'mail.sendarix.example',
      value: '10 mail.sendarix.example',
      required: false,
    });
    expect(byPurpose.return_path?.note).toContain('bounces+<message id>@mail.sendarix.example');
  });

  it('uses SENDARIX_SPF_INCLUDE and SENDARIX_DMARC_RUA when set', () => {
    const configured = {
      ...config,
      SENDARIX_SPF_INCLUDE: 'spf.sendarix.example',
      SENDARIX_DMARC_RUA: 'dmarc@example.com',
    };
    const byPurpose = Object.fromEntries(domainRecords(domain, configured).map((r) => [r.purpose, r]));
    expect(byPurpose.spf?.value).toBe('v=spf1 include:spf.sendarix.example ~all');
    expect(byPurpose.dmarc?.value).toBe('v=DMARC1; p=none; rua=mailto:dmarc@example.com');
    expect(spfMechanism(configured)).toBe('include:spf.sendarix.example');
  });
});
