/* incident.js - one incident: header, the log book updating live over
 * Server-Sent Events, adding an entry, changing the phase (leads), tasks
 * (add, acknowledge with an ETA, done), messages with their lint results
 * (draft, approve), evidence (download), and the timeline chart.  Sections
 * show only when the server offers their endpoints; what a member may do is
 * decided by the server, whose refusals are shown as they come. */
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
    refreshFor(e.kind);
  });
  src.addEventListener('error', () => { live.textContent = 'reconnecting…'; });
}

const incPath = () => '/api/v1/incidents/' + encodeURIComponent(incId);

/* Run `fn` (an API call); show its error in `box` instead of throwing. */
async function attempt(box, fn) {
  box.textContent = '';
  try {
    await fn();
    return true;
  } catch (e) {
    box.textContent = e.message;
    return false;
  }
}

function taskLine(t) {
  const bits = [t.state, t.owner_email];
  if (t.eta) bits.push('ETA ' + fmtTime(t.eta));
  if (t.due) bits.push('due ' + fmtTime(t.due));
  if (t.overdue) bits.push('OVERDUE');
  return bits.join(' · ');
}

function taskItem(t) {
  const li = irk.el('li', { class: 'task state-' + t.state, 'data-task': t.num },
    irk.el('strong', {}, '#' + t.num + ' ' + t.title), ' ', irk.el('span', { class: 'muted' }, taskLine(t)));
  const box = irk.el('p', { class: 'error', role: 'alert' });
  const mine = irk.me && t.owner === irk.me.key;
  const openish = t.state === 'open' || t.state === 'acked';
  const base = incPath() + '/tasks/' + t.num;
  if (openish && mine && t.state === 'open' && irk.offers('POST /api/v1/incidents/{id}/tasks/{num}/ack')) {
    const form = irk.el('form', { class: 'row inline', hidden: '' });
    const id = 'eta-' + t.num;
    const input = irk.el('input', { id, required: '', maxlength: '32', placeholder: '15m' });
    form.append(irk.el('div', {}, irk.el('label', { for: id }, 'ETA for task ' + t.num + ' (e.g. 15m)'), input),
      irk.el('button', { type: 'submit' }, 'Confirm acknowledgement'));
    const ack = irk.el('button', { type: 'button' }, 'Acknowledge');
    ack.addEventListener('click', () => { form.hidden = false; ack.hidden = true; input.focus(); });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (await attempt(box, () => irk.api('POST', base + '/ack', { eta: input.value }))) loadTasks();
    });
    li.append(ack, form);
  }
  if (openish && (mine || irk.roleAtLeast('lead')) && irk.offers('POST /api/v1/incidents/{id}/tasks/{num}/done')) {
    const done = irk.el('button', { type: 'button' }, 'Done');
    done.addEventListener('click', async () => {
      if (await attempt(box, () => irk.api('POST', base + '/done', {}))) loadTasks();
    });
    li.append(' ', done);
  }
  li.append(box);
  return li;
}

async function loadTasks() {
  const data = await irk.api('GET', incPath() + '/tasks');
  const ul = irk.byId('task-list');
  ul.replaceChildren();
  if (!data.tasks.length) ul.append(irk.el('li', { class: 'muted' }, 'no tasks yet'));
  for (const t of data.tasks) ul.append(taskItem(t));
}

function lintList(lint) {
  const ul = irk.el('ul', { class: 'lint' });
  for (const f of lint.findings)
    ul.append(irk.el('li', { class: 'lint-' + f.severity },
      f.severity + ': ' + f.rule + (f.excerpt ? ' "' + f.excerpt + '"' : '') + ' — ' + f.why + ' Fix: ' + f.fix));
  return irk.el('div', { class: 'lint-result' },
    irk.el('p', { class: 'lint-summary' }, 'Lint: ' + lint.errors + ' error' + (lint.errors === 1 ? '' : 's') +
      ', ' + lint.warnings + ' warning' + (lint.warnings === 1 ? '' : 's')), ul);
}

async function messageItem(summary) {
  const m = await irk.api('GET', '/api/v1/messages/' + summary.num);
  const li = irk.el('li', { class: 'message state-' + m.state, 'data-message': m.num },
    irk.el('strong', {}, 'Message ' + m.num + ' for ' + m.audience), ' ',
    irk.el('span', { class: 'muted msg-state' }, m.state + (m.approved_by ? ' · approved by ' + m.approved_by : '')),
    irk.el('blockquote', { class: 'msg-text' }, m.text), lintList(m.lint));
  const box = irk.el('p', { class: 'error', role: 'alert' });
  if ((m.state === 'draft' || m.state === 'stale') && irk.roleAtLeast('responder') &&
      irk.offers('POST /api/v1/messages/{num}/approve')) {
    const approve = irk.el('button', { type: 'button' }, 'Approve message ' + m.num);
    approve.addEventListener('click', async () => {
      if (await attempt(box, () => irk.api('POST', '/api/v1/messages/' + m.num + '/approve', {})))
        loadMessages();
    });
    li.append(approve);
  }
  li.append(box);
  return li;
}

async function loadMessages() {
  const data = await irk.api('GET', incPath() + '/messages');
  const items = await Promise.all(data.messages.map(messageItem));
  const ul = irk.byId('message-list');
  ul.replaceChildren(...items);
  if (!items.length) ul.append(irk.el('li', { class: 'muted' }, 'no messages yet'));
}

async function loadEvidence() {
  const data = await irk.api('GET', incPath() + '/evidence');
  const ul = irk.byId('evidence-list');
  ul.replaceChildren();
  if (!data.evidence.length) ul.append(irk.el('li', { class: 'muted' }, 'no evidence yet'));
  for (const e of data.evidence) {
    const link = irk.el('a', { href: '/api/v1/evidence/' + encodeURIComponent(e.id) + '/download', download: '' },
      'Download ' + e.id);
    ul.append(irk.el('li', {}, irk.el('strong', {}, e.id + ' ' + e.name), ' ',
      irk.el('span', { class: 'muted' }, e.size + ' bytes · sha256 ' + e.sha256.slice(0, 12) + ' · custodian ' +
        (e.custodian_email || e.custodian)), ' ', link));
  }
}

function loadTimeline() {
  irk.byId('timeline-chart').src = incPath() + '/timeline?format=svg&seq=' + lastSeq;
}

const loaders = {
  'GET /api/v1/incidents/{id}/tasks': loadTasks,
  'GET /api/v1/incidents/{id}/messages': loadMessages,
  'GET /api/v1/incidents/{id}/evidence': loadEvidence,
  'GET /api/v1/incidents/{id}/timeline': loadTimeline,
};

/* Reload the sections an entry of this kind changes. */
function refreshFor(kind) {
  const prefix = kind.split('.')[0];
  if (prefix === 'task' && irk.offers('GET /api/v1/incidents/{id}/tasks')) loadTasks();
  if (prefix === 'msg' && irk.offers('GET /api/v1/incidents/{id}/messages')) loadMessages();
  if ((kind === 'evidence' || kind.startsWith('custody')) && irk.offers('GET /api/v1/incidents/{id}/evidence'))
    loadEvidence();
  if (irk.offers('GET /api/v1/incidents/{id}/timeline')) loadTimeline();
}

async function loadResources() {
  irk.byId('report-link').href = '/report?id=' + encodeURIComponent(incId);
  await Promise.all(Object.entries(loaders).filter(([spec]) => irk.offers(spec)).map(([, fn]) => fn()));
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
  if (irk.roleAtLeast('responder') && irk.offers('POST /api/v1/incidents/{id}/tasks')) {
    irk.byId('task-form').hidden = false;
    irk.byId('task-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { title: irk.byId('task-title').value };
      if (irk.byId('task-owner').value) body.owner = irk.byId('task-owner').value;
      if (irk.byId('task-due').value) body.due = irk.byId('task-due').value;
      if (await attempt(irk.byId('task-error'), () => irk.api('POST', incPath() + '/tasks', body))) {
        irk.byId('task-form').reset();
        loadTasks();
      }
    });
  }
  if (irk.roleAtLeast('responder') && irk.offers('POST /api/v1/incidents/{id}/messages')) {
    irk.byId('message-form').hidden = false;
    irk.byId('message-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { audience: irk.byId('message-audience').value, text: irk.byId('message-text').value };
      if (await attempt(irk.byId('message-error'), () => irk.api('POST', incPath() + '/messages', body))) {
        irk.byId('message-text').value = '';
        loadMessages();
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
