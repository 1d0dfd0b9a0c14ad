// Event search and analytics at a million events. Makes a database of its own on a PostgreSQL server, migrates
// it, fills it with 100k messages and 1M events (10 per message: three projects 70/20/10 %, 90 % delivered, 5 %
// bounced, 3.5 % suppressed, 1 % cancelled, 0.5 % complained; routes 80/19/1 %; ~20k recipients plus a hot one;
// 30 days), then times the very statements the API runs and prints their EXPLAIN ANALYZE plans. The database is
// dropped at the end unless --keep is given.
//
//   npx tsx bench/events-million.ts [--url postgresql://sendarix:sendarix@127.0.0.1:5432/sendarix]
//                                   [--messages 100000] [--runs 5] [--out bench/results/events-million.md] [--keep]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client as PgClient } from 'pg';
import { Prisma } from '../generated/prisma/client';
import { eventStatsSql, messageStatsSql } from '../src/api/analytics/queries';
import type { AnalyticsRange } from '../src/api/analytics/schemas';
import { eventSearchSql, searchEvents, type EventFilter } from '../src/api/events/search';
import { openDatabase, type Db } from '../src/db/client';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_ROWS = 51;
const PROJECT = 'proj_bench_a';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgresql://sendarix:sendarix@127.0.0.1:5432/sendarix' },
    messages: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/results/events-million.md' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);

interface Scenario {
  name: string;
  sql: Prisma.Sql;
  run(): Promise<unknown[]>;
}

async function main(): Promise<void> {
  const admin = new URL(args.url as string);
  const dbName = `sendarix_bench_${Date.now().toString(36)}`;
  const url = new URL(admin.toString());
  url.pathname = `/${dbName}`;
  await adminQuery(admin, `CREATE DATABASE ${dbName}`);
  const database = await openDatabase({ url: url.toString(), migrate: true });
  const report: string[] = [`# Event search and analytics at ${Number(args.messages) * 10} events`, ''];
  try {
    const generatedMs = await timed(() => generateEvents(database.prisma, Number(args.messages)));
    const counts = await database.prisma.$queryRaw<{ events: number; messages: number }[]>`
      SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM messages) AS messages`;
    const took = `${(generatedMs / 1000).toFixed(1)} s`;
    report.push(`Generated ${counts[0]?.messages} messages and ${counts[0]?.events} events in ${took}.`, '');
    const scenarios = [...(await searchScenarios(database.prisma)), ...analyticsScenarios(database.prisma)];
    report.push('| scenario | rows | median ms | min ms | max ms |', '|---|---:|---:|---:|---:|');
    const plans: string[] = [];
    for (const s of scenarios) {
      let rows = 0;
      await s.run(); // warm the cache: the timings are of a running server, not a cold start
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await timed(async () => (rows = (await s.run()).length)));
      times.sort((a, b) => a - b);
      const ms = [median(times), times[0] ?? 0, times[times.length - 1] ?? 0].map((t) => t.toFixed(1));
      const line = `| ${s.name} | ${rows} | ${ms.join(' | ')} |`;
      report.push(line);
      console.log(line);
      plans.push(`## ${s.name}`, '', '```', await explain(database.prisma, s.sql), '```', '');
    }
    report.push('', ...plans);
  } finally {
    await database.close();
    if (args.keep) console.log(`kept database ${dbName}`);
    else await adminQuery(admin, `DROP DATABASE ${dbName}`);
  }
  fs.mkdirSync(path.dirname(args.out as string), { recursive: true });
  fs.writeFileSync(args.out as string, report.join('\n'));
  console.log(`plans written to ${args.out}`);
}

async function searchScenarios(prisma: Db): Promise<Scenario[]> {
  const [typical] = await prisma.$queryRaw<{ key: string }[]>`
    SELECT recipient_key AS key FROM messages WHERE project_id = ${PROJECT} AND recipient_key LIKE 'user%' LIMIT 1`;
  const [message] = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM messages WHERE project_id = ${PROJECT} LIMIT 1`;
  const now = Date.now();
  const day = (n: number) => new Date(now - n * DAY_MS);
  const filters: [string, Omit<EventFilter, 'projectId' | 'limit'>][] = [
    ['newest page, no filter', {}],
    ['page 15 days back (cursor)', { before: { createdAt: day(15), id: 'evt_m' } }],
    ['message_id', { messageId: message?.id }],
    ['recipient, typical', { recipientKey: typical?.key }],
    ['recipient, hot (~800 messages)', { recipientKey: 'hot@gmail.test' }],
    ['recipient, absent', { recipientKey: 'nobody@gmail.test' }],
    ['type delivered (common)', { type: 'delivered' }],
    ['type complained (rare)', { type: 'complained' }],
    ['type unsubscribed (absent)', { type: 'unsubscribed' }],
    ['route default (80 %)', { route: 'default' }],
    ['route relay-eu (19 %)', { route: 'relay-eu' }],
    ['route rare-route (1 %)', { route: 'rare-route' }],
    ['route absent', { route: 'nope' }],
    ['one day range', { from: day(10), to: day(9) }],
    ['type complained in one day', { type: 'complained', from: day(10), to: day(9) }],
    ['type bounced on rare-route', { type: 'bounced', route: 'rare-route' }],
  ];
  return filters.map(([name, f]) => {
    const filter = { ...f, projectId: PROJECT, limit: PAGE_ROWS };
    return { name: `events: ${name}`, sql: eventSearchSql(filter), run: () => searchEvents(prisma, filter) };
  });
}

function analyticsScenarios(prisma: Db): Scenario[] {
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const ranges: [string, AnalyticsRange][] = [
    ['30 days by day', { from: ago(30), to: now, granularity: 'day' }],
    ['one day by hour', { from: ago(10), to: ago(9), granularity: 'hour' }],
    ['30 days by day, by route', { from: ago(30), to: now, granularity: 'day', groupBy: 'route' }],
    ['7 days by day, by recipient domain', { from: ago(7), to: now, granularity: 'day', groupBy: 'recipient_domain' }],
  ];
  const scenario = (name: string, sql: Prisma.Sql): Scenario => ({
    name, sql, run: () => prisma.$queryRaw<unknown[]>(sql),
  });
  return ranges.flatMap(([name, range]) => [
    scenario(`analytics messages: ${name}`, messageStatsSql(PROJECT, range)),
    scenario(`analytics events: ${name}`, eventStatsSql(PROJECT, range)),
  ]);
}

/**
 * The data set, made in the database. Pseudo-random draws come from md5 of the row number, so every run (on
 * any connection of the pool) makes the same data.
 */
async function generateEvents(prisma: Db, messages: number): Promise<void> {
  const draw = (salt: string) => Prisma.sql`(('x' || substr(md5(i || ${salt}), 1, 8))::bit(32)::bigint / 4294967296.0)`;
  await prisma.$executeRaw`INSERT INTO projects (id, name)
    VALUES ('proj_bench_a', 'a'), ('proj_bench_b', 'b'), ('proj_bench_c', 'c')`;
  await prisma.$executeRaw`CREATE UNLOGGED TABLE bench_gen (i int, project_id text, id text, created_at timestamptz,
    local text, domain text, route text, status text, step_s float8)`;
  await prisma.$executeRaw`INSERT INTO bench_gen
    SELECT i,
      CASE WHEN i % 10 < 7 THEN 'proj_bench_a' WHEN i % 10 < 9 THEN 'proj_bench_b' ELSE 'proj_bench_c' END,
      'msg_' || substr(md5(i::text), 1, 26),
      now() - interval '30 days' + (i / ${messages}::float8) * interval '30 days',
      CASE WHEN i % 50 = 0 THEN 'hot' ELSE 'user' || ((i * 7919) % 20000) END,
      CASE WHEN r1 < 0.4 THEN 'gmail.test' WHEN r1 < 0.6 THEN 'outlook.test' ELSE 'd' || (i % 48) || '.test' END,
      CASE WHEN r2 < 0.8 THEN 'default' WHEN r2 < 0.99 THEN 'relay-eu' ELSE 'rare-route' END,
      CASE WHEN r3 < 0.9 THEN 'delivered' WHEN r3 < 0.95 THEN 'bounced' WHEN r3 < 0.985 THEN 'suppressed'
           WHEN r3 < 0.995 THEN 'cancelled' ELSE 'complained' END,
      20 + r4 * 120
    FROM (SELECT i, ${draw(':1')} r1, ${draw(':2')} r2, ${draw(':3')} r3, ${draw(':4')} r4
          FROM generate_series(1, ${messages}::int) i) s`;
  await prisma.$executeRaw`INSERT INTO messages (id, project_id, workflow_id, status, recipient, recipient_key,
      recipient_domain, sender, subject, content, tags, route, attempts, created_at, updated_at, completed_at)
    SELECT id, project_id, 'message-' || id, status, local || '@' || domain, local || '@' || domain, domain,
      'bench@sendarix.test', 'bench', '{}'::jsonb, '{}', route, 8, created_at, created_at,
      created_at + 9 * step_s * interval '1 second'
    FROM bench_gen`;
  // Ten events a message: queued, accepted, seven deferrals, then its outcome.
  await prisma.$executeRaw`INSERT INTO events (id, message_id, project_id, seq, type, data, created_at)
    SELECT 'evt_' || substr(g.id, 5) || '_' || s, g.id, g.project_id, s,
      CASE WHEN s = 0 THEN 'queued' WHEN s = 1 THEN 'accepted' WHEN s < 9 THEN 'deferred' ELSE g.status END,
      '{}'::jsonb, g.created_at + s * g.step_s * interval '1 second'
    FROM bench_gen g CROSS JOIN generate_series(0, 9) s`;
  await prisma.$executeRaw`DROP TABLE bench_gen`;
  await prisma.$executeRaw`ANALYZE`;
}

async function explain(prisma: Db, sql: Prisma.Sql): Promise<string> {
  const rows = await prisma.$queryRaw<Record<string, string>[]>`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`;
  return rows.map((r) => Object.values(r)[0]).join('\n');
}

async function adminQuery(url: URL, statement: string): Promise<void> {
  const client = new PgClient({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
