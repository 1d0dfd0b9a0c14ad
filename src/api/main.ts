// `npm run api`: the HTTP API alone, against PostgreSQL and a Temporal server (run any number of these).
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { connectClient, listen, openConfiguredDatabase } from '../runtime';
import { bootstrapProject } from '../services/projects';
import { createApp } from './app';

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
  logger.info({ api_url: `http://${config.HOST}:${config.PORT}` }, 'api ready');

  const shutdown = async () => {
    logger.info({}, 'api shutting down');
    await new Promise((resolve) => server.close(resolve));
    await temporal.connection.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  createLogger('info').fatal({ err: err instanceof Error ? { message: err.message } : err }, 'api start-up failed');
  process.exit(1);
});
