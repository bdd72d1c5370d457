/* metrics.js - the crew's metrics from /api/v1/stats: incidents per period
 * and the median times as bar charts (SVG built node by node), and the
 * figures as a table. */
'use strict';

const NS = 'http://www.w3.org/2000/svg';
const TIMES = [['detect', 'to detect'], ['acknowledge', 'to acknowledge'], ['contain', 'to contain'],
  ['recover', 'to recover']];

function svg(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/* A horizontal bar chart: rows of {label, value}; null values are "no data". */
function bars(title, rows, unit) {
  const rowH = 26, left = 170, width = 560, top = 10;
  const max = Math.max(1, ...rows.map((r) => r.value || 0));
  const h = top + rows.length * rowH + 10;
  const chart = svg('svg', { viewBox: '0 0 ' + (left + width + 70) + ' ' + h, role: 'img', 'aria-label': title,
    class: 'bars' });
  chart.append(svg('title', {}, title));
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    chart.append(svg('text', { x: left - 8, y: y + 17, 'text-anchor': 'end', class: 'label' }, r.label));
    if (r.value === null || r.value === undefined) {
      chart.append(svg('text', { x: left + 4, y: y + 17, class: 'none' }, 'no data'));
      return;
    }
    const w = Math.max(1, (r.value / max) * width);
    chart.append(svg('rect', { x: left, y: y + 4, width: w, height: rowH - 8, class: 'bar' }));
    chart.append(svg('text', { x: left + w + 6, y: y + 17, class: 'value' },
      (Number.isInteger(r.value) ? r.value : r.value.toFixed(1)) + unit));
  });
  return chart;
}

const hours = (s) => (s === null || s === undefined ? null : s / 3600);

async function load() {
  const by = irk.byId('metrics-by').value;
  irk.byId('metrics-page').href = '/api/v1/stats?format=html&by=' + by;
  const st = await irk.api('GET', '/api/v1/stats?by=' + by);
  const periods = st.periods || [];
  const label = (p) => p.period + (p.kind === 'real' ? '' : ' ' + p.kind);
  irk.byId('chart-incidents').replaceChildren(
    bars('Incidents per ' + by, periods.map((p) => ({ label: label(p), value: p.incidents })), ''));
  const rows = [];
  for (const p of periods)
    for (const [key, name] of TIMES)
      rows.push({ label: label(p) + ' ' + name, value: hours(p[key] && p[key].median_s) });
  irk.byId('chart-times').replaceChildren(bars('Median hours from detection, per ' + by, rows, ' h'));

  const table = irk.byId('metrics-table');
  const caption = table.querySelector('caption');
  table.replaceChildren(caption);
  const head = irk.el('tr', {}, irk.el('th', { scope: 'col' }, 'period'), irk.el('th', { scope: 'col' }, 'incidents'),
    ...TIMES.map(([, name]) => irk.el('th', { scope: 'col' }, 'time ' + name)),
    irk.el('th', { scope: 'col' }, 'action items done / open'));
  table.append(irk.el('thead', {}, head));
  const body = irk.el('tbody');
  const fmt = (m) => (m && m.n ? hours(m.median_s).toFixed(1) + ' / ' + hours(m.p90_s).toFixed(1) + ' (' + m.n + ')' : '—');
  for (const p of periods) {
    const a = p.actions || {};
    body.append(irk.el('tr', {}, irk.el('th', { scope: 'row' }, label(p)), irk.el('td', {}, p.incidents),
      ...TIMES.map(([key]) => irk.el('td', {}, fmt(p[key]))),
      irk.el('td', {}, ((a.on_time || 0) + (a.late || 0)) + ' / ' + ((a.open || 0) + (a.overdue || 0)))));
  }
  if (!periods.length) body.append(irk.el('tr', {}, irk.el('td', { colspan: 7 }, 'no incidents yet')));
  table.append(body);
}

async function main() {
  const me = await irk.start();
  if (!me) { irk.byId('login').hidden = false; return; }
  irk.byId('metrics').hidden = false;
  irk.byId('metrics-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    load().catch((e) => { irk.byId('page-error').textContent = e.message; });
  });
  await load();
}

document.addEventListener('DOMContentLoaded', () => main().catch((e) => {
  irk.byId('page-error').textContent = e.message;
}));
