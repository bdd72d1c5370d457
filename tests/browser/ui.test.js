// ui.test.js - the web UI in headless chromium: log in, open an incident,
// add an entry and see it arrive live in a second browser, change the phase
// as a lead, acknowledge a task, approve a message as a second member (and
// see the author refused), the timeline chart, the report and metrics
// pages, on a laptop and a phone screen.  Screenshots go to the artifacts
// directory.  Run by tests/cli/t7002-serve-browser.sh:
//   node ui.test.js BASE_URL ARTIFACT_DIR INCIDENT_TITLE
// The casebook holds the incident, task 1 owned by responder@ and message 1
// drafted by responder@ (the member logged in on the laptop).
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
  // The expected refusals: "who am I?" before logging in (401), the author
  // approving their own message (403), the postmortem not written yet (404).
  const expected = [['401', '/api/v1/whoami'], ['403', '/api/v1/messages/1/approve'],
    ['404', '/postmortem']];
  page.on('console', (m) => {
    const url = (m.location() && m.location().url) || '';
    if (m.type() === 'error' &&
        !expected.some(([code, end]) => m.text().includes('status of ' + code) && url.endsWith(end)))
      problems.push(name + ' console: ' + m.text() + ' (' + url + ')');
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
    await a.page.waitForSelector('#task-list li');
    check((await a.page.textContent('#task-list')).includes('Rotate the portal API keys'),
      'the tasks section lists the incident\'s tasks from the API');
    check(await a.page.isVisible('[data-endpoint*="/timeline"]'),
      'the timeline section shows when the server offers its endpoint');
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

    // The responder acknowledges their task, giving an ETA; it stays acknowledged after a reload.
    const task = a.page.locator('[data-task="1"]');
    await task.getByRole('button', { name: 'Acknowledge' }).click();
    await task.getByLabel('ETA for task 1').fill('15m');
    await task.getByRole('button', { name: 'Confirm acknowledgement' }).click();
    await a.page.waitForSelector('[data-task="1"]:has-text("acked")');
    await a.page.reload();
    await a.page.waitForSelector('[data-task="1"]');
    const taskText = await a.page.textContent('[data-task="1"]');
    check(taskText.includes('acked') && taskText.includes('ETA'),
      'an acknowledged task shows as acked with its ETA after a reload');
    check(await a.page.locator('[data-task="1"]').getByRole('button', { name: 'Acknowledge' }).count() === 0,
      'an acknowledged task offers no second acknowledgement');
    await a.page.screenshot({ path: path.join(artifacts, 'incident-task-acked.png'), fullPage: true });

    // The author of message 1 cannot approve it: the casebook's refusal is shown.
    const msgA = a.page.locator('[data-message="1"]');
    await msgA.waitFor();
    check((await msgA.textContent()).includes('Lint: 0 errors'), 'the message shows its lint results');
    await msgA.getByRole('button', { name: 'Approve message 1' }).click();
    await a.page.waitForSelector('[data-message="1"] .error:has-text("two-person")');
    check((await msgA.locator('.error').textContent()).includes('you wrote message 1'),
      'the author is told the two-person rule needs another member');
    await a.page.reload();
    await a.page.waitForSelector('[data-message="1"]');
    check((await a.page.textContent('[data-message="1"] .msg-state')).startsWith('draft'),
      'after the refusal the message is still a draft');

    // A second member (the lead, on the phone) approves it.
    await b.page.reload();
    const msgB = b.page.locator('[data-message="1"]');
    await msgB.waitFor();
    await msgB.getByRole('button', { name: 'Approve message 1' }).click();
    await b.page.waitForSelector('[data-message="1"] .msg-state:has-text("approved")');
    await b.page.reload();
    await b.page.waitForSelector('[data-message="1"]');
    const approved = await b.page.textContent('[data-message="1"] .msg-state');
    check(approved.startsWith('approved') && approved.includes('lead@example.org'),
      'the message approved by the second member stays approved after a reload, naming them');
    check(await b.page.locator('[data-message="1"]').getByRole('button', { name: /Approve/ }).count() === 0,
      'an approved message offers no Approve button');
    await b.page.screenshot({ path: path.join(artifacts, 'incident-message-approved-phone.png'), fullPage: true });
    const wide2 = await b.page.evaluate(() => document.documentElement.scrollWidth);
    check(wide2 <= 390, 'the incident page with tasks and messages still fits a phone screen');

    // The timeline chart is the server's SVG.
    await a.page.waitForFunction(() => {
      const img = document.getElementById('timeline-chart');
      return img && img.complete && img.naturalWidth > 0;
    });
    check(true, 'the timeline chart loads');

    // The report page shows a report rendered by the server in a sandboxed frame.
    await a.page.getByRole('link', { name: 'Reports and postmortem' }).click();
    await a.page.waitForSelector('#reports:not([hidden])');
    check((await a.page.textContent('#pm-state')).startsWith('No postmortem'),
      'the report page says when there is no postmortem yet');
    await a.page.getByLabel('Kind of report').selectOption('technical');
    await a.page.getByRole('button', { name: 'Show report' }).click();
    const frame = a.page.frameLocator('#report-frame');
    await frame.locator('body:has-text("irk-record")').waitFor();
    check((await frame.locator('body').textContent()).includes(title), 'the report names the incident');
    check((await unlabelled(a.page)).length === 0, 'every field of the report page has a label');
    await a.page.screenshot({ path: path.join(artifacts, 'report.png'), fullPage: true });

    // The metrics page draws its charts from /api/v1/stats.
    await a.page.getByRole('link', { name: 'Metrics' }).click();
    await a.page.waitForSelector('#metrics:not([hidden])');
    await a.page.waitForSelector('#chart-incidents svg rect.bar');
    check((await a.page.textContent('#metrics-table tbody')).includes('1'), 'the metrics table counts the incident');
    check((await unlabelled(a.page)).length === 0, 'every field of the metrics page has a label');
    await a.page.screenshot({ path: path.join(artifacts, 'metrics.png'), fullPage: true });
    await b.page.goto(base + '/metrics');
    await b.page.waitForSelector('#chart-incidents svg rect.bar');
    check(await b.page.evaluate(() => document.documentElement.scrollWidth) <= 390,
      'the metrics page fits a phone screen');
    await b.page.screenshot({ path: path.join(artifacts, 'metrics-phone.png'), fullPage: true });

    // The dashboard: phases, what is due, recent findings.
    await a.page.goto(base + '/');
    await a.page.waitForSelector('#by-phase li');
    check((await a.page.textContent('#by-phase')).includes('contained: 1'), 'the dashboard counts incidents by phase');
    await a.page.waitForSelector('#findings-list li');
    check((await a.page.textContent('#findings-list')).includes('finding:'), 'the dashboard lists recent findings');
    await a.page.screenshot({ path: path.join(artifacts, 'dashboard-after.png'), fullPage: true });

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
