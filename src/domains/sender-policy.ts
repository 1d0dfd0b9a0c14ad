// Which domains a project may send from: its verified sender domains, plus two identities the operator vouches
// for. The domain of the project's default sender was set by the operator (SENDARIX_DEFAULT_FROM, or
// `default_from` when an admin made the project); test keys may also use the sandbox identity @SENDARIX_HOSTNAME.
import type { Db } from '../db/client';
import { parseMailbox } from '../mail/address';

export interface SenderPolicy {
  projectId: string;
  defaultFrom?: string | null;
  /** The API key's environment: `live` or `test`. */
  environment: string;
  hostname: string;
}

/** A-label domains allowed without a verified Domain row. */
export function trustedSenderDomains(policy: Omit<SenderPolicy, 'projectId'>): Set<string> {
  const trusted = new Set<string>();
  const own = policy.defaultFrom ? domainOf(policy.defaultFrom) : undefined;
  if (own) trusted.add(own);
  const sandbox = policy.environment === 'test' ? domainOf(`sandbox@${policy.hostname}`) : undefined;
  if (sandbox) trusted.add(sandbox);
  return trusted;
}

/** Whether `asciiDomain` (A-label, lowercase, as parseMailbox gives it) may appear in `from`. */
export async function isSenderDomainAllowed(prisma: Db, policy: SenderPolicy, asciiDomain: string): Promise<boolean> {
  if (trustedSenderDomains(policy).has(asciiDomain)) return true;
  const verified = await prisma.domain.count({
    where: { projectId: policy.projectId, name: asciiDomain, status: 'verified' },
  });
  return verified > 0;
}

function domainOf(address: string): string | undefined {
  const parsed = parseMailbox(address);
  return parsed.ok ? parsed.mailbox.asciiDomain : undefined;
}
