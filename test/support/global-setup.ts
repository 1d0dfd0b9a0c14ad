// Jest globalSetup of the integration project: one in-memory Temporal dev server shared by every test file,
// because a server per file would add about a second of start-up to each and run several servers at once.
import pino from 'pino';
import { findTemporalCli } from '../../src/temporal/cli';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

/** Where global-teardown.ts finds the server; jest runs both in its parent process. */
export const SHARED_TEMPORAL_KEY = '__sendarixTestTemporal';

export type GlobalWithTemporal = typeof globalThis & { [SHARED_TEMPORAL_KEY]?: DevServer };

/** Starts the shared server and publishes its address to the test files as SENDARIX_TEST_TEMPORAL_ADDRESS. */
export default async function globalSetup(): Promise<void> {
  const cliPath = findTemporalCli({
    TEMPORAL_CLI: process.env.TEMPORAL_CLI,
    HOME: process.env.HOME,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
  });
  if (!cliPath) {
    throw new Error(
      'integration tests need the Temporal CLI: run `npm run setup:temporal` (builds it with Go into the cache) ' +
        'or point TEMPORAL_CLI at a `temporal` binary',
    );
  }
  const logger = pino({ level: 'warn', base: { component: 'test-temporal' } }, pino.destination({ fd: 2, sync: true }));
  const server = await startDevServer({ cliPath, uiPort: false, logger });
  (globalThis as GlobalWithTemporal)[SHARED_TEMPORAL_KEY] = server;
  process.env.SENDARIX_TEST_TEMPORAL_ADDRESS = server.address;
}
