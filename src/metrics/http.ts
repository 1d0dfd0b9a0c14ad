// Counts and times every HTTP answer by route template (`/v1/messages/:id`, never the raw path, so the number of
// series stays bounded), and serves `/metrics` where the operator allows it.
import net from 'node:net';
import type { Context, Middleware, Next } from 'koa';
import type { Config } from '../config';
import { httpRequestDuration, httpRequests, messageAcceptDuration, metricsRegistry } from './registry';

/** Label of a request no route matched (404s of made-up paths must not each become a series). */
const UNMATCHED_ROUTE = 'unmatched';

/** Registered first, so that it sees the status the error middleware and the rate limit settled on. */
export function httpMetrics(): Middleware {
  return async (ctx: Context, next: Next) => {
    const startedNs = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
      const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      const route = typeof matched === 'string' && matched !== '' ? matched : UNMATCHED_ROUTE;
      const labels = { method: ctx.method, route, status: String(ctx.status) };
      httpRequests.inc(labels);
      httpRequestDuration.observe(labels, seconds);
      if (ctx.method === 'POST' && route === '/v1/messages' && ctx.status === 202)
        messageAcceptDuration.observe(seconds);
    }
  };
}

/**
 * Whether the API serves `/metrics` (no API key: it tells volumes, not content). SENDARIX_METRICS decides when set;
 * unset, it is served only on a loopback listener, where nothing from outside the host can read it.
 */
export function metricsExposed(config: Pick<Config, 'SENDARIX_METRICS' | 'HOST'>): boolean {
  return config.SENDARIX_METRICS ?? isLoopback(config.HOST);
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const address = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/i, '');
  if (net.isIPv4(address)) return address.startsWith('127.');
  return net.isIPv6(address) && /^(0*:)*:?0*1$/.test(address);
}

/** The text exposition of every metric of this process. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
