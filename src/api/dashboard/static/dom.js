// Building the page from data without ever parsing it as markup: every text goes in through textContent
// (text nodes), every attribute through setAttribute, so a recipient or an SMTP answer cannot inject anything.
/* global document, Node */
const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: `el('td', {class: 'x'}, 'text', otherNode)`. */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, same calling convention. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replaces everything inside `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  return build(node, {}, children);
}

export function formatTime(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/** Month, day and time: enough in a list of recent items. */
export function formatShortTime(iso) {
  return new Date(iso).toLocaleString(undefined, {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

export function formatPercent(rate) {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(rate >= 0.995 || rate === 0 ? 0 : 1)} %`;
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function statusBadge(status) {
  return el('span', { class: `badge status-${status}` }, status);
}

/** What a panel shows when its request failed. */
export function notice(err) {
  const text = err.status === 403 ? 'This key lacks the read scope.' : `Could not load: ${err.message}`;
  return el('p', { class: 'muted notice' }, text);
}
