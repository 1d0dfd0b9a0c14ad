// How a sender domain reads over the API: its records to publish and the last checks. Built from the public
// columns only, so the private key cannot reach a response.
import type { Config } from '../../config';
import type { PublicDomain } from '../../domains/domains';
import { domainRecords } from '../../domains/records';

type ViewConfig = Pick<Config, 'SENDARIX_HOSTNAME' | 'SENDARIX_SPF_INCLUDE' | 'SENDARIX_DMARC_RUA'>;

export function domainView(d: PublicDomain, config: ViewConfig) {
  const checks = d.checks as Record<string, unknown> | null;
  return {
    id: d.id,
    name: d.name,
    status: d.status,
    dkim_selector: d.dkimSelector,
    records: domainRecords(d, config),
    checks: checks && Object.keys(checks).length > 0 ? checks : null,
    verified_at: d.verifiedAt?.toISOString() ?? null,
    created_at: d.createdAt.toISOString(),
  };
}
