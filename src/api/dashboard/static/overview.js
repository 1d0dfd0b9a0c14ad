// The overview: headline figures and the volume chart from /v1/analytics, the latest messages, and the
// suppression list. Each panel loads on its own, so one that fails (say, a key without the suppressions scope)
// shows its own notice and the others still work.
import { api } from './api.js';
import { chartLegend, volumeChart } from './chart.js';
import { el, formatMs, formatPercent, formatShortTime, notice, replace, statusBadge } from './dom.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Ranges end now and start on a UTC bucket boundary, so every bar covers a whole hour or day. */
const RANGES = {
  '24h': { label: '24 hours', granularity: 'hour', buckets: 24, size: HOUR_MS },
  '7d': { label: '7 days', granularity: 'day', buckets: 7, size: DAY_MS },
  '30d': { label: '30 days', granularity: 'day', buckets: 30, size: DAY_MS },
};
const LATEST_MESSAGES = 12;
const LATEST_SUPPRESSIONS = 10;

let rangeKey = '7d';

export function renderOverview(view) {
  const tiles = el('section', { class: 'tiles', id: 'tiles' });
  const chart = el('div', { class: 'chart-wrap', id: 'chart' }, loading());
  const messages = el('div', { id: 'messages' }, loading());
  const suppressions = el('div', { id: 'suppressions' }, loading());
  const buttons = Object.entries(RANGES).map(([key, r]) => {
    const active = key === rangeKey;
    const attrs = { type: 'button', class: active ? 'active' : undefined, 'aria-pressed': String(active) };
    const b = el('button', attrs, r.label);
    b.addEventListener('click', () => {
      rangeKey = key;
      renderOverview(view);
    });
    return b;
  });
  replace(view,
    el('div', { class: 'toolbar' },
      el('h1', {}, 'Overview'), el('div', { class: 'segmented', role: 'group' }, buttons)),
    tiles,
    el('section', { class: 'card' }, el('h2', {}, 'Volume and outcomes'), chart, chartLegend()),
    el('div', { class: 'columns' },
      el('section', { class: 'card' }, el('h2', {}, 'Latest messages'), messages),
      el('section', { class: 'card' }, el('h2', {}, 'Suppression list'), suppressions)));
  void loadAnalytics(tiles, chart);
  void loadMessages(messages);
  void loadSuppressions(suppressions);
}

async function loadAnalytics(tiles, chart) {
  const r = RANGES[rangeKey];
  const now = Date.now();
  const from = new Date((Math.floor(now / r.size) - (r.buckets - 1)) * r.size).toISOString();
  try {
    const report = await api(`/v1/analytics?granularity=${r.granularity}&from=${encodeURIComponent(from)}`);
    const t = report.totals;
    replace(tiles,
      tile('Messages', String(t.messages), `in the last ${r.label}`),
      tile('Delivered', formatPercent(t.rates.delivery), count(t.statuses.delivered + t.statuses.complained), 'good'),
      tile('Bounced', formatPercent(t.rates.bounce), count(t.statuses.bounced), 'bad'),
      tile('Complaints', formatPercent(t.rates.complaint), count(t.statuses.complained)),
      tile('Latency p50', formatMs(t.latency_ms.p50),
        `p95 ${formatMs(t.latency_ms.p95)} · p99 ${formatMs(t.latency_ms.p99)}`));
    replace(chart, volumeChart(report));
  } catch (err) {
    replace(tiles);
    replace(chart, notice(err));
  }
}

function tile(label, value, sub, tone) {
  return el('div', { class: `tile${tone ? ` tile-${tone}` : ''}` },
    el('div', { class: 'tile-label' }, label),
    el('div', { class: 'tile-value' }, value),
    el('div', { class: 'tile-sub' }, sub));
}

async function loadMessages(target) {
  try {
    const page = await api(`/v1/messages?limit=${LATEST_MESSAGES}`);
    if (page.data.length === 0) return replace(target, el('p', { class: 'muted' }, 'No messages yet.'));
    replace(target, table(['Accepted', 'Recipient', 'Subject', 'Status'], page.data.map((m) => [
      formatShortTime(m.created_at),
      el('a', { class: 'message-link', href: `#/messages/${encodeURIComponent(m.message_id)}` }, m.recipient),
      m.subject,
      statusBadge(m.status),
    ]), 'messages-table'));
  } catch (err) {
    replace(target, notice(err));
  }
}

async function loadSuppressions(target) {
  try {
    const page = await api(`/v1/suppressions?limit=${LATEST_SUPPRESSIONS}`);
    if (page.data.length === 0) return replace(target, el('p', { class: 'muted' }, 'No suppressed recipients.'));
    replace(target, table(['Recipient', 'Reason', 'Since'], page.data.map((s) => [
      s.recipient ?? s.address,
      el('span', { class: 'reason' }, sentenceCase(String(s.reason))),
      formatShortTime(s.created_at),
    ]), 'suppressions-table'));
  } catch (err) {
    const unavailable = err.status === 404 || err.status === 405;
    const forbidden = err.status === 403;
    replace(target, el('p', { class: 'muted notice' },
      forbidden ? 'This key may not read the suppression list (suppressions scope).'
        : unavailable ? 'The suppression list is not available on this server.' : `Could not load: ${err.message}`));
  }
}

function table(headers, rows, className) {
  return el('table', { class: className },
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
}

const count = (n) => `${n} message${n === 1 ? '' : 's'}`;
const sentenceCase = (reason) => reason.charAt(0).toUpperCase() + reason.slice(1).replace(/_/g, ' ');

function loading() {
  return el('p', { class: 'muted' }, 'Loading…');
}
