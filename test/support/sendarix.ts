// Starts Sendarix as a user would (`src/main.ts` in its own process) against the shared Temporal dev
// server, a database of its own (PGlite in a temp folder, or a fresh PostgreSQL database when
// TEST_DATABASE_URL is set) and the given SMTP relay.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';

const ROOT = path.resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 180_000;
export const TEST_API_KEY = 'sk_live_integrationtestkey0000000000000001';

export interface SendarixProcess {
  url: string;
  apiKey: string;
  dataDir: string;
  logs: string[];
  pid: number;
  /** Port of the SMTP relay ingress (`smtp_port` of the ready line). */
  smtpPort: number;
  /** Port of the inbound listener for bounces and complaints (`inbound_port` of the ready line). */
  inboundPort: number;
  /** Task queue of its message workflows; a restart with `reuse` polls the same one. */
  taskQueue: string;
  /** Its PostgreSQL database when TEST_DATABASE_URL is set (else PGlite under `dataDir`). */
  databaseUrl?: string;
  /** fetch against the API with the bootstrap key (or `key`). */
  api(method: string, pathname: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Sends `signal` and resolves with how the process ended; unlike `stop`, keeps the data for a restart. */
  terminate(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface StartOptions {
  smtpUrl: string;
  temporalAddress?: string;
  env?: Record<string, string>;
  /** Start on the data folder, database and task queue of an earlier process (after its `terminate`). */
  reuse?: Pick<SendarixProcess, 'dataDir' | 'databaseUrl' | 'taskQueue'>;
}

export async function startSendarix(opts: StartOptions): Promise<SendarixProcess> {
  const dataDir = opts.reuse?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sendarix-test-'));
  const databaseUrl = opts.reuse
    ? opts.reuse.databaseUrl
    : process.env.TEST_DATABASE_URL ? await freshPostgresDatabase(process.env.TEST_DATABASE_URL) : undefined;
  const taskQueue = opts.reuse?.taskQueue ?? `test-${randomUUID()}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: '0',
    LOG_LEVEL: 'info',
    SENDARIX_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: opts.temporalAddress ?? (process.env.SENDARIX_TEST_TEMPORAL_ADDRESS as string),
    SENDARIX_TASK_QUEUE: taskQueue,
    SMTP_URL: opts.smtpUrl,
    SENDARIX_BOOTSTRAP_API_KEY: TEST_API_KEY,
    SENDARIX_DEFAULT_FROM: 'Sendarix Tests <tests@sendarix.test>',
    SENDARIX_RETRY_SCHEDULE: '1s,1s,1s,1s,1s',
    // Every test process runs its own SMTP listeners: free ports, never the fixed defaults.
    SENDARIX_SMTP_PORT: '0',
    SENDARIX_INBOUND_PORT: '0',
    // The SDK's Prometheus listener has a fixed default port; test processes run side by side, so it is off.
    SENDARIX_TEMPORAL_METRICS_PORT: '0',
    // Tests stop processes often, sometimes with a delivery stuck on a stalled peer: a short grace keeps that quick.
    SENDARIX_WORKER_SHUTDOWN_GRACE: '2s',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...opts.env,
  };
  if (databaseUrl && !opts.reuse) await runScript(['scripts/migrate.ts', 'deploy'], env);

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const { url, smtpPort, inboundPort } = await waitForReady(child, logs);
  const apiKey = env.SENDARIX_BOOTSTRAP_API_KEY as string;

  return {
    url,
    apiKey,
    dataDir,
    logs,
    pid: child.pid as number,
    smtpPort,
    inboundPort,
    taskQueue,
    databaseUrl,
    terminate: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      }
      return { code: child.exitCode, signal: child.signalCode };
    },
    api: (method, pathname, body, headers = {}) => request(url, method, pathname, body, { authorization: `Bearer ${apiKey}`, ...headers }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function request(
  baseUrl: string,
  method: string,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${pathname}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

interface ReadyLine {
  url: string;
  smtpPort: number;
  inboundPort: number;
}

function waitForReady(child: ChildProcess, logs: string[]): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sendarix did not start:\n${logs.slice(-30).join('\n')}`)), READY_TIMEOUT_MS);
    const onLine = (line: string) => {
      logs.push(line);
      if (process.env.SENDARIX_TEST_LOGS) process.stderr.write(`${line}\n`);
      try {
        const entry = JSON.parse(line) as { msg?: string; api_url?: string; smtp_port?: number; inbound_port?: number };
        if (entry.msg === 'sendarix ready' && entry.api_url) {
          clearTimeout(timer);
          resolve({ url: entry.api_url, smtpPort: entry.smtp_port ?? 0, inboundPort: entry.inbound_port ?? 0 });
        }
      } catch {
        // not a log line
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sendarix exited with ${code}:\n${logs.slice(-30).join('\n')}`));
    });
  });
}

async function runScript(args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} failed (${code}): ${output}`);
}

/** A new, empty database on the server TEST_DATABASE_URL points at, so that each suite starts clean. */
async function freshPostgresDatabase(adminUrl: string): Promise<string> {
  const name = `sendarix_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
