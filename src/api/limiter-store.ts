// Where the rate-limit counters of the HTTP API and the SMTP relay live. Embedded PGlite serves one process, so
// its counters stay in that process's memory; on PostgreSQL every process counts in the database
// (limiter-store-postgres.ts), so N processes behind a load balancer share one budget instead of granting N×.
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DependencyUnavailable } from '../errors';

export interface LimiterStore {
  readonly kind: 'memory' | 'postgresql';
  /**
   * A limiter of `points` per fixed window of `windowSeconds`. Limiters of the same name count together: within
   * the process for memory, across every process on the database for PostgreSQL.
   */
  limiter(name: string, points: number, windowSeconds: number): RateLimiterAbstract;
  close(): Promise<void>;
}

export function memoryLimiterStore(): LimiterStore {
  const limiters = new Map<string, RateLimiterMemory>();
  return {
    kind: 'memory',
    limiter(name, points, windowSeconds) {
      const id = `${name}/${points}/${windowSeconds}`;
      const limiter = limiters.get(id) ?? new RateLimiterMemory({ keyPrefix: name, points, duration: windowSeconds });
      limiters.set(id, limiter);
      return limiter;
    },
    close: async () => undefined,
  };
}

let processStore: LimiterStore | undefined;

/** Makes `store` the one that limiters made from now on in this process count in. */
export function useLimiterStore(store: LimiterStore): void {
  processStore = store;
}

/** The process's limiter store: memory until useLimiterStore() chose another. */
export function limiterStore(): LimiterStore {
  processStore ??= memoryLimiterStore();
  return processStore;
}

/** The outcome of one consumed point: `over` once the window's budget is spent. */
export interface Consumed {
  res: RateLimiterRes;
  over: boolean;
}

/**
 * Consumes one point of `key`. rate-limiter-flexible rejects with a RateLimiterRes past the budget (that is an
 * answer, not a failure) and with the driver's own Error when the store does not answer: that one becomes
 * DependencyUnavailable, which the API answers 503 and the relay 454.
 */
export async function consumePoint(limiter: RateLimiterAbstract, key: string): Promise<Consumed> {
  try {
    return { res: await limiter.consume(key), over: false };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { res: rejection, over: true };
    throw new DependencyUnavailable('database', rejection);
  }
}

/** The points `key` has consumed in its current window (null when none), without consuming one. */
export async function consumedSoFar(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
  try {
    return await limiter.get(key);
  } catch (err) {
    throw new DependencyUnavailable('database', err);
  }
}
