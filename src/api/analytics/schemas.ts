// Query of GET /v1/analytics, and the range it comes to once defaults are applied.
import { z } from 'zod';
import type { FieldError } from '../../errors';

export const GRANULARITY_MS = { hour: 60 * 60 * 1000, day: 24 * 60 * 60 * 1000 } as const;
export type Granularity = keyof typeof GRANULARITY_MS;
export type GroupBy = 'route' | 'recipient_domain';

/** Default span when `from` is absent: a day of hours, or a week of days. */
const DEFAULT_SPAN_MS: Record<Granularity, number> = { hour: 24 * GRANULARITY_MS.hour, day: 7 * GRANULARITY_MS.day };
/** Buckets one report may hold (31 days by the hour, or nearly three years by the day). */
export const MAX_BUCKETS = 1_000;

const instant = (what: string) =>
  z.iso.datetime({ offset: true }).optional().describe(`${what}: ISO 8601 instant with offset (Z or ±hh:mm)`);

export const analyticsQuerySchema = z
  .object({
    from: instant('Start of the range, inclusive (default: 24 h or 7 days before `to`)'),
    to: instant('End of the range, exclusive (default: now)'),
    granularity: z.enum(['hour', 'day']).default('day').describe('Bucket size; buckets are aligned on UTC'),
    group_by: z.enum(['route', 'recipient_domain']).optional().describe('Also break the figures down by this'),
  })
  .strict();

export interface AnalyticsRange {
  from: Date;
  to: Date;
  granularity: Granularity;
  groupBy?: GroupBy;
}

/** Applies the defaults and checks the range; answers field errors when it is inverted or too long. */
export function analyticsRange(
  q: z.infer<typeof analyticsQuerySchema>,
  now = new Date(),
): { ok: true; range: AnalyticsRange } | { ok: false; errors: FieldError[] } {
  const to = q.to === undefined ? now : new Date(q.to);
  const from = q.from === undefined ? new Date(to.getTime() - DEFAULT_SPAN_MS[q.granularity]) : new Date(q.from);
  if (from.getTime() >= to.getTime()) {
    return { ok: false, errors: [{ field: 'from', code: 'invalid_range', message: 'from must be before to' }] };
  }
  const spanMs = to.getTime() - bucketStart(from, q.granularity).getTime();
  const buckets = Math.ceil(spanMs / GRANULARITY_MS[q.granularity]);
  if (buckets > MAX_BUCKETS) {
    const message = `the range holds ${buckets} ${q.granularity} buckets; at most ${MAX_BUCKETS} are allowed`;
    return { ok: false, errors: [{ field: 'from', code: 'range_too_large', message }] };
  }
  return { ok: true, range: { from, to, granularity: q.granularity, groupBy: q.group_by } };
}

/** The UTC-aligned start of the bucket holding `t`, as date_trunc(unit, t, 'UTC') computes it. */
export function bucketStart(t: Date, granularity: Granularity): Date {
  const size = GRANULARITY_MS[granularity];
  return new Date(Math.floor(t.getTime() / size) * size);
}
