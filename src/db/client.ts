// Opens the database: real PostgreSQL when DATABASE_URL is set, else PGlite in-process under the data folder.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client';
import { applyMigrations } from './migrate';

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  kind: 'postgresql' | 'pglite';
  close(): Promise<void>;
}

/**
 * Options: `url` for PostgreSQL, otherwise `pgliteDir` (a folder, or `memory://`). PGlite is migrated unless
 * `migrate` is false; PostgreSQL only when `migrate` is true (there `npm run migrate` is the usual way).
 */
export interface OpenDatabaseOptions {
  url?: string;
  pgliteDir?: string;
  migrate?: boolean;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.url) {
    if (opts.migrate) await applyMigrations(pgMigrationAdapter(opts.url));
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: opts.url }) });
    return { prisma, kind: 'postgresql', close: () => prisma.$disconnect() };
  }
  const dir = opts.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(dir), { recursive: true });
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  if (opts.migrate !== false) await applyMigrations(new PrismaPGlite(pglite));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: 'pglite',
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/**
 * adapter-pg opens its shadow database by spreading its config with another database name, and a
 * connection string would override that name; discrete fields keep the two apart.
 */
export function pgMigrationAdapter(url: string): PrismaPg {
  const u = new URL(url);
  return new PrismaPg({
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1) || 'postgres',
  });
}
