// Per-key request budget (1,000 a minute by default). Every response carries the X-RateLimit-* headers;
// past the budget the answer is 429 with Retry-After.
import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../errors';
import { sha256Hex } from '../ids';

const WINDOW_SECONDS = 60;

export function rateLimit(requestsPerMinute: number): Middleware {
  const limiter = new RateLimiterMemory({ points: requestsPerMinute, duration: WINDOW_SECONDS });
  return async (ctx, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    // Keyed on the presented secret's hash (never the secret), else on the client address.
    const identity = bearer ? `key:${sha256Hex(bearer).slice(0, 32)}` : `ip:${ctx.ip}`;
    let res: RateLimiterRes;
    let limited = false;
    try {
      res = await limiter.consume(identity);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      res = rejection;
      limited = true;
    }
    const resetSeconds = Math.ceil(res.msBeforeNext / 1000);
    ctx.set('X-RateLimit-Limit', String(requestsPerMinute));
    ctx.set('X-RateLimit-Remaining', String(Math.max(0, res.remainingPoints)));
    ctx.set('X-RateLimit-Reset', String(Math.ceil(Date.now() / 1000) + resetSeconds));
    if (limited) {
      ctx.set('Retry-After', String(resetSeconds));
      throw new ApiError('rate_limited', `rate limit of ${requestsPerMinute} requests a minute exceeded`);
    }
    await next();
  };
}
