// API keys: random secrets shown once, stored as SHA-256 hashes (the secrets carry 190 bits, so a slow hash
// adds nothing), compared in constant time.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client';
import { randomId, sha256Hex } from '../ids';

export const SCOPES = ['send', 'read', 'cancel', 'suppressions', 'webhooks', 'templates', 'domains', 'keys', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_LENGTH = 32;
const PREFIX_LENGTH = 12;

export interface AuthenticatedKey {
  id: string;
  projectId: string;
  scopes: string[];
  environment: string;
}

export function generateSecret(environment: 'live' | 'test'): string {
  const bytes = randomBytes(SECRET_LENGTH);
  let body = '';
  for (const byte of bytes) body += SECRET_ALPHABET[byte % SECRET_ALPHABET.length];
  return `sk_${environment}_${body}`;
}

export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

/** Finds the live key for a presented secret, or undefined. */
export async function authenticateSecret(prisma: Db, secret: string): Promise<AuthenticatedKey | undefined> {
  const hash = hashSecret(secret);
  const key = await prisma.apiKey.findUnique({ where: { secretHash: hash } });
  if (!key || key.revokedAt) return undefined;
  // The lookup is by hash; comparing again in constant time keeps the decision itself free of timing leaks.
  if (!timingSafeEqual(Buffer.from(key.secretHash), Buffer.from(hash))) return undefined;
  return { id: key.id, projectId: key.projectId, scopes: key.scopes, environment: key.environment };
}

/** Makes sure a key with this secret and every scope exists (for first use and tests). */
export async function ensureKey(
  prisma: Db,
  opts: { projectId: string; secret: string; label: string; scopes: readonly string[] },
): Promise<void> {
  const hash = hashSecret(opts.secret);
  const environment = opts.secret.startsWith('sk_test_') ? 'test' : 'live';
  await prisma.apiKey.upsert({
    where: { secretHash: hash },
    create: {
      id: randomId('key'),
      projectId: opts.projectId,
      label: opts.label,
      environment,
      prefix: opts.secret.slice(0, PREFIX_LENGTH),
      secretHash: hash,
      scopes: [...opts.scopes],
    },
    update: { scopes: [...opts.scopes], revokedAt: null },
  });
}
