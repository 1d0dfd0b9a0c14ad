import type { EventStatsRow, MessageStatsRow } from './queries';
import { buildReport } from './report';
import type { AnalyticsRange } from './schemas';

const range: AnalyticsRange = {
  from: new Date('2026-04-19T10:15:00.000Z'),
  to: new Date('2026-04-19T13:00:00.000Z'),
  granularity: 'hour',
  groupBy: 'route',
};
const B11 = new Date('2026-04-19T11:00:00.000Z');

function messageRow(over: Partial<MessageStatsRow>): MessageStatsRow {
  return {
    bucket: null, grp: null, all_time: 1, all_groups: 1, messages: 0, queued: 0, scheduled: 0, sending: 0, deferred: 0,
    delivered: 0, bounced: 0, suppressed: 0, cancelled: 0, complained: 0, delivery_rate: null, bounce_rate: null,
    complaint_rate: null, latency_p50_ms: null, latency_p95_ms: null, latency_p99_ms: null, ...over,
  };
}
const eventRow = (over: Partial<EventStatsRow>): EventStatsRow => ({
  bucket: null, grp: null, all_time: 1, all_groups: 1, type: 'queued', events: 0, ...over,
});

describe('buildReport', () => {
  const messages = [
    messageRow({ messages: 3, delivered: 2, bounced: 1, delivery_rate: 2 / 3, latency_p50_ms: 120.4 }),
    messageRow({ bucket: B11, all_time: 0, messages: 3, delivered: 2, bounced: 1 }),
    messageRow({ grp: 'relay', all_groups: 0, messages: 2, delivered: 2 }),
    messageRow({ grp: null, all_groups: 0, messages: 1, bounced: 1 }),
    messageRow({ bucket: B11, grp: 'relay', all_time: 0, all_groups: 0, messages: 2, delivered: 2 }),
  ];
  const events = [
    eventRow({ type: 'delivered', events: 2 }),
    eventRow({ bucket: B11, all_time: 0, type: 'delivered', events: 2 }),
  ];
  const report = buildReport(range, messages, events);

  it('lists every bucket of the range from the one holding `from`, empty ones included', () => {
    expect(report.buckets.map((b) => b.start)).toEqual([
      '2026-04-19T10:00:00.000Z', '2026-04-19T11:00:00.000Z', '2026-04-19T12:00:00.000Z',
    ]);
    expect(report.buckets[0]).toMatchObject({ messages: 0, statuses: { delivered: 0 }, rates: { delivery: null } });
    expect(report.buckets[1]).toMatchObject({
      messages: 3, statuses: { delivered: 2, bounced: 1 }, events: { 'message.delivered': 2 },
    });
  });

  it('takes the totals from the row over all buckets and groups, latencies to the millisecond', () => {
    expect(report.totals).toMatchObject({ messages: 3, rates: { delivery: 2 / 3 }, latency_ms: { p50: 120 } });
    expect(report.totals.events).toMatchObject({ 'message.delivered': 2, 'message.queued': 0 });
  });

  it('lists groups by messages, a null key for messages without one, with their active buckets only', () => {
    const groups = 'groups' in report ? report.groups : [];
    expect(groups.map((g) => [g.key, g.totals.messages])).toEqual([['relay', 2], [null, 1]]);
    expect(groups[0]?.buckets.map((b) => b.start)).toEqual(['2026-04-19T11:00:00.000Z']);
    expect(groups[1]?.buckets).toEqual([]);
  });
});
