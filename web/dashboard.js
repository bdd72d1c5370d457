/* dashboard.js - the start page: log in, open incidents by severity and phase,
 * what is due and the recent findings (when the server offers them),
 * opening an incident. */
'use strict';

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const PHASES = ['detected', 'triage', 'contained', 'eradicated', 'recovered'];

async function loadIncidents() {
  const all = irk.byId('show-closed').checked;
  const data = await irk.api('GET', '/api/v1/incidents' + (all ? '?all=1' : ''));
  const box = irk.byId('by-severity');
  box.replaceChildren();
  const open = data.incidents.filter((i) => i.phase !== 'closed').length;
  irk.byId('incident-count').textContent =
    open === 1 ? '1 incident is open.' : open + ' incidents are open.';
  const phases = irk.byId('by-phase');
  phases.replaceChildren();
  for (const ph of PHASES) {
    const n = data.incidents.filter((i) => i.phase === ph).length;
    if (n) phases.append(irk.el('li', { class: 'badge' }, ph + ': ' + n));
  }
  for (const sev of SEVERITIES) {
    const list = data.incidents.filter((i) => i.severity === sev);
    if (!list.length) continue;
    const ul = irk.el('ul', { class: 'plain' });
    for (const inc of list) {
      ul.append(irk.el('li', { class: 'incident-row' },
        irk.el('a', { href: '/incident?id=' + encodeURIComponent(inc.id) }, inc.id + ' ' + inc.title),
        irk.el('span', { class: 'badge sev-' + inc.severity }, inc.severity),
        irk.el('span', { class: 'badge' }, inc.phase),
        irk.el('span', { class: 'muted' }, inc.entries + ' entries')));
    }
    box.append(irk.el('h2', { class: 'sev-' + sev }, sev), ul);
  }
}

async function loadDue() {
  if (!irk.offers('GET /api/v1/due')) return;
  const data = await irk.api('GET', '/api/v1/due');
  const ul = irk.byId('due-list');
  ul.replaceChildren();
  ul.replaceChildren();
  for (const item of data.due || []) {
    ul.append(irk.el('li', { class: 'due-' + item.state },
      irk.el('a', { href: '/incident?id=' + encodeURIComponent(item.inc) }, item.inc), ' ',
      irk.el('span', { class: 'badge' }, item.state), ' ', item.what,
      item.due ? irk.el('span', { class: 'muted' }, ' · due ' + new Date(item.due).toLocaleString()) : ''));
  }
  if (!ul.children.length) ul.append(irk.el('li', { class: 'muted' }, 'nothing is due'));
}

async function loadFindings() {
  if (!irk.offers('GET /api/v1/findings')) return;
  const data = await irk.api('GET', '/api/v1/findings');
  const ul = irk.byId('findings-list');
  ul.replaceChildren();
  for (const f of data.findings) {
    ul.append(irk.el('li', { class: 'finding level-' + f.level },
      irk.el('a', { href: '/incident?id=' + encodeURIComponent(f.inc) }, f.inc), ' ',
      irk.el('span', { class: 'badge' }, f.level), ' ', f.text,
      irk.el('span', { class: 'muted' }, ' · last ' + new Date(f.last).toLocaleString())));
  }
  if (!ul.children.length) ul.append(irk.el('li', { class: 'muted' }, 'no findings in open incidents'));
}

function showLogin() {
  irk.byId('login').hidden = false;
  irk.byId('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await irk.api('POST', '/api/v1/login', {
        email: irk.byId('email').value, password: irk.byId('password').value });
      window.location.reload();
    } catch (e) {
      irk.byId('login-error').textContent = e.message;
    }
  });
}

async function main() {
  const me = await irk.start();
  if (!me) return showLogin();
  irk.byId('dashboard').hidden = false;
  irk.byId('show-closed').addEventListener('change', loadIncidents);
  if (irk.roleAtLeast('responder')) {
    irk.byId('new-incident').hidden = false;
    irk.byId('new-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const inc = await irk.api('POST', '/api/v1/incidents', {
          title: irk.byId('new-title-input').value,
          severity: irk.byId('new-severity').value,
          category: irk.byId('new-category').value });
        window.location.href = '/incident?id=' + encodeURIComponent(inc.id);
      } catch (e) {
        irk.byId('new-error').textContent = e.message;
      }
    });
  }
  await Promise.all([loadIncidents(), loadDue(), loadFindings()]);
}

document.addEventListener('DOMContentLoaded', () => main().catch((e) => {
  irk.byId('login-error').textContent = e.message;
}));
