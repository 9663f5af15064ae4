// Dateline's browser suite. Drives Debian's Chromium against a running
// `dateline serve` and exits 0 only if every check passed.
//
//   node tests/browser/run.mjs http://127.0.0.1:8080 [--artifacts DIR] [--only public,editions,newsroom,editor,readers,comments,live,xss,sponsor]
//
// Staff accounts come from the environment: BROWSER_REPORTER_EMAIL,
// BROWSER_REPORTER_PASSWORD, BROWSER_EDITOR_EMAIL, BROWSER_EDITOR_PASSWORD,
// and optionally BROWSER_ADMIN_EMAIL and BROWSER_ADMIN_PASSWORD, and BROWSER_API_KEY.
// `cargo test` (tests/it/browser.rs) starts the server, creates the accounts
// and runs this; it also sets DATELINE_BIN and DATELINE_DIR, with which the
// reader checks read the verification link from `dateline outbox`.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM, Report, checkVnu, launch } from './lib/harness.mjs';
import { publicSite } from './checks/public.mjs';
import { editions } from './checks/editions.mjs';
import { newsroom } from './checks/newsroom.mjs';
import { xss } from './checks/xss.mjs';
import { readers } from './checks/readers.mjs';
import { comments } from './checks/comments.mjs';
import { live } from './checks/live.mjs';
import { editor } from './checks/editor.mjs';
import { sponsor } from './checks/sponsor.mjs';

function usage(message) {
  console.error(`run.mjs: ${message}`);
  console.error('usage: node run.mjs BASE_URL [--artifacts DIR] [--only public,editions,newsroom,editor,readers,comments,live,xss,sponsor]');
  process.exit(2);
}

const args = process.argv.slice(2);
const base = args.shift()?.replace(/\/$/, '');
if (!base || !/^https?:\/\//.test(base)) usage('give the site address first');
let artifacts = resolve('target/browser-artifacts');
let only = ['public', 'editions', 'newsroom', 'editor', 'readers', 'comments', 'live', 'xss', 'sponsor'];
while (args.length) {
  const flag = args.shift();
  const value = args.shift();
  if (value === undefined) usage(`${flag} needs a value`);
  if (flag === '--artifacts') artifacts = resolve(value);
  else if (flag === '--only') only = value.split(',');
  else usage(`unknown option ${flag}`);
}

function account(role) {
  const email = process.env[`BROWSER_${role}_EMAIL`];
  const password = process.env[`BROWSER_${role}_PASSWORD`];
  if (!email || !password) usage(`set BROWSER_${role}_EMAIL and BROWSER_${role}_PASSWORD`);
  return { email, password };
}

if (!existsSync(CHROMIUM)) usage(`no browser at ${CHROMIUM}`);
const started = Date.now();
const report = new Report();
const browser = await launch();
const ctx = {
  browser,
  base,
  report,
  artifacts,
  reporter: account('REPORTER'),
  editor: account('EDITOR'),
  // Optional: an administrator, for staff names and the audit log in the XSS checks,
  // and the sponsor campaigns (admins hold the commercial power).
  admin: process.env.BROWSER_ADMIN_EMAIL ? account('ADMIN') : null,
  // Optional: a Content API key, so the API checks are not held to the anonymous rate limit.
  apiKey: process.env.BROWSER_API_KEY || '',
};
console.log(`Browser suite: ${browser.version()} against ${base}; screenshots in ${artifacts}`);
try {
  if (only.includes('public')) await publicSite(ctx);
  if (only.includes('editions')) await editions(ctx);
  if (only.includes('newsroom')) await newsroom(ctx);
  if (only.includes('editor')) await editor(ctx);
  if (only.includes('readers')) await readers(ctx);
  if (only.includes('comments')) await comments(ctx);
  if (only.includes('live')) await live(ctx);
  if (only.includes('xss')) await xss(ctx);
  // Last, and it ends every campaign it makes: no earlier section's pages carry a sponsor.
  if (only.includes('sponsor')) await sponsor(ctx);
  // Every page axe checked above, as the browser had it, through the Nu Html Checker.
  await report.section(`the Nu Html Checker on the ${report.documents.size} pages axe checked`, async () => {
    // Pages are kept where axe checks them; the XSS section checks none (it looks
    // for script run and markup made), so run alone it keeps nothing to check.
    if (only.includes('public')) report.check(report.documents.size > 0, 'the public pages were kept for the Nu Html Checker');
    if (report.documents.size) await checkVnu(report, [...report.documents]);
    else report.note('the Nu Html Checker: no page was kept by the sections run');
  });
} finally {
  await browser.close();
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
for (const note of report.notes) console.log(`note: ${note}`);
if (report.failures.length) {
  console.log(`\n${report.failures.length} FAILED, ${report.passes} passed, in ${seconds} s:`);
  for (const failure of report.failures) console.log(`  - ${failure}`);
  process.exit(1);
}
console.log(`\nAll ${report.passes} browser checks passed in ${seconds} s.`);
