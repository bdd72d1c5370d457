/* incident.js - one incident: header, the log book updating live over
 * Server-Sent Events, adding an entry, changing the phase (leads), and the
 * sections for tasks, evidence, messages and the timeline when the server
 * offers their endpoints. */
'use strict';

const params = new URLSearchParams(window.location.search);
const incId = params.get('id') || '';
let lastSeq = 0;

function fmtTime(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

function showEntry(e, fresh) {
  if (e.seq <= lastSeq) return;
  lastSeq = e.seq;
  const who = (e.data && e.data.on_behalf_of && e.data.on_behalf_of.email) || e.author || e.by;
  const li = irk.el('li', { class: 'kind-' + e.kind + (fresh ? ' fresh' : ''), 'data-seq': e.seq },
    irk.el('div', { class: 'meta' }, '#' + e.seq + ' · ' + e.kind + ' · ' + fmtTime(e.at) + ' · ' + who),
    irk.el('div', { class: 'text' }, e.text));
  irk.byId('entries').prepend(li);
}

async function loadHeader() {
  const inc = await irk.api('GET', '/api/v1/incidents/' + encodeURIComponent(incId));
  document.title = 'irk - ' + inc.id + ' ' + inc.title;
  irk.byId('inc-id').textContent = inc.id + (inc.drill ? ' (drill)' : '');
  irk.byId('inc-title').textContent = inc.title;
  irk.byId('inc-phase').textContent = inc.phase;
  const sev = irk.byId('inc-severity');
  sev.textContent = inc.severity;
  sev.className = 'sev-' + inc.severity;
  irk.byId('inc-category').textContent = inc.category;
  irk.byId('inc-tlp').textContent = inc.tlp;
  irk.byId('inc-opened-by').textContent = inc.opened_by || '';
  irk.byId('inc-lead').parentElement.hidden = !inc.lead;
  irk.byId('inc-lead').textContent = inc.lead || '';
  return inc;
}

function follow() {
  const live = irk.byId('live');
  const url = '/api/v1/incidents/' + encodeURIComponent(incId) + '/stream?after=' + lastSeq;
  const src = new EventSource(url);
  src.addEventListener('open', () => { live.textContent = '● live'; });
  src.addEventListener('entry', (ev) => {
    const e = JSON.parse(ev.data);
    showEntry(e, true);
    if (['phase', 'close', 'reopen'].includes(e.kind)) loadHeader();
  });
  src.addEventListener('error', () => { live.textContent = 'reconnecting…'; });
}

async function loadResources() {
  for (const section of document.querySelectorAll('[data-endpoint]')) {
    if (section.hidden) continue;
    const path = section.dataset.endpoint.split(' ')[1].replace('{id}', encodeURIComponent(incId));
    const list = section.querySelector('[data-list]');
    const data = await irk.api('GET', path);
    const items = data[list.dataset.list] || [];
    list.replaceChildren();
    if (!items.length) list.append(irk.el('li', { class: 'muted' }, 'nothing yet'));
    for (const it of items) {
      const label = it.title || it.name || it.path || it.audience || it.text || ('#' + (it.num || it.id));
      const extra = [it.state, it.owner_email, it.sha256 && it.sha256.slice(0, 12)].filter(Boolean);
      list.append(irk.el('li', {}, irk.el('strong', {}, label),
        extra.length ? ' · ' + extra.join(' · ') : ''));
    }
  }
}

function setupForms() {
  if (irk.roleAtLeast('responder')) {
    irk.byId('entry-form').hidden = false;
    irk.byId('entry-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const text = irk.byId('entry-text');
      try {
        const r = await irk.api('POST', '/api/v1/incidents/' + encodeURIComponent(incId) + '/entries',
          { text: text.value, kind: irk.byId('entry-kind').value });
        text.value = '';
        irk.byId('entry-error').textContent = '';
        const got = await irk.api('GET', '/api/v1/incidents/' + encodeURIComponent(incId) +
          '/entries?after=' + lastSeq);
        for (const e of got.entries) if (e.seq <= r.seq) showEntry(e, true);
      } catch (e) {
        irk.byId('entry-error').textContent = e.message;
      }
    });
  }
  if (irk.roleAtLeast('lead')) {
    irk.byId('phase-form').hidden = false;
    irk.byId('phase-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await irk.api('POST', '/api/v1/incidents/' + encodeURIComponent(incId) + '/phase',
          { phase: irk.byId('phase-select').value });
        await loadHeader();
      } catch (e) {
        irk.byId('page-error').textContent = e.message;
      }
    });
  }
}

async function main() {
  const me = await irk.start();
  if (!me) { irk.byId('login').hidden = false; return; }
  await loadHeader();
  irk.byId('incident').hidden = false;
  const data = await irk.api('GET', '/api/v1/incidents/' + encodeURIComponent(incId) + '/entries');
  for (const e of data.entries) showEntry(e, false);
  setupForms();
  follow();
  await loadResources();
}

document.addEventListener('DOMContentLoaded', () => main().catch((e) => {
  irk.byId('page-error').textContent = e.message;
}));
