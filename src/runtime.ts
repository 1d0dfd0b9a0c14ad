// Builds the running pieces from configuration: database, Temporal client, worker, HTTP server.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities, webhookActivities } from './activities';
import { createApp } from './api/app';
import { useLimiterStore } from './api/limiter-store';
import { postgresLimiterStore } from './api/limiter-store-postgres';
import type { Config } from './config';
import { openDatabase, type Database } from './db/client';
import { createLogger, type Logger } from './logger';
import { TransportPool, type RouteTarget } from './mail/transports';
import { countingWebhookFailures } from './metrics/activity-counters';
import { RouteWorkers } from './routing/route-workers';

/** How often a stopping HTTP server closes the keep-alive connections that went idle. */
const IDLE_SWEEP_MS = 50;
/** In-flight requests get this long after SIGTERM (orchestrators commonly wait 30 s before SIGKILL). */
export const HTTP_DRAIN_TIMEOUT_MS = 25_000;
/** After the grace time, cancelled activities get this long before the worker gives up on them. */
const SHUTDOWN_FORCE_MARGIN_MS = 5_000;

const SDK_LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Sets up the Temporal SDK's runtime (once per process, before any worker connection): every SDK log line
 * (workflow `log` included) goes into our pino logger, and with a port its own Prometheus exporter listens on
 * loopback (`temporal_*` metrics: task latencies, slots, polls, sticky cache).
 */
export function installTemporalRuntime(logger: Logger, metricsPort = 0): void {
  const sdkLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
      // The workflow bundler reports its whole webpack output at INFO; that belongs in debug.
      const method = message.startsWith('asset workflow-bundle') ? 'debug' : SDK_LEVELS[level];
      sdkLogger[method](meta ?? {}, message);
    }),
    telemetryOptions: metricsPort
      ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}`, countersTotalSuffix: true, useSecondsForDurations: true } } }
      : undefined,
  });
}

/** The configured database; on PostgreSQL the process's rate limits count in it too (shared by every process). */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) {
    const database = await openDatabase({ url: config.DATABASE_URL, migrate: false });
    return withSharedRateLimits(database, config.DATABASE_URL, config.LOG_LEVEL);
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return openDatabase({ pgliteDir: path.join(config.dataDir, 'pglite') });
}

/** Makes the PostgreSQL limiter store the process's (src/api/limiter-store.ts); its pool closes with the database. */
function withSharedRateLimits(database: Database, url: string, logLevel: string): Database {
  const store = postgresLimiterStore(url, createLogger(logLevel).child({ component: 'rate-limits' }));
  useLimiterStore(store);
  return {
    ...database,
    close: async () => {
      await store.close();
      await database.close();
    },
  };
}

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}

export async function createMessageWorker(opts: {
  config: Config;
  database: Database;
  logger: Logger;
  address: string;
  routes: Record<string, RouteTarget>;
  defaultRoute: string;
  /** Starts webhook workflows from the activities that record events. */
  temporal: Client;
}): Promise<{ worker: Worker; transports: TransportPool; connection: NativeConnection; routeWorkers: RouteWorkers }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const transports = new TransportPool(opts.routes);
  const activities = createActivities({
    prisma: opts.database.prisma,
    transports,
    defaultRoute: opts.defaultRoute,
    hostname: opts.config.SENDARIX_HOSTNAME,
    logger: opts.logger.child({ component: 'activities' }),
    temporal: opts.temporal,
    config: opts.config,
  });
  const worker = await Worker.create({
    connection,
    namespace: opts.config.TEMPORAL_NAMESPACE,
    taskQueue: opts.config.SENDARIX_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities,
    ...workerTuning(opts.config),
  });
  const routeWorkers = new RouteWorkers({
    prisma: opts.database.prisma,
    connection,
    namespace: opts.config.TEMPORAL_NAMESPACE,
    activities,
    logger: opts.logger.child({ component: 'route-workers' }),
  });
  return { worker, transports, connection, routeWorkers };
}

/**
 * The worker of the webhook workflows, on their own task queue so that slow endpoints never take a slot from
 * message delivery. It shares the message worker's connection; its bundle holds the webhook workflow only.
 */
export async function createWebhookWorker(opts: {
  config: Config;
  database: Database;
  logger: Logger;
  connection: NativeConnection;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.TEMPORAL_NAMESPACE,
    taskQueue: opts.config.SENDARIX_WEBHOOK_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows/webhook'),
    activities: countingWebhookFailures(webhookActivities({
      prisma: opts.database.prisma,
      logger: opts.logger.child({ component: 'webhooks' }),
      config: opts.config,
    })),
    shutdownGraceTime: opts.config.SENDARIX_WORKER_SHUTDOWN_GRACE,
  });
}

/** The message worker's slots, pollers and cache from configuration (defaults: see bench/RESULTS.md). */
export function workerTuning(config: Config) {
  return {
    maxConcurrentActivityTaskExecutions: config.SENDARIX_WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.SENDARIX_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: config.SENDARIX_WORKER_MAX_CACHED_WORKFLOWS,
    // `maxConcurrent*TaskPolls` are ignored by SDK 1.24; the poller behaviours are what it reads.
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: config.SENDARIX_WORKER_ACTIVITY_POLLERS } as const,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: config.SENDARIX_WORKER_WORKFLOW_POLLERS } as const,
    shutdownGraceTime: config.SENDARIX_WORKER_SHUTDOWN_GRACE,
    // An activity that ignores the cancellation at the end of the grace time must not hold the process for ever.
    shutdownForceTime: config.SENDARIX_WORKER_SHUTDOWN_GRACE + SHUTDOWN_FORCE_MARGIN_MS,
  };
}

/** The routes a worker knows: the configured relay (SMTP_URL) or the local sandbox. */
export function configuredRoutes(config: Config, sandboxPort: number): { routes: Record<string, RouteTarget>; defaultRoute: string } {
  if (config.SMTP_URL) return { routes: { relay: { url: config.SMTP_URL } }, defaultRoute: 'relay' };
  return { routes: { sandbox: { url: `smtp://127.0.0.1:${sandboxPort}` } }, defaultRoute: 'sandbox' };
}

/**
 * Stops an HTTP server gracefully: no new connections, keep-alive connections closed as soon as they are idle,
 * in-flight requests answered; whatever is still open after `graceMs` is cut.
 */
export async function stopServer(server: http.Server, graceMs: number): Promise<void> {
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.shouldKeepAlive = false;
  });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearInterval(idle);
  clearTimeout(cut);
}

export async function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<http.Server> {
  const server = http.createServer(app.callback());
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
