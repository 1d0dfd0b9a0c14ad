// The volume chart: one stacked bar per bucket (messages by outcome, left axis) and the delivery rate as a line
// with points (right axis, 0–100 %). Plain SVG built element by element; colours come from app.css classes.
import { el, svg } from './dom.js';

const WIDTH = 880;
const HEIGHT = 280;
const MARGIN = { top: 18, right: 54, bottom: 38, left: 50 };
const Y_TICKS = 4;
const MAX_X_LABELS = 8;

/** Bottom to top; `other` is what is still on its way (queued, sending, deferred) or cancelled. */
export const SERIES = [
  { key: 'delivered', label: 'Delivered' },
  { key: 'complained', label: 'Complained' },
  { key: 'bounced', label: 'Bounced' },
  { key: 'suppressed', label: 'Suppressed' },
  { key: 'other', label: 'In flight / cancelled' },
];

function values(bucket) {
  const s = bucket.statuses;
  const known = s.delivered + s.complained + s.bounced + s.suppressed;
  return {
    delivered: s.delivered, complained: s.complained, bounced: s.bounced, suppressed: s.suppressed,
    other: bucket.messages - known,
  };
}

/** Smallest 1/2/5 × 10^k step (at least 1) that fits `max` into Y_TICKS steps. */
function niceStep(max) {
  const raw = Math.max(1, max / Y_TICKS);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

function bucketLabel(start, granularity) {
  const d = new Date(start);
  return granularity === 'hour'
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function volumeChart(report) {
  const { buckets, granularity } = report;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const bottom = MARGIN.top + plotH;
  const step = niceStep(Math.max(0, ...buckets.map((b) => b.messages)));
  const top = step * Y_TICKS;
  const slot = plotW / Math.max(1, buckets.length);
  const barW = Math.max(2, slot * 0.68);
  const y = (count) => bottom - (count / top) * plotH;
  const yRate = (rate) => bottom - rate * plotH;
  const xMid = (i) => MARGIN.left + slot * i + slot / 2;

  const chart = svg('svg', {
    class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img',
    'aria-label': 'Messages by outcome and delivery rate',
  });
  for (let t = 0; t <= Y_TICKS; t++) {
    const gy = y(step * t);
    chart.append(
      svg('line', { class: 'grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: gy, y2: gy }),
      svg('text', { class: 'axis-label', x: MARGIN.left - 8, y: gy + 4, 'text-anchor': 'end' }, String(step * t)),
      svg('text', { class: 'axis-label rate-label', x: WIDTH - MARGIN.right + 8, y: gy + 4 },
        `${(t * 100) / Y_TICKS}%`),
    );
  }

  const labelEvery = Math.ceil(buckets.length / MAX_X_LABELS);
  const points = [];
  buckets.forEach((bucket, i) => {
    const v = values(bucket);
    const label = bucketLabel(bucket.start, granularity);
    let base = 0;
    for (const series of SERIES) {
      const count = v[series.key];
      if (count <= 0) continue;
      chart.append(svg('rect', {
        class: `bar bar-${series.key}`, x: xMid(i) - barW / 2, width: barW,
        y: y(base + count), height: y(base) - y(base + count),
      }, svg('title', {}, `${label}: ${count} ${series.label.toLowerCase()}`)));
      base += count;
    }
    const rate = bucket.rates.delivery;
    if (rate !== null) points.push({ x: xMid(i), y: yRate(rate), label, rate });
    if (i % labelEvery === 0) {
      chart.append(svg('text', { class: 'axis-label', x: xMid(i), y: bottom + 20, 'text-anchor': 'middle' }, label));
    }
  });

  if (points.length > 1) {
    chart.append(svg('polyline', { class: 'rate-line', points: points.map((p) => `${p.x},${p.y}`).join(' ') }));
  }
  for (const p of points) {
    chart.append(svg('circle', { class: 'rate-point', cx: p.x, cy: p.y, r: 4 },
      svg('title', {}, `${p.label}: ${(p.rate * 100).toFixed(1)} % delivered`)));
  }
  if (buckets.every((b) => b.messages === 0)) {
    const centre = { x: MARGIN.left + plotW / 2, y: MARGIN.top + plotH / 2 };
    const text = 'No messages in this period';
    chart.append(svg('text', { class: 'empty-label', ...centre, 'text-anchor': 'middle' }, text));
  }
  chart.append(svg('line', { class: 'axis', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: bottom, y2: bottom }));
  return chart;
}

export function chartLegend() {
  return el('ul', { class: 'legend' },
    SERIES.map((s) => el('li', {}, el('span', { class: `swatch bar-${s.key}` }), s.label)),
    el('li', {}, el('span', { class: 'swatch swatch-line' }), 'Delivery rate'));
}
