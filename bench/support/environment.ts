// One bench run's world: a fresh PostgreSQL database, a Temporal dev server, a loopback SMTP peer, Sendarix as
// its API and worker processes, and the bare worker for the baselines — all on loopback, all stopped at the end.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { findTemporalCli } from '../../src/temporal/cli';
import { findFreePort, startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../../test/support/smtp-peer';
import type { BenchOptions } from './options';
import { ROOT, startBareWorker, startService, type BareWorker, type Service } from './processes';

export const BENCH_API_KEY = 'sk_live_benchmarkkey000000000000000000001';
export const BARE_WORKFLOW = 'bareWorkflow';

/** What the peer saw: a count, and when each recipient's DATA was accepted (performance.now() of this process). */
export interface Deliveries {
  count(): number;
  acceptedAt(recipient: string): number | undefined;
}

export interface BenchEnv {
  runDir: string;
  temporal: DevServer;
  client: Client;
  peer: SmtpPeer;
  deliveries: Deliveries;
  databaseUrl: string;
  databaseName: string;
  apiUrl: string;
  api: Service;
  worker: Service;
  bare: BareWorker;
  bareTaskQueue: string;
  /** Unique recipient for one message of this run. */
  recipient(tag: string): string;
  stop(): Promise<void>;
}

export async function startEnvironment(opts: BenchOptions, runDir: string): Promise<BenchEnv> {
  fs.mkdirSync(runDir, { recursive: true });
  const stops: (() => Promise<unknown>)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of [...stops].reverse()) await s().catch((err: unknown) => console.error('bench: stop failed', err));
    })());
  try {
    const cliPath = findTemporalCli({
      HOME: process.env.HOME,
      XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
      TEMPORAL_CLI: process.env.TEMPORAL_CLI,
    });
    const temporal = await startDevServer({ cliPath, uiPort: false });
    stops.push(() => temporal.stop());
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    stops.push(() => client.connection.close());

    const peer = await startSmtpPeer();
    stops.push(() => peer.stop());
    const deliveries = watchDeliveries(peer);

    const { url: databaseUrl, name: databaseName } = await freshDatabase(opts.adminDatabaseUrl);
    stops.push(() => dropDatabase(opts.adminDatabaseUrl, databaseName));
    runMigrations(databaseUrl, path.join(runDir, 'migrate.log'));

    const run = randomUUID().slice(0, 8);
    const apiPort = await findFreePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: opts.logLevel,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      SMTP_URL: peer.url,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      SENDARIX_TASK_QUEUE: `bench-messages-${run}`,
      SENDARIX_WEBHOOK_TASK_QUEUE: `bench-webhooks-${run}`,
      SENDARIX_BOOTSTRAP_API_KEY: BENCH_API_KEY,
      SENDARIX_DEFAULT_FROM: 'Sendarix Bench <bench@sendarix.localhost>',
      SENDARIX_UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0000000000000000',
      // The per-key limit (1,000 a minute) would answer most of the load 429.
      SENDARIX_RATE_LIMIT_PER_MINUTE: '100000000',
      SENDARIX_WORKER_HTTP_PORT: '0',
      SENDARIX_TEMPORAL_METRICS_PORT: '0',
      ...opts.workerEnv,
    };
    const profileDir = opts.profile ? path.join(runDir, 'profiles') : undefined;
    const api = await startService({
      name: 'api',
      script: 'src/api/main.ts',
      env,
      readyMessage: 'api ready',
      logFile: path.join(runDir, 'api.log'),
      profileDir,
    });
    stops.push(() => api.stop());
    const worker = await startService({
      name: 'worker',
      script: 'src/worker/main.ts',
      env,
      readyMessage: 'worker ready',
      logFile: path.join(runDir, 'worker.log'),
      profileDir,
    });
    stops.push(() => worker.stop());

    const bareTaskQueue = `bench-bare-${run}`;
    const bare = await startBareWorker(
      temporal.address,
      bareTaskQueue,
      opts.workerEnv,
      path.join(runDir, 'bare-worker.log'),
    );
    stops.push(() => bare.stop());

    let n = 0;
    return {
      runDir,
      temporal,
      client,
      peer,
      deliveries,
      databaseUrl,
      databaseName,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      api,
      worker,
      bare,
      bareTaskQueue,
      recipient: (tag) => `${tag}-${run}-${n++}@bench.example`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Stamps each accepted DATA by recipient and keeps no message: a long run must not fill the bench's memory. */
function watchDeliveries(peer: SmtpPeer): Deliveries {
  const accepted = new Map<string, number>();
  let count = 0;
  peer.received.push = (...mails: ReceivedMail[]) => {
    const at = performance.now();
    for (const mail of mails) {
      count++;
      for (const to of mail.envelope.to) accepted.set(to, at);
    }
    return 0;
  };
  return { count: () => count, acceptedAt: (recipient) => accepted.get(recipient) };
}

async function freshDatabase(adminUrl: string): Promise<{ url: string; name: string }> {
  const name = `sendarix_bench_${Date.now()}_${randomUUID().slice(0, 6)}`;
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), name };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function runMigrations(databaseUrl: string, logFile: string): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts', 'deploy'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  fs.writeFileSync(logFile, `${result.stdout}${result.stderr}`);
  if (result.status !== 0) throw new Error(`migrations failed; see ${logFile}`);
}
