// The limiter stores: names shared within a store, and what a request gets when the PostgreSQL store does not
// answer (a real pg pool aimed at a closed loopback port, behind a real Koa server with the real error middleware).
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import Koa from 'koa';
import { createLogger } from '../logger';
import { addressKey, AuthFailures } from './auth-failures';
import { errorMiddleware } from './error-middleware';
import { consumePoint, memoryLimiterStore, type LimiterStore } from './limiter-store';
import { postgresLimiterStore } from './limiter-store-postgres';
import { rateLimit } from './rate-limit';

const silent = createLogger('silent');

/** A loopback port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function serve(store: LimiterStore): Promise<{ base: string; close(): Promise<void> }> {
  const app = new Koa();
  app.silent = true;
  app.use(errorMiddleware(silent));
  app.use(rateLimit(1000, 3, store));
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('memory store', () => {
  it('gives limiters of the same name and budget the same counters, and others their own', async () => {
    const store = memoryLimiterStore();
    await consumePoint(store.limiter('a', 2, 60), 'k');
    const again = await consumePoint(store.limiter('a', 2, 60), 'k');
    expect(again).toMatchObject({ over: false, res: { remainingPoints: 0 } });
    expect((await consumePoint(store.limiter('a', 2, 60), 'k')).over).toBe(true);
    expect((await consumePoint(store.limiter('b', 2, 60), 'k')).res.remainingPoints).toBe(1);
  });

  it('counts the failures of two ingress paths in one per-address budget, but trusts keys per path', async () => {
    const store = memoryLimiterStore();
    const api = new AuthFailures(store, 2);
    const smtp = new AuthFailures(store, 2);
    const address = addressKey('::ffff:192.0.2.7');
    expect(address).toBe(addressKey('192.0.2.7'));
    api.trust(address, 'known');
    await api.fail(address);
    await smtp.fail(address);
    expect(await smtp.refusal(address, 'other')).toBeDefined();
    expect(await api.refusal(address)).toBeDefined();
    expect(await api.refusal(address, 'known')).toBeUndefined();
    expect(await smtp.refusal(address, 'known')).toBeDefined();
    expect(await api.refusal(addressKey('192.0.2.8'))).toBeUndefined();
  });
});

describe('PostgreSQL store that does not answer', () => {
  let store: LimiterStore;
  let app: { base: string; close(): Promise<void> };

  beforeAll(async () => {
    store = postgresLimiterStore(`postgresql://sendarix:sendarix@127.0.0.1:${await closedPort()}/sendarix`, silent);
    app = await serve(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('answers a request 503 service_unavailable with Retry-After, not 500, and at once', async () => {
    const started = Date.now();
    const res = await fetch(`${app.base}/v1/x`, { headers: { authorization: 'Bearer sk_live_whatever' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('still answers the health probes, without limit headers', async () => {
    for (const path of ['/health/live', '/health/ready', '/health']) {
      const res = await fetch(`${app.base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });

  it('makes an authentication budget check fail as the database being unavailable', async () => {
    const failures = new AuthFailures(store);
    await expect(failures.refusal(addressKey('127.0.0.1'))).rejects.toMatchObject({
      name: 'DependencyUnavailable',
      dependency: 'database',
    });
  });
});
