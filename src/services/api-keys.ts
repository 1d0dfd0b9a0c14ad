// API keys: random secrets shown once, stored as SHA-256 hashes (the secrets carry 190 bits, so a slow hash
// adds nothing), compared in constant time.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../../generated/prisma/client';
import type { Db } from '../db/client';
import { randomId, sha256Hex } from '../ids';

export const SCOPES = ['send', 'read', 'cancel', 'suppressions', 'webhooks', 'templates', 'domains', 'routes', 'keys', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_LENGTH = 32;
/** How much of a secret is kept in clear, so that a listed key can be recognised: `sk_live_AbCd`. */
export const PREFIX_LENGTH = 12;
/** A key's last_used_at moves at most this often, so that authentication is not a write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface AuthenticatedKey {
  id: string;
  projectId: string;
  scopes: string[];
  environment: string;
  lastUsedAt?: Date | null;
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
  const { id, projectId, scopes, environment, lastUsedAt } = key;
  return { id, projectId, scopes, environment, lastUsedAt };
}

/** True when a key's recorded last use is older than LAST_USED_RESOLUTION_MS (or missing). */
export function lastUseIsStale(lastUsedAt: Date | null | undefined, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}

/** Records a key's use; the condition keeps concurrent requests from moving it more than once a minute. */
export async function touchLastUsed(prisma: Db, id: string, now: Date): Promise<void> {
  const threshold = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  await prisma.apiKey.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: threshold } }] },
    data: { lastUsedAt: now },
  });
}

/** The requested scopes a key may not grant: a key grants only what it holds, and admin holds everything. */
export function scopesNotHeld(held: readonly string[], requested: readonly Scope[]): Scope[] {
  if (held.includes('admin')) return [];
  return requested.filter((scope) => !held.includes(scope));
}

/** Makes a new key in a project; the secret is returned here once and stored only as its hash. */
export async function createKey(
  prisma: Db,
  opts: { projectId: string; label: string; environment: 'live' | 'test'; scopes: readonly Scope[] },
): Promise<{ key: ApiKey; secret: string }> {
  const secret = generateSecret(opts.environment);
  const key = await prisma.apiKey.create({
    data: {
      id: randomId('key'),
      projectId: opts.projectId,
      label: opts.label,
      environment: opts.environment,
      prefix: secret.slice(0, PREFIX_LENGTH),
      secretHash: hashSecret(secret),
      scopes: [...new Set(opts.scopes)],
    },
  });
  return { key, secret };
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
