// Durations written the way operators write them: 30s, 5m, 2h, 1500ms.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses one duration such as `30s` or `2h` into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}

/** Parses a comma-separated list of durations; every entry must be valid and there must be at least one. */
export function parseDurationList(text: string): { ok: true; valuesMs: number[] } | { ok: false; message: string } {
  const parts = text.split(',').map((p) => p.trim());
  const valuesMs: number[] = [];
  for (const part of parts) {
    const ms = parseDuration(part);
    if (ms === undefined) return { ok: false, message: `"${part}" is not a duration like 30s, 5m or 2h` };
    valuesMs.push(ms);
  }
  return { ok: true, valuesMs };
}
