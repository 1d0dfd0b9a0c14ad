// Health: the database answers a query and Temporal answers its health check, each within a bound.
import type { Connection } from '@temporalio/client';
import type { ApiDeps } from './deps';

const CHECK_TIMEOUT_MS = 2_000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);
}

export async function checkHealth({ prisma, temporal }: Pick<ApiDeps, 'prisma' | 'temporal'>) {
  const [database, temporalOk] = await Promise.all([
    within(prisma.$queryRaw`SELECT 1`, CHECK_TIMEOUT_MS).then(() => true, () => false),
    within(
      (temporal.connection as Connection).withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
        (temporal.connection as Connection).healthService.check({}),
      ),
      CHECK_TIMEOUT_MS,
    ).then(() => true, () => false),
  ]);
  return { ok: database && temporalOk, database: database ? 'ok' : 'unavailable', temporal: temporalOk ? 'ok' : 'unavailable' };
}
