// How a suppression entry reads over the API: `recipient` with its domain in Unicode for people, `address` the
// key it is matched under (A-label domain, local part case-folded).
import { domainToUnicode } from 'node:url';
import type { Suppression } from '../../../generated/prisma/client';

export function suppressionView(s: Suppression) {
  const at = s.address.lastIndexOf('@');
  const domain = s.address.slice(at + 1);
  return {
    recipient: `${s.address.slice(0, at)}@${domainToUnicode(domain) || domain}`,
    address: s.address,
    reason: s.reason,
    source: s.source,
    message_id: s.messageId,
    created_at: s.createdAt.toISOString(),
  };
}
