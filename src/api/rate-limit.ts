// Per-key request budget (1,000 a minute by default). Every response carries the X-RateLimit-* headers;
// past the budget the answer is 429 with Retry-After.
//
// Failed authentications are limited too, per client address (auth-failures.ts, shared with the SMTP relay): the
// per-key budget alone is keyed on the presented token, so a guesser rotating fake tokens would never reach it.
// Past AUTH_FAILURES_PER_MINUTE answers of 401, the address gets 429 before any key is checked.
//
// The counters live in the process's limiter store (limiter-store.ts): in memory on PGlite, in PostgreSQL otherwise,
// where a store that does not answer makes the request a 503. Health probes are the exception: they are answered
// without a limit then, because an orchestrator must not restart a process for a database outage.
import type { Context, Middleware } from 'koa';
import { ApiError, DependencyUnavailable } from '../errors';
import type { AuthState } from './auth';
import { addressKey, AUTH_FAILURES_PER_MINUTE, AuthFailures, secretKey } from './auth-failures';
import { consumePoint, limiterStore, type LimiterStore } from './limiter-store';

export { AUTH_FAILURES_PER_MINUTE } from './auth-failures';

const WINDOW_SECONDS = 60;
const PROBE_PATHS = new Set(['/health', '/health/live', '/health/ready']);

export function rateLimit(
  requestsPerMinute: number,
  authFailuresPerMinute = AUTH_FAILURES_PER_MINUTE,
  store: LimiterStore = limiterStore(),
): Middleware {
  const requests = store.limiter('api-requests', requestsPerMinute, WINDOW_SECONDS);
  const failures = new AuthFailures(store, authFailuresPerMinute);

  /** Counts the request; throws the 429 of a refused address or a spent budget. */
  async function admit(ctx: Context, address: string, keyHash: string | undefined): Promise<void> {
    const refused = await failures.refusal(address, keyHash);
    if (refused) {
      setHeaders(ctx, requestsPerMinute, 0, refused.msBeforeNext);
      ctx.set('Retry-After', String(Math.ceil(refused.msBeforeNext / 1000)));
      throw new ApiError('rate_limited', 'too many failed authentications from this address; retry later');
    }
    // Keyed on the presented secret's hash (never the secret), else on the client address.
    const { res, over } = await consumePoint(requests, keyHash ? `key:${keyHash}` : address);
    setHeaders(ctx, requestsPerMinute, res.remainingPoints, res.msBeforeNext);
    if (over) {
      ctx.set('Retry-After', String(Math.ceil(res.msBeforeNext / 1000)));
      throw new ApiError('rate_limited', `rate limit of ${requestsPerMinute} requests a minute exceeded`);
    }
  }

  return async (ctx, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    const keyHash = bearer ? secretKey(bearer) : undefined;
    const address = addressKey(ctx.ip);
    try {
      await admit(ctx, address, keyHash);
    } catch (err) {
      if (err instanceof DependencyUnavailable && PROBE_PATHS.has(ctx.path)) return next();
      throw err;
    }

    try {
      await next();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) await failures.fail(address);
      throw err;
    }
    if (ctx.status === 401) await failures.fail(address);
    if (keyHash && (ctx.state as Partial<AuthState>).key) failures.trust(address, keyHash);
  };
}

function setHeaders(ctx: Context, limit: number, remaining: number, msBeforeNext: number): void {
  const resetSeconds = Math.ceil(msBeforeNext / 1000);
  ctx.set('X-RateLimit-Limit', String(limit));
  ctx.set('X-RateLimit-Remaining', String(Math.max(0, remaining)));
  ctx.set('X-RateLimit-Reset', String(Math.ceil(Date.now() / 1000) + resetSeconds));
}
