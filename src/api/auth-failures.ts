// The per-address budget of failed authentications, one rule for both ingress paths (HTTP API 401s, SMTP AUTH
// 535s) counted in one limiter: a guesser gains nothing by switching protocol, and on PostgreSQL nothing by
// spreading guesses over processes. Past the budget an address is refused before any secret is checked, so a
// refusal tells nothing about a guess, except for keys that already authenticated from that address: a client
// sharing the address with a guesser keeps working.
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { sha256Hex } from '../ids';
import { consumedSoFar, consumePoint, type LimiterStore } from './limiter-store';
import { TtlSet } from './ttl-set';

/** Failed authentications one client address may have per window before it is refused outright. */
export const AUTH_FAILURES_PER_MINUTE = 20;
export const AUTH_FAILURE_WINDOW_SECONDS = 60;
/** How long a key that authenticated from an address stays exempt from that address's refusal. */
const TRUSTED_FOR_MS = 10 * 60_000;
/** Bound on remembered (address, key) pairs, so that a flood of addresses cannot grow memory without end. */
const MAX_TRUSTED_PAIRS = 100_000;
const LIMITER_NAME = 'auth-failures';

/** The limiter key of a client address; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) counts as the IPv4 address. */
export function addressKey(remoteAddress: string | undefined): string {
  return `ip:${(remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase()}`;
}

/** The presented secret's hash, the only form in which a limiter keeps it. */
export function secretKey(secret: string): string {
  return sha256Hex(secret).slice(0, 32);
}

/**
 * One ingress path's view of the budget. The counts live in the store (shared); which keys are trusted from
 * which address is remembered by this object only, in this process.
 */
export class AuthFailures {
  private readonly limiter: RateLimiterAbstract;
  private readonly trusted = new TtlSet(TRUSTED_FOR_MS, MAX_TRUSTED_PAIRS);

  constructor(
    store: LimiterStore,
    readonly perMinute = AUTH_FAILURES_PER_MINUTE,
  ) {
    this.limiter = store.limiter(LIMITER_NAME, perMinute, AUTH_FAILURE_WINDOW_SECONDS);
  }

  /** The address's spent window when it is refused (and `secretHash`, if any, is not trusted from it). */
  async refusal(address: string, secretHash?: string): Promise<RateLimiterRes | undefined> {
    const spent = await consumedSoFar(this.limiter, address);
    if (!spent || spent.consumedPoints < this.perMinute) return undefined;
    if (secretHash && this.trusted.has(pairOf(address, secretHash))) return undefined;
    return spent;
  }

  /** One more failure for the address; past the budget the limiter rejects, which is just the count going on. */
  async fail(address: string): Promise<void> {
    await consumePoint(this.limiter, address);
  }

  trust(address: string, secretHash: string): void {
    this.trusted.add(pairOf(address, secretHash));
  }
}

const pairOf = (address: string, secretHash: string) => `${address} ${secretHash}`;
