// Figures a fault test measured: printed, and kept as JSON under .test-artifacts/faults/ for the report.
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '../../../.test-artifacts/faults');

export function reportFigures(id: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(DIR, { recursive: true });
  const line = JSON.stringify({ id, at: new Date().toISOString(), ...figures });
  fs.appendFileSync(path.join(DIR, `${id}.ndjson`), `${line}\n`);
  process.stderr.write(`[fault ${id}] ${line}\n`);
}

/** How many times each key occurs. */
export function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
