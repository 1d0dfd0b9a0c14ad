// One message: its state, the last SMTP answer, a link to its workflow in the Temporal UI, and the event timeline
// from GET /v1/messages/{id}.
import { api } from './api.js';
import { el, formatTime, notice, replace, statusBadge } from './dom.js';

export async function renderMessage(view, id) {
  replace(view, el('a', { class: 'back', href: '#/' }, '← Overview'), el('p', { class: 'muted' }, 'Loading…'));
  let m;
  try {
    m = await api(`/v1/messages/${encodeURIComponent(id)}`);
  } catch (err) {
    replace(view, el('a', { class: 'back', href: '#/' }, '← Overview'),
      err.status === 404 ? el('p', { class: 'muted notice' }, `No message ${id} in this project.`) : notice(err));
    return;
  }
  const workflow = m.temporal.ui_url
    ? el('a', { href: m.temporal.ui_url, target: '_blank', rel: 'noopener noreferrer', class: 'temporal-link' },
      `${m.temporal.workflow_id} ↗`)
    : el('code', {}, m.temporal.workflow_id);
  replace(view,
    el('a', { class: 'back', href: '#/' }, '← Overview'),
    el('section', { class: 'card' },
      el('div', { class: 'detail-head' }, el('h1', {}, m.recipient), statusBadge(m.status)),
      el('p', { class: 'subject' }, m.subject),
      el('dl', { class: 'facts' },
        fact('Message id', el('code', {}, m.message_id)),
        fact('From', m.from),
        fact('Route', m.route ?? '—'),
        fact('Attempts', String(m.attempts)),
        fact('Accepted', formatTime(m.created_at)),
        fact('Completed', formatTime(m.completed_at)),
        fact('Last SMTP answer', smtpAnswer(m.last_response)),
        fact('Temporal workflow', workflow))),
    el('section', { class: 'card' }, el('h2', {}, 'Timeline'), timeline(m.events ?? [])));
}

function fact(label, value) {
  return el('div', { class: 'fact' }, el('dt', {}, label), el('dd', {}, value));
}

/** The server's own words when it gave any (they start with its code), else the code and how it was classified. */
function smtpAnswer(r) {
  if (!r) return '—';
  if (r.response) return el('span', { class: 'smtp' }, r.response);
  const code = [r.responseCode, r.enhancedStatus].filter(Boolean).join(' ');
  return el('span', { class: 'smtp' }, code ? el('strong', {}, code) : null, ' ', r.reason ?? r.kind);
}

function timeline(events) {
  if (events.length === 0) return el('p', { class: 'muted' }, 'No events yet.');
  return el('ol', { class: 'timeline' }, events.map((e) => {
    const type = e.type.replace(/^message\./, '');
    const { smtp, ...rest } = e.data ?? {};
    const details = Object.entries(rest).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    return el('li', { class: `event event-${type}` },
      el('span', { class: 'dot' }),
      el('div', { class: 'event-body' },
        el('div', { class: 'event-head' },
          el('span', { class: 'event-type' }, e.type), el('time', {}, formatTime(e.created_at))),
        details.length > 0 ? el('div', { class: 'event-data' }, details.join(' · ')) : null,
        smtp ? el('div', { class: 'event-data' }, smtpAnswer(smtp)) : null));
  }));
}
