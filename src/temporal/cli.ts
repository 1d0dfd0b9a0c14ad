// Locates the Temporal CLI binary (dev server + UI) that scripts/setup-temporal.sh builds, without building it.
import fs from 'node:fs';
import path from 'node:path';

/** The CLI release scripts/setup-temporal.sh builds; later tags of its Go module do not `go install`. */
export const TEMPORAL_CLI_VERSION = '1.5.1';

/** The variables the lookup depends on; the config module passes them, so this module never reads process.env. */
export interface TemporalCliEnv {
  TEMPORAL_CLI?: string;
  HOME?: string;
  XDG_CACHE_HOME?: string;
}

/** Folder the setup script builds into: `${XDG_CACHE_HOME:-$HOME/.cache}/sendarix/temporal-cli-<version>`. */
export function temporalCliCacheDir(env: TemporalCliEnv): string | undefined {
  const cacheRoot = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return cacheRoot ? path.join(cacheRoot, 'sendarix', `temporal-cli-${TEMPORAL_CLI_VERSION}`) : undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Path of a usable `temporal` binary: $TEMPORAL_CLI when it is an executable file, else the setup script's cache.
 * Undefined means none is installed here: callers then fall back to the SDK's own download of the dev server.
 */
export function findTemporalCli(env: TemporalCliEnv): string | undefined {
  if (env.TEMPORAL_CLI && isExecutableFile(env.TEMPORAL_CLI)) return path.resolve(env.TEMPORAL_CLI);
  const cacheDir = temporalCliCacheDir(env);
  if (cacheDir) {
    const cached = path.join(cacheDir, 'temporal');
    if (isExecutableFile(cached)) return cached;
  }
  return undefined;
}
