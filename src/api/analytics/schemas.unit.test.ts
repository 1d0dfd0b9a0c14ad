import { analyticsQuerySchema, analyticsRange, bucketStart, MAX_BUCKETS } from './schemas';

const NOW = new Date('2026-04-19T14:30:00.000Z');
const parse = (query: Record<string, string>) => analyticsQuerySchema.parse(query);

describe('analyticsRange', () => {
  it('defaults to the last 24 hours by the hour and the last 7 days by the day, ending now', () => {
    const hour = analyticsRange(parse({ granularity: 'hour' }), NOW);
    const from = new Date('2026-04-18T14:30:00.000Z');
    expect(hour).toEqual({ ok: true, range: { from, to: NOW, granularity: 'hour', groupBy: undefined } });
    const day = analyticsRange(parse({}), NOW);
    expect(day.ok && day.range).toMatchObject({ from: new Date('2026-04-12T14:30:00.000Z'), granularity: 'day' });
  });

  it('refuses an empty or inverted range', () => {
    const to = '2026-04-19T00:00:00Z';
    for (const from of [to, '2026-04-20T00:00:00Z']) {
      const error = expect.objectContaining({ field: 'from', code: 'invalid_range' });
      expect(analyticsRange(parse({ from, to }), NOW)).toEqual({ ok: false, errors: [error] });
    }
  });

  it(`allows ${MAX_BUCKETS} buckets and refuses one more`, () => {
    const to = '2026-04-19T00:00:00.000Z';
    const from = (hours: number) => new Date(Date.parse(to) - hours * 3_600_000).toISOString();
    expect(analyticsRange(parse({ from: from(MAX_BUCKETS), to, granularity: 'hour' }), NOW).ok).toBe(true);
    const over = analyticsRange(parse({ from: from(MAX_BUCKETS + 1), to, granularity: 'hour' }), NOW);
    expect(over).toEqual({ ok: false, errors: [expect.objectContaining({ code: 'range_too_large' })] });
  });

  it('reads offsets other than Z as the instant they name', () => {
    const query = { from: '2026-04-19T02:00:00+02:00', to: '2026-04-19T03:00:00+02:00', granularity: 'hour' };
    const r = analyticsRange(parse(query), NOW);
    expect(r.ok && r.range.from.toISOString()).toBe('2026-04-19T00:00:00.000Z');
  });
});

describe('bucketStart', () => {
  it('aligns hours and days on UTC', () => {
    expect(bucketStart(new Date('2026-04-19T14:30:05.123Z'), 'hour').toISOString()).toBe('2026-04-19T14:00:00.000Z');
    expect(bucketStart(new Date('2026-04-19T23:59:59.999Z'), 'day').toISOString()).toBe('2026-04-19T00:00:00.000Z');
  });
});
