// Rate-limit counters in PostgreSQL, shared by every Sendarix process on the database: rate-limiter-flexible's
// RateLimiterPostgres over a small pg pool of its own. The table is made by the rate_limits migration (the
// limiter is told it exists and never runs DDL). Every limiter keeps one row per key and window, upserted in
// one statement, so concurrent processes never lose a count.
import { Pool } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Logger } from '../logger';
import type { LimiterStore } from './limiter-store';

export const RATE_LIMIT_TABLE = 'rate_limits';
/** A request holds a connection for two short statements at most; a handful serves thousands a second. */
const POOL_MAX_CONNECTIONS = 5;
/** A server that does not answer fails the request (503) after this long instead of holding it. */
const CONNECT_TIMEOUT_MS = 5_000;
const STATEMENT_TIMEOUT_MS = 5_000;
const IDLE_CONNECTION_MS = 30_000;

export function postgresLimiterStore(url: string, logger: Logger): LimiterStore {
  const pool = new Pool({
    connectionString: url,
    max: POOL_MAX_CONNECTIONS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_CONNECTION_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'sendarix-rate-limits',
  });
  // A pooled connection the server dropped while idle is discarded by the pool; unlistened, its error would end
  // the process. The next request then meets the outage itself and answers 503.
  pool.on('error', (err) => logger.warn({ err: { message: err.message } }, 'rate-limit store connection lost'));
  const limiters = new Map<string, RateLimiterPostgres>();
  return {
    kind: 'postgresql',
    limiter(name, points, windowSeconds) {
      const id = `${name}/${points}/${windowSeconds}`;
      const limiter = limiters.get(id) ?? new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix: name,
        points,
        duration: windowSeconds,
        // Every 5 minutes (an unref'd timer) deletes the rows whose window ended over an hour ago.
        clearExpiredByTimeout: true,
      });
      limiters.set(id, limiter);
      return limiter;
    },
    close: () => pool.end(),
  };
}
