// `npm run smtp`: the SMTP relay ingress and the inbound listener for bounces and complaints, against PostgreSQL
// and a Temporal server (run any number of these behind a TCP load balancer).
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { connectClient, openConfiguredDatabase } from '../runtime';
import { startSmtpServices } from './services';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new Error('npm run smtp needs DATABASE_URL and TEMPORAL_ADDRESS; use npm start for the embedded defaults');
  }
  const database = await openConfiguredDatabase(config);
  const temporal = await connectClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  const smtp = await startSmtpServices({ prisma: database.prisma, temporal, config, logger }, { embedded: false });
  logger.info({ smtp_port: smtp.smtpPort, inbound_port: smtp.inboundPort }, 'smtp ready');

  const shutdown = async () => {
    logger.info({}, 'smtp shutting down');
    await smtp.stop();
    await temporal.connection.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  createLogger('info').fatal({ err: err instanceof Error ? { message: err.message } : err }, 'smtp start-up failed');
  process.exit(1);
});
