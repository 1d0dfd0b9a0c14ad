// Applies and writes migrations with Prisma's own Wasm schema engine, so no native binary is needed.
// The `_prisma_migrations` table it keeps is the one `prisma migrate deploy` keeps.
import fs from 'node:fs';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type * as EngineModule from '@prisma/schema-engine-wasm';

export const PRISMA_DIR = path.resolve(__dirname, '../../prisma');
const FILTERS = { externalTables: [], externalEnums: [] };

type SchemaEngine = EngineModule.SchemaEngine;
let engineClass: typeof EngineModule.SchemaEngine | undefined;

async function loadEngineClass(): Promise<typeof EngineModule.SchemaEngine> {
  if (engineClass) return engineClass;
  // Node cannot import a .wasm module directly: instantiate it by hand and hand it to the bindings.
  const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bindings as never });
  const exports = instance.exports as { __wbindgen_start(): void };
  (bindings as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  engineClass = bindings.SchemaEngine as typeof EngineModule.SchemaEngine;
  return engineClass;
}

function readMigrations(prismaDir: string) {
  const migrationsDir = path.join(prismaDir, 'migrations');
  const folders = fs.existsSync(migrationsDir)
    ? fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: folders.map((folder) => ({
      path: folder,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: fs.readFileSync(path.join(migrationsDir, folder, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

async function withEngine<T>(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  prismaDir: string,
  run: (engine: SchemaEngine, schemaPath: string, schema: string) => Promise<T>,
): Promise<T> {
  const SchemaEngineClass = await loadEngineClass();
  const schemaPath = path.join(prismaDir, 'schema.prisma');
  const schema = fs.readFileSync(schemaPath, 'utf8');
  const engine = await SchemaEngineClass.new(
    { datamodels: [[schemaPath, schema]] } as never,
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  try {
    return await run(engine, schemaPath, schema);
  } finally {
    engine.free();
  }
}

/** Applies every committed migration not yet applied; returns the names it applied. */
export async function applyMigrations(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  prismaDir = PRISMA_DIR,
): Promise<string[]> {
  return withEngine(adapter, prismaDir, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: readMigrations(prismaDir), filters: FILTERS } as never);
    return result.appliedMigrationNames;
  });
}

/** SQL that takes the committed migrations to the current schema file (empty when they agree). */
export async function diffMigrationsToSchema(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  prismaDir = PRISMA_DIR,
): Promise<string> {
  return withEngine(adapter, prismaDir, async (engine, schemaPath, schema) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...readMigrations(prismaDir) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      shadowDatabaseUrl: null,
      filters: FILTERS,
    } as never);
    return (result as { stdout: string }).stdout;
  });
}
