// Command-line flags of `npm run bench`. Every duration and count has a full default (the figures in
// bench/RESULTS.md) and a `--quick` one for a smoke run of about a minute.
import { parseArgs } from 'node:util';
import type { BareShape } from '../bare/workflows';

export const SCENARIOS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface BenchOptions {
  runs: number;
  only: ScenarioId[];
  /** PostgreSQL role allowed to CREATE DATABASE; each run gets a fresh database on that server. */
  adminDatabaseUrl: string;
  p1RatePerS: number;
  p1DurationS: number;
  p2DurationS: number;
  p2WarmupS: number;
  /** Messages accepted, not yet delivered, that the generator allows: keeps the worker busy, bounds the drain. */
  p2Backlog: number;
  p3DurationS: number;
  p4RatePerS: number;
  p4DurationS: number;
  pending: number;
  p6RatePerS: number;
  p6DurationS: number;
  /** Activities per bare workflow: as many as a delivered message runs (check, route, record, attempt, record). */
  /** The bare workflow's activities, and how many of the first ones run as local activities. */
  bareActivities: BareShape;
  /** Extra `KEY=VALUE` environment for the Sendarix worker and the bare worker (tuning experiments). */
  workerEnv: Record<string, string>;
  /** Writes CPU profiles of the API and worker processes into bench/results/profiles. */
  profile: boolean;
  logLevel: string;
  quick: boolean;
}

const FULL = { runs: 3, p1: 30, p2: 60, p2Warmup: 15, p3: 30, p4: 30, pending: 100_000, p6: 30 };
const QUICK = { runs: 1, p1: 5, p2: 10, p2Warmup: 5, p3: 4, p4: 6, pending: 1_000, p6: 5 };

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      'database-url': { type: 'string', default: 'postgresql://sendarix:sendarix@127.0.0.1:5432/sendarix' },
      'p1-rate': { type: 'string', default: '100' },
      'p1-duration': { type: 'string' },
      'p2-duration': { type: 'string' },
      'p2-warmup': { type: 'string' },
      'p2-backlog': { type: 'string', default: '100' },
      'p3-duration': { type: 'string' },
      'p4-rate': { type: 'string', default: '10' },
      'p4-duration': { type: 'string' },
      pending: { type: 'string' },
      'p6-rate': { type: 'string', default: '100' },
      'p6-duration': { type: 'string' },
      'bare-activities': { type: 'string', default: '2' },
      'bare-local': { type: 'string', default: '0' },
      'worker-env': { type: 'string', multiple: true, default: [] },
      profile: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
    },
  });
  const d = values.quick ? QUICK : FULL;
  const num = (flag: string | undefined, fallback: number) => {
    const n = flag === undefined ? fallback : Number(flag);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${flag}`);
    return n;
  };
  const only = values.only ? values.only.split(',').map((s) => s.trim().toUpperCase()) : [...SCENARIOS];
  for (const id of only) if (!(SCENARIOS as readonly string[]).includes(id)) throw new Error(`unknown scenario ${id}`);
  const workerEnv = Object.fromEntries(
    (values['worker-env'] as string[]).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--worker-env takes KEY=VALUE, not ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  return {
    runs: num(values.runs, d.runs),
    only: only as ScenarioId[],
    adminDatabaseUrl: values['database-url'] as string,
    p1RatePerS: num(values['p1-rate'], 100),
    p1DurationS: num(values['p1-duration'], d.p1),
    p2DurationS: num(values['p2-duration'], d.p2),
    p2WarmupS: num(values['p2-warmup'], d.p2Warmup),
    p2Backlog: num(values['p2-backlog'], 100),
    p3DurationS: num(values['p3-duration'], d.p3),
    p4RatePerS: num(values['p4-rate'], 10),
    p4DurationS: num(values['p4-duration'], d.p4),
    pending: num(values.pending, d.pending),
    p6RatePerS: num(values['p6-rate'], 100),
    p6DurationS: num(values['p6-duration'], d.p6),
    bareActivities: [num(values['bare-activities'], 2), bareLocal(values['bare-local'])],
    workerEnv,
    profile: values.profile as boolean,
    logLevel: values['log-level'] as string,
    quick: values.quick as boolean,
  };
}

function bareLocal(flag: string | undefined): number {
  const n = Number(flag ?? 0);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--bare-local takes a count, not ${flag}`);
  return n;
}
