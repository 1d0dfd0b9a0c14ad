// The suppression list in the database: the one lookup that decides whether a mailbox is suppressed, and the one
// insert that every source (API, bounce, complaint, unsubscribe link) goes through. Keys come from
// normalizeForSuppression and nowhere else.
import type { Suppression } from '../../../generated/prisma/client';
import type { Db } from '../../db/client';
import { normalizeForSuppression, parseMailbox, type Mailbox } from '../../mail/address';

export const SUPPRESSION_REASONS = ['hard_bounce', 'complaint', 'unsubscribed', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
export type SuppressionSource = 'api' | 'bounce' | 'complaint' | 'unsubscribe_link';

const UNIQUE_VIOLATION = 'P2002';

/**
 * The entries that suppress `mailbox` in a project, the one stored under its own key first. With
 * `ignoreSubaddress`, `a@x` and every `a+tag@x` are one address, whichever of them an entry was stored under
 * (entries added before the setting was turned on keep their tag). `alsoKeys` are further exact keys to honour,
 * such as the key a message was given when it was accepted.
 */
export async function findSuppressions(
  prisma: Db,
  projectId: string,
  mailbox: Mailbox,
  ignoreSubaddress: boolean,
  alsoKeys: string[] = [],
): Promise<Suppression[]> {
  const key = normalizeForSuppression(mailbox, { ignoreSubaddress });
  const exact = [...new Set([key, ...alsoKeys])];
  const local = key.slice(0, key.lastIndexOf('@'));
  const tagged = { address: { startsWith: `${local}+`, endsWith: `@${mailbox.asciiDomain}` } };
  const rows = await prisma.suppression.findMany({
    where: { projectId, OR: [{ address: { in: exact } }, ...(ignoreSubaddress ? [tagged] : [])] },
    orderBy: [{ createdAt: 'asc' }, { address: 'asc' }],
  });
  // startsWith/endsWith become LIKE, where `%` and `_` (both valid in a local part) are wildcards: keep only the
  // rows whose own key really is this one.
  const matching = rows.filter((r) => exact.includes(r.address) || storedKey(r.address, ignoreSubaddress) === key);
  return [...matching.filter((r) => r.address === key), ...matching.filter((r) => r.address !== key)];
}

export interface NewSuppression {
  projectId: string;
  address: string;
  reason: SuppressionReason;
  source: SuppressionSource;
  messageId?: string;
}

/** Adds an entry unless one exists under the same key; the first entry (and its reason) is kept. */
export async function addSuppression(
  prisma: Db,
  entry: NewSuppression,
): Promise<{ entry: Suppression; created: boolean }> {
  const where = { projectId_address: { projectId: entry.projectId, address: entry.address } };
  const existing = await prisma.suppression.findUnique({ where });
  if (existing) return { entry: existing, created: false };
  try {
    return { entry: await prisma.suppression.create({ data: entry }), created: true };
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    // A concurrent insert of the same key won; its entry stands.
    return { entry: await prisma.suppression.findUniqueOrThrow({ where }), created: false };
  }
}

/** The project's suppressionIgnoresSubaddress setting (false for a project that does not exist). */
export async function ignoresSubaddress(prisma: Db, projectId: string): Promise<boolean> {
  const select = { suppressionIgnoresSubaddress: true };
  const project = await prisma.project.findUnique({ where: { id: projectId }, select });
  return project?.suppressionIgnoresSubaddress ?? false;
}

function storedKey(address: string, ignoreSubaddress: boolean): string | undefined {
  const parsed = parseMailbox(address);
  return parsed.ok ? normalizeForSuppression(parsed.mailbox, { ignoreSubaddress }) : undefined;
}
