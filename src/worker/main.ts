// `npm run worker`: a message worker alone, against PostgreSQL and a Temporal server (run any number).
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { configuredRoutes, createMessageWorker, installTemporalLogging, openConfiguredDatabase } from '../runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS || !config.SMTP_URL) {
    throw new Error('npm run worker needs DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL; use npm start for the embedded defaults');
  }
  installTemporalLogging(logger);
  const database = await openConfiguredDatabase(config);
  const { routes, defaultRoute } = configuredRoutes(config, 0);
  const { worker, transports, connection } = await createMessageWorker({
    config,
    database,
    logger,
    address: config.TEMPORAL_ADDRESS,
    routes,
    defaultRoute,
  });
  // Worker.run() handles SIGINT/SIGTERM itself: it stops polling, lets in-flight tasks finish, then resolves.
  logger.info({ task_queue: config.SENDARIX_TASK_QUEUE }, 'worker ready');
  await worker.run();
  transports.close();
  await connection.close();
  await database.close();
  logger.info({}, 'worker stopped');
}

main().catch((err: unknown) => {
  createLogger('info').fatal({ err: err instanceof Error ? { message: err.message } : err }, 'worker failed');
  process.exit(1);
});
