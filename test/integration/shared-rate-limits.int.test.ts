// Two `npm run api` processes on one PostgreSQL database, as behind a load balancer: requests spread over both
// draw on one per-key budget, and the failed authentications one process counts refuse the address on the other.
// Each process alone would have granted the whole budget again. PostgreSQL only: runs with TEST_DATABASE_URL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AUTH_FAILURES_PER_MINUTE } from '../../src/api/rate-limit';
import { findFreePort } from '../../src/temporal/dev-server';
import { createTestDatabase, type TestDatabase } from '../faults/support/postgres';
import { startService, type Service } from '../faults/support/service';
import { request, TEST_API_KEY, type ApiResponse } from '../support/sendarix';
import { describeWithPostgres } from '../support/postgres-only';

const PER_MINUTE = 10;

describeWithPostgres('two API processes on one PostgreSQL database (skipped without TEST_DATABASE_URL)', () => {
  let db: TestDatabase;
  let dataDir: string;
  const apis: { service: Service; url: string }[] = [];
  /** Keys made for the tests, so that each test has a budget of its own. */
  const keys: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sendarix-shared-limits-'));
    // One after the other: both bootstrap the same project and key at start-up.
    for (const name of ['a', 'b']) {
      const port = await findFreePort();
      const service = await startService('api', {
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: process.env.SENDARIX_TEST_TEMPORAL_ADDRESS as string,
        SENDARIX_DATA_DIR: path.join(dataDir, name),
        SENDARIX_BOOTSTRAP_API_KEY: TEST_API_KEY,
        SENDARIX_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        HOST: '127.0.0.1',
        PORT: String(port),
      });
      apis.push({ service, url: `http://127.0.0.1:${port}` });
    }
    for (const label of ['spread', 'unused']) {
      const res = await call(0, 'POST', '/v1/keys', TEST_API_KEY, { label, scopes: ['read'] });
      expect(res.status).toBe(201);
      keys.push(res.body.secret as string);
    }
  });

  afterAll(async () => {
    for (const api of apis) await api.service.stop();
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function call(i: number, method: string, pathname: string, key?: string, body?: unknown): Promise<ApiResponse> {
    const api = apis[i % apis.length] as { url: string };
    return request(api.url, method, pathname, body, key ? { authorization: `Bearer ${key}` } : {});
  }

  it(`gives a key ${PER_MINUTE} requests a minute in all, whichever process answers them`, async () => {
    const answers: ApiResponse[] = [];
    for (let i = 0; i < PER_MINUTE + 2; i++) answers.push(await call(i, 'GET', '/v1/projects/current', keys[0]));
    expect(answers.map((r) => r.status)).toEqual([...Array(PER_MINUTE).fill(200), 429, 429]);
    const remaining = answers.map((r) => Number(r.headers.get('x-ratelimit-remaining')));
    expect(remaining).toEqual([...Array.from({ length: PER_MINUTE }, (_, i) => PER_MINUTE - 1 - i), 0, 0]);
    for (const refused of answers.slice(PER_MINUTE)) {
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // One window for the key, whichever process tells of it.
    const resets = answers.map((r) => Number(r.headers.get('x-ratelimit-reset')));
    expect(Math.max(...resets) - Math.min(...resets)).toBeLessThanOrEqual(1);
    // Counted in the database: the key's row holds every request, the refused ones included.
    const sql = "SELECT points FROM rate_limits WHERE key LIKE 'api-requests:key:%'";
    expect((await db.query<{ points: number }>(sql)).map((r) => r.points)).toContain(PER_MINUTE + 2);
  });

  it('refuses an address on both processes once the failures spread over them fill its budget', async () => {
    const guess = (i: number) => call(i, 'GET', '/v1/projects/current', `sk_live_guess${randomUUID()}`);
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i++) statuses.push((await guess(i)).status);
    expect(statuses).toEqual(Array(AUTH_FAILURES_PER_MINUTE).fill(401));
    for (const i of [0, 1]) {
      const refused = await guess(i);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      // A right key never used from this address is refused the same way, on either process.
      expect((await call(i, 'GET', '/v1/projects/current', keys[1])).status).toBe(429);
    }
  });
});
