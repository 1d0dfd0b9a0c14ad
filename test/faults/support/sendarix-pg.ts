// The integration harness's Sendarix (src/main.ts in one process, the shared Temporal dev server) on a fresh
// PostgreSQL database of its own, for fault tests that need real concurrency in the database.
import { startSendarix, type SendarixProcess, type StartOptions } from '../../support/sendarix';
import { createTestDatabase, type TestDatabase } from './postgres';

export interface SendarixOnPostgres {
  sx: SendarixProcess;
  db: TestDatabase;
  stop(): Promise<void>;
}

export async function startSendarixOnPostgres(opts: StartOptions): Promise<SendarixOnPostgres> {
  const db = await createTestDatabase();
  const env = { DATABASE_URL: db.url, ...opts.env };
  const sx = await startSendarix({ ...opts, env }).catch(async (err: unknown) => {
    await db.drop();
    throw err;
  });
  return {
    sx,
    db,
    stop: async () => {
      await sx.stop();
      await db.drop().catch(() => undefined);
    },
  };
}
