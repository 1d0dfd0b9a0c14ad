// Jest globalTeardown of the integration project: stops the dev server global-setup.ts started.
import { SHARED_TEMPORAL_KEY, type GlobalWithTemporal } from './global-setup';

/** Stops the shared server; a no-op when global setup failed before starting it. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as GlobalWithTemporal;
  const server = holder[SHARED_TEMPORAL_KEY];
  delete holder[SHARED_TEMPORAL_KEY];
  await server?.stop();
}
