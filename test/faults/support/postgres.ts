// A fresh PostgreSQL database per fault test, migrated like a deployment (`npm run migrate`), and dropped again.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';

const ROOT = path.resolve(__dirname, '../../..');
/** The role CI creates (CREATEDB): see .ci/run. TEST_DATABASE_URL overrides it. */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://sendarix:sendarix@127.0.0.1:5432/sendarix';

export interface TestDatabase {
  url: string;
  name: string;
  /** One SQL query on a short-lived connection; rows as objects. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sendarix_fault_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await withClient(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  await migrate(url);
  return {
    url,
    name,
    query: async <T>(sql: string, params: unknown[] = []) =>
      withClient(url, async (c) => (await c.query(sql, params)).rows as T[]),
    drop: async () => {
      await withClient(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function migrate(url: string): Promise<void> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: url };
  const args = ['--import', 'tsx', 'scripts/migrate.ts', 'deploy'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`migrating ${url} failed (${code}): ${output}`);
}
