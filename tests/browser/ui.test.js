// ui.test.js - the web UI in headless chromium: log in, open an incident,
// add an entry and see it arrive live in a second browser, change the phase
// as a lead, on a laptop and a phone screen.  Screenshots go to the
// artifacts directory.  Run by tests/cli/t7002-serve-browser.sh:
//   node ui.test.js BASE_URL ARTIFACT_DIR INCIDENT_TITLE
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [base, artifacts, title] = process.argv.slice(2);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const problems = [];

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
  console.log('ok - ' + what);
}

// Each "browser" is its own chromium with a fresh profile directory.
async function browser(name, viewport, mobile) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'irk-ui-' + name + '-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, args: FLAGS, viewport, isMobile: !!mobile, hasTouch: !!mobile,
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  // The one expected failure: "who am I?" answers 401 before logging in.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 401'))
      problems.push(name + ' console: ' + m.text());
  });
  page.on('pageerror', (e) => problems.push(name + ' page error: ' + e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:'))
      problems.push(name + ' loaded an external resource: ' + r.url());
  });
  return { ctx, page, dir };
}

async function login(page, email, password) {
  await page.goto(base + '/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForSelector('#dashboard:not([hidden])');
}

async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((e) => e.offsetParent !== null && (!e.labels || e.labels.length === 0))
    .map((e) => e.id || e.name));
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const a = await browser('laptop', { width: 1280, height: 800 });
  const b = await browser('phone', { width: 390, height: 844 }, true);
  try {
    // The login page, then the dashboard of a responder on a laptop.
    await a.page.goto(base + '/');
    await a.page.waitForSelector('#login:not([hidden])');
    check((await unlabelled(a.page)).length === 0, 'every field of the login form has a label');
    await a.page.screenshot({ path: path.join(artifacts, 'login.png') });
    await login(a.page, 'responder@example.org', 'pw-responder-secret');
    await a.page.waitForSelector('#by-severity a');
    check((await a.page.textContent('#by-severity')).includes(title), 'the dashboard lists the open incident');
    check((await a.page.textContent('#by-severity h2')) === 'high', 'incidents are grouped by severity');
    check((await unlabelled(a.page)).length === 0, 'every field of the dashboard has a label');
    await a.page.screenshot({ path: path.join(artifacts, 'dashboard-laptop.png'), fullPage: true });

    // Open the incident.
    await a.page.getByRole('link', { name: new RegExp(title) }).click();
    await a.page.waitForSelector('#incident:not([hidden])');
    check((await a.page.textContent('#inc-title')) === title, 'the incident page shows its title');
    check((await a.page.textContent('#inc-phase')) === 'detected', 'the header shows the phase');
    check(await a.page.isHidden('#phase-form'), 'a responder gets no phase control');
    await a.page.waitForSelector('[data-list="tasks"] li');
    check((await a.page.textContent('[data-list="tasks"]')).includes('Rotate the portal API keys'),
      'the tasks section lists the incident\'s tasks from the API');
    check(await a.page.isHidden('[data-endpoint*="/timeline"]'),
      'the timeline section is hidden while the server offers no timeline endpoint');
    const incUrl = a.page.url();

    // A lead follows the same incident on a phone.
    await login(b.page, 'lead@example.org', 'pw-lead-secret');
    await b.page.goto(incUrl);
    await b.page.waitForSelector('#incident:not([hidden])');
    await b.page.waitForFunction(() => document.getElementById('live').textContent.includes('live'));

    // The responder adds an entry; the lead sees it arrive without reloading.
    await a.page.getByLabel('Kind').selectOption('action');
    await a.page.getByLabel('What happened, what you did').fill('blocked 203.0.113.7 at the edge');
    await a.page.getByRole('button', { name: 'Add entry' }).click();
    await a.page.waitForSelector('#entries li:has-text("blocked 203.0.113.7")');
    await b.page.waitForSelector('#entries li:has-text("blocked 203.0.113.7")', { timeout: 15000 });
    const meta = await b.page.textContent('#entries li:has-text("blocked 203.0.113.7") .meta');
    check(meta.includes('responder@example.org') && meta.includes('action'),
      'the entry arrives live in the second browser, naming its author');
    await a.page.screenshot({ path: path.join(artifacts, 'incident-laptop.png'), fullPage: true });
    await b.page.screenshot({ path: path.join(artifacts, 'incident-phone.png'), fullPage: true });
    const wide = await b.page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 390, 'the incident page fits a phone screen without sideways scrolling');

    // The lead changes the phase; the responder's header follows.
    await b.page.getByLabel('Move to phase').selectOption('contained');
    await b.page.getByRole('button', { name: 'Change phase' }).click();
    await a.page.waitForFunction(() => document.getElementById('inc-phase').textContent === 'contained',
      null, { timeout: 15000 });
    check(true, 'a phase change by the lead reaches the other browser live');
    await a.page.screenshot({ path: path.join(artifacts, 'incident-contained.png'), fullPage: true });

    check(problems.length === 0, 'no console errors, CSP violations or external requests' +
      (problems.length ? ': ' + problems.join('; ') : ''));
  } finally {
    await a.ctx.close();
    await b.ctx.close();
    fs.rmSync(a.dir, { recursive: true, force: true });
    fs.rmSync(b.dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });
