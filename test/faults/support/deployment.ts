// Sendarix as a split deployment a fault test can break: a Temporal dev server persisted in SQLite, a fresh
// PostgreSQL database, and separate API and worker processes. Each part can be killed and started again on
// the same state (same database, same SQLite file, same ports).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../../../src/temporal/cli';
import { findFreePort, startDevServer, type DevServer } from '../../../src/temporal/dev-server';
import { request, TEST_API_KEY, type ApiResponse } from '../../support/sendarix';
import { createTestDatabase, type TestDatabase } from './postgres';
import { startService, type Service } from './service';

export interface SplitDeployment {
  db: TestDatabase;
  temporal: DevServer;
  api: Service;
  /** Undefined until startWorker(), and after killWorker(). */
  worker?: Service;
  url: string;
  /** fetch against the API with the bootstrap key. */
  call(method: string, pathname: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  startWorker(): Promise<Service>;
  /** kill -9 of the worker process; resolves once it is gone. */
  killWorker(): Promise<void>;
  /** kill -9 of the Temporal server; restartTemporal() brings it back on its SQLite file and port. */
  killTemporal(): Promise<void>;
  restartTemporal(): Promise<DevServer>;
  stop(): Promise<void>;
}

export interface DeploymentOptions {
  smtpUrl: string;
  /** Extra environment of both processes. */
  env?: Record<string, string>;
  /** Start the worker at once (default true). */
  worker?: boolean;
}

export async function startSplitDeployment(opts: DeploymentOptions): Promise<SplitDeployment> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sendarix-fault-'));
  const temporalDir = path.join(dataDir, 'temporal');
  const cliPath = findTemporalCli(process.env);
  if (!cliPath) throw new Error('fault tests need the Temporal CLI binary (npm run setup:temporal)');
  const temporalPort = await findFreePort();
  const startTemporal = () => startDevServer({ cliPath, dataDir: temporalDir, port: temporalPort, uiPort: false });

  const db = await createTestDatabase();
  let temporal = await startTemporal();
  const apiPort = await findFreePort();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporal.address,
    SMTP_URL: opts.smtpUrl,
    SENDARIX_DATA_DIR: path.join(dataDir, 'data'),
    SENDARIX_TASK_QUEUE: `fault-${randomUUID()}`,
    SENDARIX_WEBHOOK_TASK_QUEUE: `fault-webhooks-${randomUUID()}`,
    SENDARIX_BOOTSTRAP_API_KEY: TEST_API_KEY,
    SENDARIX_DEFAULT_FROM: 'Sendarix Faults <faults@sendarix.test>',
    SENDARIX_RETRY_SCHEDULE: '1s,1s,1s,1s,1s',
    SENDARIX_RATE_LIMIT_PER_MINUTE: '1000000',
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    ...opts.env,
  };
  const api = await startService('api', env);
  const url = `http://127.0.0.1:${apiPort}`;

  const deployment: SplitDeployment = {
    db,
    temporal,
    api,
    url,
    call: (method, pathname, body, headers = {}) =>
      request(url, method, pathname, body, { authorization: `Bearer ${TEST_API_KEY}`, ...headers }),
    startWorker: async () => {
      deployment.worker = await startService('worker', env);
      return deployment.worker;
    },
    killWorker: async () => {
      await deployment.worker?.kill('SIGKILL');
      deployment.worker = undefined;
    },
    killTemporal: () => temporal.kill('SIGKILL'),
    restartTemporal: async () => {
      temporal = await startTemporal();
      deployment.temporal = temporal;
      return temporal;
    },
    stop: async () => {
      await deployment.worker?.stop();
      await api.stop();
      await temporal.stop();
      await db.drop().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (opts.worker !== false) await deployment.startWorker();
  return deployment;
}

/** Counts of messages by status, straight from the database. */
export async function statusCounts(db: TestDatabase): Promise<Record<string, number>> {
  const sql = 'SELECT status, count(*) AS n FROM messages GROUP BY status';
  const rows = await db.query<{ status: string; n: string }>(sql);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
