// `npm run api`: the HTTP API alone, against PostgreSQL and a Temporal server (run any number of these).
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { HTTP_DRAIN_TIMEOUT_MS, connectClient, listen, openConfiguredDatabase, stopServer } from '../runtime';
import { bootstrapProject } from '../services/projects';
import { createApp } from './app';
import { markDraining } from './health';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new Error('npm run api needs DATABASE_URL and TEMPORAL_ADDRESS; use npm start for the embedded defaults');
  }
  if (!config.SENDARIX_UNSUBSCRIBE_SECRET) {
    logger.warn({}, 'SENDARIX_UNSUBSCRIBE_SECRET is not set: messages go out without one-click unsubscribe links');
  }
  const database = await openConfiguredDatabase(config);
  await bootstrapProject(database.prisma, { apiKey: config.SENDARIX_BOOTSTRAP_API_KEY, defaultFrom: config.SENDARIX_DEFAULT_FROM });
  const temporal = await connectClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  const app = createApp({ prisma: database.prisma, temporal, config, logger, temporalUiUrl: config.TEMPORAL_UI_URL });
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ api_url: `http://${config.HOST}:${(server.address() as { port: number }).port}` }, 'api ready');

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    logger.info({}, 'api shutting down');
    markDraining();
    await stopServer(server, HTTP_DRAIN_TIMEOUT_MS);
    await temporal.connection.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  createLogger('info').fatal({ err: err instanceof Error ? { message: err.message } : err }, 'api start-up failed');
  process.exit(1);
});
