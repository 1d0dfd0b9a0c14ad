// Health: liveness is the process serving at all; readiness is the database answering a query and Temporal its
// health check, each within a bound, and the process not shutting down.
import type { Connection } from '@temporalio/client';
import type { Db } from '../db/client';
import type { ApiDeps } from './deps';

const CHECK_TIMEOUT_MS = 2_000;

let draining = false;

/** Marks this process as stopping: readiness answers 503 from now on, so that load balancers stop sending to it. */
export function markDraining(): void {
  draining = true;
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);
}

/** True when the database answers `SELECT 1` within the bound. */
export function databaseAnswers(prisma: Db): Promise<boolean> {
  return within(prisma.$queryRaw`SELECT 1`, CHECK_TIMEOUT_MS).then(() => true, () => false);
}

export async function checkHealth({ prisma, temporal }: Pick<ApiDeps, 'prisma' | 'temporal'>) {
  const [database, temporalOk] = await Promise.all([
    databaseAnswers(prisma),
    within(
      (temporal.connection as Connection).withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
        (temporal.connection as Connection).healthService.check({}),
      ),
      CHECK_TIMEOUT_MS,
    ).then(() => true, () => false),
  ]);
  return {
    ok: database && temporalOk && !draining,
    database: database ? 'ok' : 'unavailable',
    temporal: temporalOk ? 'ok' : 'unavailable',
    ...(draining ? { draining: true } : {}),
  };
}
