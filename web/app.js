/* app.js - what every page of the irk web UI shares: the API client (with
 * the session's CSRF token), who is logged in, the capability list, and
 * small DOM helpers.  No inline script anywhere: the CSP forbids it. */
'use strict';

const irk = {
  me: null,
  csrf: null,
  caps: [],

  async api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    const opts = { method, headers, credentials: 'same-origin' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (irk.csrf) headers['X-CSRF-Token'] = irk.csrf;
      opts.body = JSON.stringify(body || {});
    }
    const res = await fetch(path, opts);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      const err = new Error((data && data.error && data.error.message) || res.statusText);
      err.status = res.status;
      err.code = data && data.error && data.error.code;
      throw err;
    }
    return data;
  },

  /* True when the server offers `method path` (for sections that depend on it). */
  offers(spec) {
    const [method, path] = spec.split(' ');
    return irk.caps.some((e) => e.method === method && e.path === path);
  },

  roleAtLeast(role) {
    const order = ['viewer', 'responder', 'lead', 'admin'];
    return irk.me && order.indexOf(irk.me.role) >= order.indexOf(role);
  },

  el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  },

  byId(id) { return document.getElementById(id); },

  /* Who am I?  Resolves to the member, or null when not logged in. */
  async start() {
    const caps = await irk.api('GET', '/api/v1/capabilities');
    irk.caps = caps.endpoints;
    try {
      irk.me = await irk.api('GET', '/api/v1/whoami');
      irk.csrf = irk.me.csrf || null;
    } catch (e) {
      if (e.status !== 401) throw e;
      irk.me = null;
    }
    const who = irk.byId('who');
    const logout = irk.byId('logout');
    if (irk.me) {
      who.textContent = irk.me.email + ' (' + irk.me.role + ')';
      logout.hidden = false;
      logout.addEventListener('click', async () => {
        await irk.api('POST', '/api/v1/logout');
        window.location.href = '/';
      });
    }
    for (const s of document.querySelectorAll('[data-endpoint]'))
      s.hidden = !irk.offers(s.dataset.endpoint);
    return irk.me;
  },
};
