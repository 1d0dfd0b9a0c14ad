// `npm run migrate` applies committed migrations to DATABASE_URL (or the embedded database); `npm run migrate:new NAME` writes a new
// migration from the schema file, computed on an in-memory PGlite (no database server needed).
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { loadConfig } from '../src/config';
import { openDatabase, pgMigrationAdapter } from '../src/db/client';
import { applyMigrations, diffMigrationsToSchema, PRISMA_DIR } from '../src/db/migrate';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'deploy') {
    const config = loadConfig();
    if (config.DATABASE_URL) {
      console.log(JSON.stringify({ applied: await applyMigrations(pgMigrationAdapter(config.DATABASE_URL)) }));
      return;
    }
    // Without DATABASE_URL: the embedded database in the data folder (what `npm start` does at start-up).
    const database = await openDatabase({ pgliteDir: path.join(config.dataDir, 'pglite') });
    await database.close();
    console.log(JSON.stringify({ applied: 'embedded database in ' + config.dataDir + ' is up to date' }));
    return;
  }
  if (command === 'new') {
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: npm run migrate:new -- <snake_case_name>');
    const pglite = new PGlite('memory://');
    try {
      const sql = await diffMigrationsToSchema(new PrismaPGlite(pglite));
      if (!sql.trim() || /empty migration/i.test(sql)) {
        console.log('no changes');
        return;
      }
      const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
      const folder = path.join(PRISMA_DIR, 'migrations', `${stamp}_${name}`);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'migration.sql'), sql);
      console.log(`wrote ${folder}`);
    } finally {
      await pglite.close();
    }
    return;
  }
  throw new Error('usage: migrate.ts deploy | new <name>');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
