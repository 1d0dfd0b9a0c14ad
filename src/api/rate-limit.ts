// Per-key request budget (1,000 a minute by default). Every response carries the X-RateLimit-* headers;
// past the budget the answer is 429 with Retry-After.
//
// Failed authentications are limited too, per client address: the per-key budget alone is keyed on the presented
// token, so a guesser rotating fake tokens would never reach it. Past AUTH_FAILURES_PER_MINUTE answers of 401, the
// address gets 429 before any key is checked (so a 429 tells nothing about a guess), except for keys that already
// authenticated from that address: a client sharing the address with a guesser keeps working.
import type { Context, Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../errors';
import { sha256Hex } from '../ids';
import type { AuthState } from './auth';

const WINDOW_SECONDS = 60;
/** 401 answers one client address may draw per window before it is refused outright. */
export const AUTH_FAILURES_PER_MINUTE = 20;
/** How long a key that authenticated from an address stays exempt from that address's refusal. */
const TRUSTED_FOR_MS = 10 * 60_000;
/** Bound on remembered (address, key) pairs, so that a flood of addresses cannot grow memory without end. */
const MAX_TRUSTED_PAIRS = 100_000;

export function rateLimit(requestsPerMinute: number, authFailuresPerMinute = AUTH_FAILURES_PER_MINUTE): Middleware {
  const limiter = new RateLimiterMemory({ points: requestsPerMinute, duration: WINDOW_SECONDS });
  const failures = new RateLimiterMemory({ points: authFailuresPerMinute, duration: WINDOW_SECONDS });
  const trusted = new TtlSet(TRUSTED_FOR_MS, MAX_TRUSTED_PAIRS);
  return async (ctx, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    // Keyed on the presented secret's hash (never the secret), else on the client address.
    const keyHash = bearer ? sha256Hex(bearer).slice(0, 32) : undefined;
    const address = `ip:${ctx.ip}`;
    const pair = keyHash ? `${address} ${keyHash}` : undefined;

    const failed = await failures.get(address);
    if (failed && failed.consumedPoints >= authFailuresPerMinute && !(pair && trusted.has(pair))) {
      setHeaders(ctx, requestsPerMinute, 0, failed.msBeforeNext);
      ctx.set('Retry-After', String(Math.ceil(failed.msBeforeNext / 1000)));
      throw new ApiError('rate_limited', 'too many failed authentications from this address; retry later');
    }

    let res: RateLimiterRes;
    let limited = false;
    try {
      res = await limiter.consume(keyHash ? `key:${keyHash}` : address);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      res = rejection;
      limited = true;
    }
    setHeaders(ctx, requestsPerMinute, res.remainingPoints, res.msBeforeNext);
    if (limited) {
      ctx.set('Retry-After', String(Math.ceil(res.msBeforeNext / 1000)));
      throw new ApiError('rate_limited', `rate limit of ${requestsPerMinute} requests a minute exceeded`);
    }

    try {
      await next();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) await countFailure(failures, address);
      throw err;
    }
    if (ctx.status === 401) await countFailure(failures, address);
    if (pair && (ctx.state as Partial<AuthState>).key) trusted.add(pair);
  };
}

function setHeaders(ctx: Context, limit: number, remaining: number, msBeforeNext: number): void {
  const resetSeconds = Math.ceil(msBeforeNext / 1000);
  ctx.set('X-RateLimit-Limit', String(limit));
  ctx.set('X-RateLimit-Remaining', String(Math.max(0, remaining)));
  ctx.set('X-RateLimit-Reset', String(Math.ceil(Date.now() / 1000) + resetSeconds));
}

/** One more failure for the address; past the budget the limiter rejects, which is just the count going on. */
async function countFailure(failures: RateLimiterMemory, address: string): Promise<void> {
  await failures.consume(address).catch((rejection: unknown) => {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
  });
}

/** Strings remembered for a while; the oldest go first once `maxSize` is reached. */
class TtlSet {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSize: number,
  ) {}

  add(value: string): void {
    this.expiries.delete(value);
    this.expiries.set(value, Date.now() + this.ttlMs);
    if (this.expiries.size > this.maxSize) this.expiries.delete(this.expiries.keys().next().value as string);
  }

  has(value: string): boolean {
    const expiry = this.expiries.get(value);
    if (expiry === undefined) return false;
    if (expiry > Date.now()) return true;
    this.expiries.delete(value);
    return false;
  }
}
