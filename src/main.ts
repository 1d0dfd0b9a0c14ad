// `npm start`: Sendarix on embedded defaults in one process. Temporal's dev server (unless TEMPORAL_ADDRESS),
// PGlite under the data folder (unless DATABASE_URL), a sandbox SMTP server (unless SMTP_URL), the worker
// and the API.
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from './api/app';
import { markDraining } from './api/health';
import { loadConfig } from './config';
import { createLogger, type Logger } from './logger';
import {
  configuredRoutes,
  connectClient,
  createMessageWorker,
  createWebhookWorker,
  HTTP_DRAIN_TIMEOUT_MS,
  installTemporalRuntime,
  listen,
  openConfiguredDatabase,
  stopServer,
} from './runtime';
import { startSandboxSmtp } from './sandbox/sandbox-smtp';
import { generateSecret } from './services/api-keys';
import { startSmtpServices } from './smtp/services';
import { bootstrapProject } from './services/projects';
import { findTemporalCli } from './temporal/cli';
import { startDevServer } from './temporal/dev-server';
import { generateUnsubscribeSecret } from './unsubscribe/token';

type Stop = () => Promise<unknown> | unknown;

async function main(): Promise<void> {
  const loaded = loadConfig();
  // Unsubscribe links in sent mail must keep working across restarts, so a generated secret is kept on disk.
  const unsubscribeSecret = loaded.SENDARIX_UNSUBSCRIBE_SECRET
    ?? keptSecret(path.join(loaded.dataDir, 'unsubscribe-secret'), generateUnsubscribeSecret);
  const config = { ...loaded, SENDARIX_UNSUBSCRIBE_SECRET: unsubscribeSecret };
  const logger = createLogger(config.LOG_LEVEL);
  installTemporalRuntime(logger, config.SENDARIX_TEMPORAL_METRICS_PORT);
  const stops: Stop[] = [];
  const shutdown = onceShutdown(logger, stops);
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  let address = config.TEMPORAL_ADDRESS;
  let uiUrl = config.TEMPORAL_UI_URL;
  if (!address) {
    const server = await startDevServer({
      dataDir: path.join(config.dataDir, 'temporal'),
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      cliPath: findTemporalCli(config),
      namespace: config.TEMPORAL_NAMESPACE,
      logger: logger.child({ component: 'temporal-dev-server' }),
    });
    stops.unshift(() => server.stop());
    address = server.address;
    uiUrl = server.uiUrl;
  }

  let sandboxPort = config.SENDARIX_SANDBOX_SMTP_PORT;
  const sandboxDir = path.join(config.dataDir, 'sandbox');
  if (!config.SMTP_URL) {
    const sandbox = await startSandboxSmtp({ port: sandboxPort, dir: sandboxDir, logger: logger.child({ component: 'sandbox' }) });
    sandboxPort = sandbox.port;
    stops.unshift(() => sandbox.stop());
  }

  const database = await openConfiguredDatabase(config);
  stops.unshift(() => database.close());
  const apiKeyFile = path.join(config.dataDir, 'api-key');
  await bootstrapProject(database.prisma, {
    apiKey: config.SENDARIX_BOOTSTRAP_API_KEY ?? (config.DATABASE_URL ? undefined : localApiKey(apiKeyFile)),
    defaultFrom: config.SENDARIX_DEFAULT_FROM ?? `Sendarix Sandbox <sandbox@${config.SENDARIX_HOSTNAME}>`,
  });

  const temporal = await connectClient(address, config.TEMPORAL_NAMESPACE);
  stops.unshift(() => temporal.connection.close());
  const { routes, defaultRoute } = configuredRoutes(config, sandboxPort);
  const { worker, transports, connection, routeWorkers } = await createMessageWorker({ config, database, logger, address, routes, defaultRoute, temporal });
  await routeWorkers.start();
  const webhookWorker = await createWebhookWorker({ config, database, logger, connection });
  const running = Promise.all([worker.run(), webhookWorker.run()]);
  stops.unshift(async () => {
    // The SDK's own SIGTERM/SIGINT hook may have begun the shutdown already; a second call would throw.
    for (const w of [worker, webhookWorker]) if (w.getState() === 'RUNNING') w.shutdown();
    await routeWorkers.stop();
    await running;
    transports.close();
    await connection.close();
  });

  const app = createApp({ prisma: database.prisma, temporal, config, logger, temporalUiUrl: uiUrl });
  const server = await listen(app, config.PORT, config.HOST);
  stops.unshift(() => stopServer(server, HTTP_DRAIN_TIMEOUT_MS));
  const port = (server.address() as { port: number }).port;
  const smtp = await startSmtpServices({ prisma: database.prisma, temporal, config, logger }, { embedded: true });
  stops.unshift(() => smtp.stop());
  logger.info(
    {
      api_url: `http://${config.HOST}:${port}`,
      temporal_address: address,
      temporal_ui: uiUrl,
      database: database.kind,
      route: defaultRoute,
      sandbox_dir: config.SMTP_URL ? undefined : sandboxDir,
      api_key_file: config.SENDARIX_BOOTSTRAP_API_KEY || config.DATABASE_URL ? undefined : apiKeyFile,
      smtp_port: smtp.smtpPort,
      inbound_port: smtp.inboundPort,
    },
    'sendarix ready',
  );
  running.catch((err: unknown) => {
    logger.fatal({ err }, 'worker stopped unexpectedly');
    void shutdown();
  });
}

/** The embedded default's key: made once, kept in the data folder (mode 600), never logged. */
function localApiKey(file: string): string {
  return keptSecret(file, () => generateSecret('test'));
}

/** A secret made once and kept in `file` (mode 600); later starts read it back. */
function keptSecret(file: string, generate: () => string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = generate();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function onceShutdown(logger: Logger, stops: Stop[]) {
  let started = false;
  return async () => {
    if (started) return;
    started = true;
    logger.info({}, 'shutting down');
    markDraining();
    for (const stop of stops) {
      await Promise.resolve(stop()).catch((err: unknown) => logger.error({ err }, 'error during shutdown'));
    }
    process.exit(0);
  };
}


main().catch((err: unknown) => {
  const logger = createLogger('info');
  logger.fatal({ err: err instanceof Error ? { message: err.message, stack: err.stack } : err }, 'start-up failed');
  process.exit(1);
});
