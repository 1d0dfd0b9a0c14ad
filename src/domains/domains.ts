// Creating and verifying sender domains. The private key is written once and read only by the signer; a
// failed write is reported without the database's own message, which could quote the row it refused.
import type { Domain } from '../../generated/prisma/client';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { ApiError, DependencyUnavailable } from '../errors';
import { randomId } from '../ids';
import { checkDomainRecords, statusAfterChecks, type DomainChecks, type DomainStatus } from './checks';
import { dkimSelector, generateDkimKeyPair } from './keys';
import type { DnsLookups } from './resolver';

const UNIQUE_VIOLATION = 'P2002';
const RECORD_NOT_FOUND = 'P2025';

/** Columns callers may see; the private key is not among them. */
export const PUBLIC_DOMAIN_COLUMNS = {
  id: true,
  name: true,
  status: true,
  dkimSelector: true,
  dkimPublicKey: true,
  checks: true,
  verifiedAt: true,
  createdAt: true,
} as const;

export type PublicDomain = Omit<Domain, 'dkimPrivateKey' | 'projectId'>;

export async function createDomain(prisma: Db, projectId: string, name: string): Promise<PublicDomain> {
  const keys = await generateDkimKeyPair();
  const createdAt = new Date();
  try {
    return await prisma.domain.create({
      data: {
        id: randomId('dom'),
        projectId,
        name,
        dkimSelector: dkimSelector(createdAt),
        dkimPrivateKey: keys.privateKeyPem,
        dkimPublicKey: keys.publicKeyBase64,
        createdAt,
      },
      select: PUBLIC_DOMAIN_COLUMNS,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === UNIQUE_VIOLATION) {
      throw new ApiError('domain_already_exists', `domain ${name} already exists in this project`);
    }
    const scrubbed = new Error(`domain insert failed (${typeof code === 'string' ? code : 'no code'})`);
    throw new DependencyUnavailable('database', scrubbed);
  }
}

/** Checks the domain's records by DNS and stores the checks and the resulting status. */
export async function verifyDomain(
  prisma: Db,
  dns: DnsLookups,
  config: Pick<Config, 'SENDARIX_HOSTNAME' | 'SENDARIX_SPF_INCLUDE'>,
  domain: PublicDomain,
): Promise<{ domain: PublicDomain; checks: DomainChecks }> {
  const checks = await checkDomainRecords(dns, domain, config);
  const status = statusAfterChecks(checks, domain.status as DomainStatus);
  const verifiedAt = status === 'verified' ? (domain.status === 'verified' ? domain.verifiedAt : new Date()) : null;
  const updated = await prisma.domain
    .update({
      where: { id: domain.id },
      data: { checks: checks as object, status, verifiedAt },
      select: PUBLIC_DOMAIN_COLUMNS,
    })
    .catch((err: unknown) => {
      // Deleted while its records were being checked.
      if ((err as { code?: unknown }).code === RECORD_NOT_FOUND) {
        throw new ApiError('not_found', `no domain ${domain.id}`);
      }
      throw new DependencyUnavailable('database', err);
    });
  return { domain: updated, checks };
}
