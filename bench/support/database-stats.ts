// Reads the run's PostgreSQL database from the side: how many messages are still on their way, and PostgreSQL's
// own counters of transactions and row writes per table (to say how many writes one delivered message costs).
import { Client as PgClient } from 'pg';
import { sleep } from './stats';

/** PostgreSQL publishes a backend's counters within about a second of its transaction. */
const STATS_FLUSH_MS = 1_500;
const DRAIN_POLL_MS = 250;

export interface DbCounters {
  transactions: number;
  /** Rows inserted / updated / deleted, per table. */
  tables: Record<string, { inserted: number; updated: number; deleted: number }>;
}

async function withClient<T>(url: string, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function readCounters(url: string): Promise<DbCounters> {
  await sleep(STATS_FLUSH_MS);
  return withClient(url, async (c) => {
    const db = await c.query<{ xact_commit: string }>(
      'SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()',
    );
    const rows = await c.query<{ relname: string; ins: string; upd: string; del: string }>(
      'SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del FROM pg_stat_user_tables',
    );
    const tables: DbCounters['tables'] = {};
    for (const r of rows.rows)
      tables[r.relname] = { inserted: Number(r.ins), updated: Number(r.upd), deleted: Number(r.del) };
    return { transactions: Number(db.rows[0]?.xact_commit ?? 0), tables };
  });
}

/** Per-message difference of two readings, keeping only tables that were written. */
export function perMessage(before: DbCounters, after: DbCounters, messages: number) {
  const tables: Record<string, { inserted: number; updated: number; deleted: number }> = {};
  let writes = 0;
  for (const [name, t] of Object.entries(after.tables)) {
    const b = before.tables[name] ?? { inserted: 0, updated: 0, deleted: 0 };
    const d = {
      inserted: (t.inserted - b.inserted) / messages,
      updated: (t.updated - b.updated) / messages,
      deleted: (t.deleted - b.deleted) / messages,
    };
    if (d.inserted + d.updated + d.deleted > 0) {
      tables[name] = d;
      writes += d.inserted + d.updated + d.deleted;
    }
  }
  return { transactions: (after.transactions - before.transactions) / messages, rowWrites: writes, tables };
}

/** Waits until no message is queued, sending or deferred (scheduled ones may wait). */
export async function waitForDrain(url: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  return withClient(url, async (c) => {
    for (;;) {
      const res = await c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM messages WHERE status IN ('queued', 'sending', 'deferred')",
      );
      const n = res.rows[0]?.n ?? 0;
      if (n === 0 || Date.now() > deadline) return n;
      await sleep(DRAIN_POLL_MS);
    }
  });
}
