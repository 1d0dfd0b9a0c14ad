// DKIM signing options for a message: the verified domain of its From address, looked up on every attempt so
// that a deleted or failed domain stops signing at once (nothing is cached).
import type Mail from 'nodemailer/lib/mailer';
import type { Domain } from '../../generated/prisma/client';
import type { Db } from '../db/client';
import { MESSAGE_ID_HEADER } from '../mail/compose';

/**
 * Headers covered by the signature when present. List-Unsubscribe-Post must be signed next to List-Unsubscribe
 * for one-click unsubscribe (RFC 8058).
 */
export const DKIM_SIGNED_HEADERS = [
  'From', 'Sender', 'Reply-To', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type',
  'Content-Transfer-Encoding', 'In-Reply-To', 'References', 'List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post',
  MESSAGE_ID_HEADER,
].join(':');

export type DkimOptions = NonNullable<Mail.Options['dkim']>;

/** The signing options for `fromAddress` (envelope form, A-label domain); undefined unless its domain is verified. */
export async function dkimOptionsFor(
  prisma: Db,
  projectId: string,
  fromAddress: string,
): Promise<DkimOptions | undefined> {
  const domainName = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase();
  const domain = await prisma.domain.findFirst({
    where: { projectId, name: domainName, status: 'verified' },
    select: { name: true, dkimSelector: true, dkimPrivateKey: true },
  });
  return domain ? dkimOptions(domain) : undefined;
}

export function dkimOptions(domain: Pick<Domain, 'name' | 'dkimSelector' | 'dkimPrivateKey'>): DkimOptions {
  return {
    domainName: domain.name,
    keySelector: domain.dkimSelector,
    privateKey: domain.dkimPrivateKey,
    headerFieldNames: DKIM_SIGNED_HEADERS,
  };
}
