// Turns the grouping-set rows into the report: totals, one entry per bucket (every bucket of the range, empty
// ones too, so a chart needs no gap filling) and, when grouped, each group's totals and its buckets with activity.
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/event-types';
import type { MessageStatus } from '../../workflows/definitions';
import type { EventStatsRow, MessageStatsRow } from './queries';
import { bucketStart, GRANULARITY_MS, type AnalyticsRange } from './schemas';

const STATUSES: readonly MessageStatus[] = [
  'queued', 'scheduled', 'sending', 'deferred', 'delivered', 'bounced', 'suppressed', 'cancelled', 'complained',
];

export interface Summary {
  messages: number;
  statuses: Record<MessageStatus, number>;
  events: Record<string, number>;
  rates: { delivery: number | null; bounce: number | null; complaint: number | null };
  latency_ms: { p50: number | null; p95: number | null; p99: number | null };
}

type Row = { bucket: Date | null; grp: string | null; all_time: number; all_groups: number };

/** `<bucket or *>|<=group or *>`: one key per grouping set row. */
function keyOf(r: Row): string {
  const bucket = r.all_time ? '*' : (r.bucket as Date).toISOString();
  return `${bucket}|${r.all_groups ? '*' : `=${r.grp ?? ''}`}`;
}

function emptySummary(): Summary {
  return {
    messages: 0,
    statuses: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<MessageStatus, number>,
    events: Object.fromEntries(WEBHOOK_EVENT_TYPES.map((t) => [t, 0])),
    rates: { delivery: null, bounce: null, complaint: null },
    latency_ms: { p50: null, p95: null, p99: null },
  };
}

export function buildReport(range: AnalyticsRange, messages: MessageStatsRow[], events: EventStatsRow[]) {
  const summaries = new Map<string, { row: Row; summary: Summary }>();
  const entry = (row: Row) => {
    const key = keyOf(row);
    let found = summaries.get(key);
    if (!found) summaries.set(key, (found = { row, summary: emptySummary() }));
    return found.summary;
  };
  for (const m of messages) {
    const s = entry(m);
    s.messages = m.messages;
    for (const status of STATUSES) s.statuses[status] = m[status];
    s.rates = { delivery: m.delivery_rate, bounce: m.bounce_rate, complaint: m.complaint_rate };
    s.latency_ms = { p50: rounded(m.latency_p50_ms), p95: rounded(m.latency_p95_ms), p99: rounded(m.latency_p99_ms) };
  }
  for (const e of events) entry(e).events[`message.${e.type}`] = e.events;

  const totals = summaries.get('*|*')?.summary ?? emptySummary();
  const buckets = bucketStarts(range).map((start) => ({
    start: start.toISOString(),
    ...(summaries.get(`${start.toISOString()}|*`)?.summary ?? emptySummary()),
  }));
  const report = {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    granularity: range.granularity,
    group_by: range.groupBy ?? null,
    totals,
    buckets,
  };
  return range.groupBy ? { ...report, groups: groupsOf(summaries) } : report;
}

interface Group {
  key: string | null;
  totals: Summary;
  buckets: ({ start: string } & Summary)[];
}

function groupsOf(summaries: Map<string, { row: Row; summary: Summary }>) {
  const groups = new Map<string | null, Group>();
  const group = (key: string | null) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, totals: emptySummary(), buckets: [] }));
    return g;
  };
  for (const { row, summary } of summaries.values()) {
    if (row.all_groups) continue;
    if (row.all_time) group(row.grp).totals = summary;
    else group(row.grp).buckets.push({ start: (row.bucket as Date).toISOString(), ...summary });
  }
  const list = [...groups.values()];
  for (const g of list) g.buckets.sort((a, b) => a.start.localeCompare(b.start));
  return list.sort((a, b) => b.totals.messages - a.totals.messages || String(a.key).localeCompare(String(b.key)));
}

function bucketStarts({ from, to, granularity }: AnalyticsRange): Date[] {
  const starts: Date[] = [];
  for (let t = bucketStart(from, granularity).getTime(); t < to.getTime(); t += GRANULARITY_MS[granularity]) {
    starts.push(new Date(t));
  }
  return starts;
}

/** Latencies to the millisecond: percentile_cont interpolates, and a fraction of a millisecond says nothing. */
function rounded(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms);
}
