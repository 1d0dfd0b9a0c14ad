// The request budget and the per-address budget of failed authentications, on a real Koa server on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { ApiError } from '../errors';
import { rateLimit } from './rate-limit';

const FAILURES = 3;
let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = err instanceof ApiError ? err.status : 500;
    }
  });
  app.use(rateLimit(1000, FAILURES));
  // Stands in for authenticate(): tokens starting with "good" are valid keys.
  app.use(async (ctx) => {
    const token = /^Bearer (\S+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
    if (!token.startsWith('good')) throw new ApiError('unauthorized', 'invalid key');
    ctx.state.key = { id: token };
    ctx.body = { ok: true };
  });
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const get = async (token?: string) => {
  const res = await fetch(`${base}/v1/x`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const header = (name: string) => res.headers.get(name);
  return { status: res.status, retryAfter: header('retry-after'), limit: header('x-ratelimit-limit') };
};

it('refuses an address with 429 past its 401 budget, whatever tokens it rotates, but not a key it used', async () => {
  expect((await get('good-known')).status).toBe(200);
  const statuses: number[] = [];
  for (let i = 0; i < FAILURES + 2; i++) statuses.push((await get(`guess-${i}`)).status);
  expect(statuses).toEqual([401, 401, 401, 429, 429]);

  const refused = await get();
  expect(refused.status).toBe(429);
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(refused.limit).toBe('1000');
  // A valid key never seen from this address is refused like a guess, so a 429 tells nothing about a guess.
  expect((await get('good-new')).status).toBe(429);
  expect((await get('good-known')).status).toBe(200);
});
