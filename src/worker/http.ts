// The worker's small HTTP listener (loopback by default): liveness, readiness and Prometheus metrics, for
// orchestrators and scrapers. It has no API key, so it serves nothing but these three figures.
import http from 'node:http';
import type { Worker } from '@temporalio/worker';
import { databaseAnswers } from '../api/health';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { metricsText } from '../metrics/http';
import { registerQueueDepth } from '../metrics/queue-depth';

export interface WorkerHttpOptions {
  host: string;
  /** `0` picks a free port. */
  port: number;
  prisma: Db;
  /** Ready only while every one of these polls its task queue. */
  workers: Pick<Worker, 'getState'>[];
  logger: Logger;
}

export interface WorkerHttp {
  port: number;
  close(): Promise<void>;
}

export async function startWorkerHttp(opts: WorkerHttpOptions): Promise<WorkerHttp> {
  registerQueueDepth(opts.prisma);
  const server = http.createServer((req, res) => {
    answer(opts, req.method ?? 'GET', (req.url ?? '/').split('?')[0] as string).then(
      ({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      },
      (err: unknown) => {
        opts.logger.error({ err }, 'worker http: request failed');
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(json({ error: { code: 'internal_error', message: 'internal error' } }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Answer {
  status: number;
  type: string;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (value: unknown) => JSON.stringify(value);

async function answer(opts: WorkerHttpOptions, method: string, pathname: string): Promise<Answer> {
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      status: 405,
      type: JSON_TYPE,
      body: json({ error: { code: 'method_not_allowed', message: 'method not allowed' } }),
    };
  }
  if (pathname === '/health/live') return { status: 200, type: JSON_TYPE, body: json({ ok: true }) };
  if (pathname === '/health/ready') {
    const states = opts.workers.map((w) => w.getState());
    const polling = states.every((s) => s === 'RUNNING');
    const database = await databaseAnswers(opts.prisma);
    const ok = polling && database;
    const health = { ok, workers: states, database: database ? 'ok' : 'unavailable' };
    const body = ok
      ? health
      : { error: { code: 'service_unavailable', message: 'the worker is not ready' }, ...health };
    return { status: ok ? 200 : 503, type: JSON_TYPE, body: json(body) };
  }
  if (pathname === '/metrics') {
    const { contentType, body } = await metricsText();
    return { status: 200, type: contentType, body };
  }
  return { status: 404, type: JSON_TYPE, body: json({ error: { code: 'not_found', message: 'not found' } }) };
}
