// `npm run worker`: a message worker and a webhook worker, against PostgreSQL and a Temporal server (run any number).
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import {
  configuredRoutes,
  connectClient,
  createMessageWorker,
  createWebhookWorker,
  installTemporalRuntime,
  openConfiguredDatabase,
} from '../runtime';
import { startWorkerHttp } from './http';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS || !config.SMTP_URL) {
    throw new Error('npm run worker needs DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL; use npm start for the embedded defaults');
  }
  installTemporalRuntime(logger, config.SENDARIX_TEMPORAL_METRICS_PORT);
  const database = await openConfiguredDatabase(config);
  const { routes, defaultRoute } = configuredRoutes(config, 0);
  const temporal = await connectClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  const { worker, transports, connection, routeWorkers } = await createMessageWorker({
    config,
    database,
    logger,
    address: config.TEMPORAL_ADDRESS,
    routes,
    defaultRoute,
    temporal,
  });
  const webhookWorker = await createWebhookWorker({ config, database, logger, connection });
  const httpServer = await startWorkerHttp({
    host: config.SENDARIX_WORKER_HTTP_HOST,
    port: config.SENDARIX_WORKER_HTTP_PORT,
    prisma: database.prisma,
    workers: [worker, webhookWorker],
    logger,
  });
  // Worker.run() handles SIGINT/SIGTERM itself: it stops polling, lets in-flight activities finish (for at most
  // SENDARIX_WORKER_SHUTDOWN_GRACE, then cancels them), then resolves.
  logger.info(
    {
      task_queue: config.SENDARIX_TASK_QUEUE,
      webhook_task_queue: config.SENDARIX_WEBHOOK_TASK_QUEUE,
      http_url: `http://${config.SENDARIX_WORKER_HTTP_HOST}:${httpServer.port}`,
      temporal_metrics_port: config.SENDARIX_TEMPORAL_METRICS_PORT || undefined,
    },
    'worker ready',
  );
  await routeWorkers.start();
  await Promise.all([worker.run(), webhookWorker.run()]);
  await routeWorkers.stop();
  await httpServer.close();
  transports.close();
  await temporal.connection.close();
  await connection.close();
  await database.close();
  logger.info({}, 'worker stopped');
  // A library timer or socket left open must not keep a stopped worker alive past its orchestrator's patience.
  process.exit(0);
}

main().catch((err: unknown) => {
  createLogger('info').fatal({ err: err instanceof Error ? { message: err.message } : err }, 'worker failed');
  process.exit(1);
});
