// Reader accounts in a real browser: every account page checked by axe at
// WCAG 2.1 AA and at 320 px; registering through the form (a mistake first,
// then for real), the verification link from the outbox, the account page,
// signing out, and signing in again with the password; then what a reader
// follows (checks/following.mjs), its pages and the XSS corpus in its topic box.

import { execFileSync } from 'node:child_process';
import { checkAxe, inspect, newContext, screenshots, visitClean } from '../lib/harness.mjs';
import { following, followingXss } from './following.mjs';

const PAGES = [
  ['account-register', '/account/register', 'Create an account'],
  ['account-sign-in', '/account/sign-in', 'Sign in'],
  ['account-sign-in-link', '/account/sign-in-link', 'Sign in with an e-mailed link'],
  ['account-reset', '/account/reset', 'Choose a new password'],
  ['account-link-gone', '/account/verify?token=0', 'This link no longer works'],
];

/**
 * The newest link in the outbox mailed to `email`, read with `dateline outbox`
 * (DATELINE_BIN, run in DATELINE_DIR, where the server's database is); null
 * when the suite runs against a server it did not start.
 */
export function linkFromOutbox(email) {
  const bin = process.env.DATELINE_BIN;
  if (!bin) return null;
  // Newest first: the first link listed is the latest.
  const listing = execFileSync(bin, ['outbox', '--to', email], { cwd: process.env.DATELINE_DIR, encoding: 'utf8' });
  const found = /(https?:\/\/\S+\?token=[0-9a-f]{64})/.exec(listing);
  return found ? found[1] : null;
}

export async function readers(ctx) {
  const { browser, base, report, artifacts } = ctx;
  const context = await newContext(browser);
  const page = await context.newPage();
  const email = `reader-${Date.now().toString(36)}@browser.test`;
  const password = "a reader's long password";
  let signedIn = false;

  await report.section('reader accounts: every page', async () => {
    for (const [name, path, heading] of PAGES) {
      await visitClean(report, page, `${base}${path}`, name);
      const h1 = (await page.locator('h1').textContent()).trim();
      report.check(h1 === heading, `${name}: heading "${heading}" (${h1})`);
      await checkAxe(report, page, name);
      await screenshots(report, page, `${base}${path}`, name, artifacts);
    }
    await page.goto(`${base}/`);
    await page.locator('.masthead .sign-in a').click();
    report.check(new URL(page.url()).pathname === '/account/sign-in', `the masthead's Sign in leads to the readers' sign-in (${page.url()})`);
  });

  await report.section('reader accounts: register', async () => {
    await page.goto(`${base}/account/register`);
    await page.locator('#email').fill(email);
    await page.locator('#display-name').fill('Browser <Reader>');
    await page.locator('#password').fill('short');
    await Promise.all([page.waitForNavigation(), page.locator('form.stacked button[type=submit]').click()]);
    report.check(await page.locator('.error-summary').isVisible(), 'register: a short password is explained at the top');
    report.check((await page.locator('#password').getAttribute('aria-describedby')).includes('password-error'), 'register: the error is tied to its field');
    report.check((await page.locator('#email').inputValue()) === email, 'register: what was typed is kept');
    report.check((await page.locator('#password').inputValue()) === '', 'register: never the password');
    await inspect(report, page, 'register with a problem');
    await checkAxe(report, page, 'register with a problem');

    await page.locator('#password').fill(password);
    await Promise.all([page.waitForNavigation(), page.locator('form.stacked button[type=submit]').click()]);
    report.check((await page.locator('h1').textContent()).trim() === 'Check your e-mail', 'register: check your e-mail');
    await checkAxe(report, page, 'check your e-mail');
  });

  await report.section('reader accounts: verify, the account page, sign out and in', async () => {
    let link = null;
    for (let i = 0; i < 50 && !link && process.env.DATELINE_BIN; i++) {
      link = linkFromOutbox(email);
      if (!link) await page.waitForTimeout(100);
    }
    if (!link) {
      report.note('reader accounts: no outbox to read (DATELINE_BIN unset); the signed-in pages are not checked');
      return;
    }
    await visitClean(report, page, link, 'verify link');
    await checkAxe(report, page, 'verify link');
    await Promise.all([page.waitForURL(/\/account\?done=verified/), page.locator('form.stacked button[type=submit]').click()]);
    await inspect(report, page, 'account page');
    report.check(await page.locator('.notice').isVisible(), 'account: the address is verified');
    report.check((await page.locator('.masthead .sign-in').textContent()).includes('Browser <Reader>'), 'account: the masthead shows who is signed in');
    await checkAxe(report, page, 'account page');
    await screenshots(report, page, `${base}/account`, 'account', artifacts);

    await Promise.all([page.waitForURL(/\/account\/sign-in/), page.locator('form[action="/account/sign-out"] button').click()]);
    report.check((await page.locator('.notice').textContent()).includes('signed out'), 'sign out: said so');
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await Promise.all([page.waitForURL(/\/account\?done=signed-in/), page.locator('form[action="/account/sign-in"] button').click()]);
    report.check(true, '');
    signedIn = true;
  });

  await report.section('reader accounts: an article signed in, Save for later, saved stories', async () => {
    if (!signedIn) {
      report.note('reader accounts: not signed in (no outbox to read); saving is not checked');
      return;
    }
    await page.goto(`${base}/`);
    const href = await page.locator('main a[href^="/news/"]').first().getAttribute('href');
    await visitClean(report, page, `${base}${href}`, 'article, signed in');
    const headline = (await page.locator('h1').textContent()).trim();
    // Lists show a story's promo headline where it has one: the saved list is checked for its address.
    const path = new URL(page.url()).pathname;
    report.check((await page.locator('.masthead .reader-corner').textContent()).includes('Browser <Reader>'), 'article, signed in: the masthead names the reader');
    report.check((await page.locator('.masthead .reader-corner a[href="/account/my-news"]').count()) === 1, 'article, signed in: the masthead links to My news');
    await checkAxe(report, page, 'article, signed in');
    await screenshots(report, page, page.url(), 'article-signed-in', artifacts);
    await Promise.all([page.waitForNavigation(), page.locator('form.save-story button').click()]);
    report.check((await page.locator('form.save-story .saved-state').count()) === 1, 'Save for later: the article says it is saved');
    await visitClean(report, page, `${base}/account/saved`, 'saved stories');
    report.check((await page.locator(`main a[href="${path}"]`).count()) >= 1, `saved stories: lists "${headline}" (a link to ${path})`);
    await checkAxe(report, page, 'saved stories');
    await screenshots(report, page, `${base}/account/saved`, 'account-saved', artifacts);
    await Promise.all([page.waitForNavigation(), page.locator('main form[action="/account/saved/remove"] button').first().click()]);
    report.check(!(await page.locator('main').textContent()).includes(headline), 'saved stories: removed');
  });
  if (signedIn) {
    await following(ctx, page);
    await followingXss(ctx, { email, password });
  }

  report.check(context.dialogs.length === 0, `reader accounts: dialogs opened: ${context.dialogs.join(' | ')}`);
  await context.close();
}
