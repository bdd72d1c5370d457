/* report.js - an incident's reports (rendered by the server, shown in a
 * sandboxed frame) and its postmortem: action items with their state,
 * warnings, the cost estimate. */
'use strict';

const incId = new URLSearchParams(window.location.search).get('id') || '';

function reportUrl(kind, format, download) {
  return '/api/v1/incidents/' + encodeURIComponent(incId) + '/report?kind=' + encodeURIComponent(kind) +
    '&format=' + format + (download ? '&download=1' : '');
}

/* Check that the report renders (the API answers a JSON error otherwise), then show it. */
async function showReport() {
  const kind = irk.byId('report-kind').value;
  const frame = irk.byId('report-frame');
  irk.byId('report-error').textContent = '';
  irk.byId('report-md').href = reportUrl(kind, 'md', true);
  irk.byId('report-html').href = reportUrl(kind, 'html', false);
  try {
    await irk.api('GET', reportUrl(kind, 'html', false));
  } catch (e) {
    irk.byId('report-error').textContent = e.message;
    frame.hidden = true;
    return;
  }
  frame.hidden = false;
  frame.src = reportUrl(kind, 'html', false);
}

async function loadPostmortem() {
  if (!irk.offers('GET /api/v1/incidents/{id}/postmortem')) return;
  const state = irk.byId('pm-state');
  let pm;
  try {
    pm = await irk.api('GET', '/api/v1/incidents/' + encodeURIComponent(incId) + '/postmortem');
  } catch (e) {
    if (e.status !== 404) throw e;
    state.textContent = 'No postmortem yet: ' + e.message;
    return;
  }
  state.textContent = 'Version of log-book entry #' + pm.seq + '.';
  const actions = irk.byId('pm-actions');
  actions.replaceChildren();
  (pm.actions || []).forEach((a, i) => {
    actions.append(irk.el('li', { class: a.done ? 'done' : 'open' },
      irk.el('strong', {}, (i + 1) + '. ' + (a.text || a.title || '')), ' ',
      irk.el('span', { class: 'muted' }, [a.owner, a.due && 'due ' + a.due, a.done ? 'done ' + fmtDate(a.done) : 'open']
        .filter(Boolean).join(' · '))));
  });
  if (!actions.children.length) actions.append(irk.el('li', { class: 'muted' }, 'none'));
  const warnings = irk.byId('pm-warnings');
  warnings.replaceChildren(...(pm.warnings || []).map((w) => irk.el('li', {}, w)));
  if (!warnings.children.length) warnings.append(irk.el('li', { class: 'muted' }, 'none'));
  const c = pm.cost_estimate || {};
  irk.byId('pm-cost').textContent = 'Cost estimate: ' + Number(c.hours || 0).toFixed(1) + ' h × ' +
    (c.rate || 0) + ' + ' + (c.other || 0) + ' other = ' + Number(c.total || 0).toFixed(2) + ' ' + (c.currency || '');
}

function fmtDate(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

async function main() {
  const me = await irk.start();
  if (!me) { irk.byId('login').hidden = false; return; }
  irk.byId('reports').hidden = false;
  irk.byId('back').href = '/incident?id=' + encodeURIComponent(incId);
  irk.byId('report-title').textContent = 'Reports of ' + incId;
  document.title = 'irk - reports of ' + incId;
  irk.byId('report-form').addEventListener('submit', (ev) => { ev.preventDefault(); showReport(); });
  await loadPostmortem();
  if (irk.byId('pm-state').textContent.startsWith('No postmortem')) irk.byId('report-kind').value = 'executive';
  await showReport();
}

document.addEventListener('DOMContentLoaded', () => main().catch((e) => {
  irk.byId('page-error').textContent = e.message;
}));
