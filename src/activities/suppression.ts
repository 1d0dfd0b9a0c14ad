// Suppression at dispatch time, and the automatic suppression that a hard bounce causes.
import { addSuppression, findSuppressions, ignoresSubaddress } from '../api/suppressions/store';
import type { Db } from '../db/client';
import { parseMailbox } from '../mail/address';

/** The message fields a suppression check reads. */
export interface SuppressionSubject {
  projectId: string;
  recipient: string;
  /** The recipient as normalised when the message was accepted. */
  recipientKey: string;
}

/**
 * The reason the recipient is suppressed, or undefined. The key given at accept time counts, and so does the
 * recipient under the project's setting now, so that an entry added (or a setting changed) while the message waited
 * is honoured.
 */
export async function suppressionOf(prisma: Db, message: SuppressionSubject): Promise<string | undefined> {
  const { projectId, recipient, recipientKey } = message;
  const parsed = parseMailbox(recipient);
  const ignoreSubaddress = await ignoresSubaddress(prisma, projectId);
  const [entry] = parsed.ok
    ? await findSuppressions(prisma, projectId, parsed.mailbox, ignoreSubaddress, [recipientKey])
    : await prisma.suppression.findMany({ where: { projectId, address: recipientKey } });
  return entry?.reason;
}

/** Suppresses the recipient of a message that hard-bounced. */
export async function suppressBouncedRecipient(
  prisma: Db,
  message: SuppressionSubject & { id: string },
): Promise<void> {
  const { projectId, recipientKey: address, id: messageId } = message;
  await addSuppression(prisma, { projectId, address, reason: 'hard_bounce', source: 'bounce', messageId });
}
