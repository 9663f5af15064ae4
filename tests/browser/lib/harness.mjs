// The browser, the checks' bookkeeping, and the probes every check shares:
// script-execution hooks, the XSS corpus and how payloads are typed, axe, the
// Nu Html Checker, screenshots and the no-horizontal-scroll test.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Debian's Chromium; nothing here ever downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/**
 * Runs before any page script: every way a payload could announce itself
 * (alert, confirm, prompt, print, a global `xss`) is recorded in `window.__xss`,
 * and so is every Content-Security-Policy violation, since the site has no
 * script or inline style of its own that could cause one.
 */
function installHooks() {
  const seen = [];
  Object.defineProperty(window, '__xss', { value: seen, configurable: false });
  const hook = (name) =>
    function (...args) {
      seen.push(`${name}(${args.map(String).join(',')})`);
    };
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'xss']) {
    window[name] = hook(name);
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    seen.push(`csp:${e.violatedDirective}:${e.blockedURI}:${e.sample}`);
  });
}

/**
 * A fresh, isolated browser context with the hooks installed. `dialogs`
 * collects any real dialog that still opened (it is dismissed at once).
 */
// Navigates with the browser's HTTP cache switched off for `page`, so the answer is
// the server's now. Articles carry `max-age=60` and the short `/news/{id}` address a
// 301, which Chromium keeps: a page this context loaded in the last minute would
// otherwise come back from the browser's own cache (with its old status) after
// the server has changed its answer, as a reader's browser would show it.
export async function gotoFromServer(page, url) {
  if (!page.cacheOff) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    page.cacheOff = true;
  }
  return page.goto(url);
}

export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  // Fail fast: every page here answers in well under a second.
  context.setDefaultTimeout(10_000);
  await context.addInitScript(installHooks);
  const dialogs = [];
  context.on('page', (page) => watchPage(page, dialogs));
  context.dialogs = dialogs;
  return context;
}

function watchPage(page, dialogs) {
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()} at ${page.url()}`);
    dialog.dismiss().catch(() => {});
  });
}

/** Results of every check, printed at the end; any failure makes the run exit 1. */
export class Report {
  constructor() {
    this.failures = [];
    this.passes = 0;
    this.notes = [];
    // Every page axe checked, as [label, HTML]: the Nu Html Checker reads them all at the end.
    this.documents = new Map();
  }

  /** Records a failure unless `condition` holds. */
  check(condition, message) {
    if (condition) {
      this.passes += 1;
    } else {
      this.failures.push(message);
      console.log(`  FAIL ${message}`);
    }
    return Boolean(condition);
  }

  note(message) {
    this.notes.push(message);
    console.log(`  note: ${message}`);
  }

  /** Runs one named group of checks; an exception inside it is one failure, not the end of the run. */
  async section(name, body) {
    const started = Date.now();
    console.log(`* ${name}`);
    try {
      await body();
    } catch (error) {
      this.failures.push(`${name}: ${error.stack || error}`);
      console.log(`  FAIL ${name} threw: ${error.stack || error}`);
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

/** Everything that ran on this page that should not have: hooked calls, CSP violations. */
export async function executed(page) {
  return page.evaluate(() => Array.from(window.__xss || []));
}

/** The XSS corpus: one payload a line, `#` lines and blank lines left out. */
export const CORPUS = join(here, '..', '..', 'fixtures', 'xss-payloads.txt');

/** Reads the corpus, decoding \uXXXX, \u{X…}, \0, \n, \t, \r and \\. */
export async function loadPayloads(path = CORPUS) {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '' && line !== '#' && !line.startsWith('# '))
    .map((line) =>
      line.replace(/\\(u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|0|n|t|r|\\)/g, (_, all, cp, u4) => {
        if (cp) return String.fromCodePoint(parseInt(cp, 16));
        if (u4) return String.fromCharCode(parseInt(u4, 16));
        return { 0: '\0', n: '\n', t: '\t', r: '\r', '\\': '\\' }[all];
      }),
    );
}

/** What src/domain/text.rs clean_line makes of a one-line field. */
export function cleanLine(value) {
  return value
    .replace(/[\n\t\r]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .split(/\s+/u)
    .filter(Boolean)
    .join(' ');
}

/** Browsers submit lone surrogates as U+FFFD. */
export const wellFormed = (s) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** Unicode noncharacters, which readers' names and comments and sponsors' campaigns drop (src/domain/text.rs is_noncharacter). */
export const dropNoncharacters = (s) =>
  [...s].filter((c) => {
    const n = c.codePointAt(0);
    return !((n >= 0xfdd0 && n <= 0xfdef) || (n & 0xfffe) === 0xfffe);
  }).join('');

/**
 * What a page shows of a one-line value a reader or a sponsor typed, as the
 * browser sent it: cleaned, noncharacters dropped, composed (NFC), whitespace
 * collapsed (src/domain/text.rs clean_shown_line).
 */
export const shownLine = (s) => dropNoncharacters(wellFormed(cleanLine(s))).normalize('NFC').replace(/\s+/g, ' ').trim();

/**
 * Packs payloads, joined by spaces, into values of at most `limit` characters
 * as `measure` counts them (by default what a one-line field keeps of them);
 * the payloads longer than that alone come back apart, in `over`.
 */
export function pack(payloads, limit, measure = (s) => [...cleanLine(s)].length) {
  const chunks = [];
  const over = [];
  let current = [];
  for (const p of payloads) {
    if (measure(p) > limit) {
      over.push(p);
      continue;
    }
    const candidate = [...current, p].join(' ');
    if (current.length && measure(candidate) > limit) {
      chunks.push(current.join(' '));
      current = [p];
    } else {
      current.push(p);
    }
  }
  if (current.length) chunks.push(current.join(' '));
  return { chunks, over };
}

/**
 * Elements and attributes the templates can produce. Anything else in a page
 * (an injected `<img>`, an `onerror=`, a `javascript:` address) is a finding.
 */
const ALLOWED_TAGS = new Set(
  (
    'html head meta title link script body a header p form label input button nav ul ol li main ' +
    'h1 h2 h3 article figure img figcaption strong em div span time aside footer section blockquote ' +
    'br mark ins del table thead tbody tr th td select option textarea fieldset legend code pre ' +
    'small dl dt dd abbr details summary bdi optgroup'
  ).split(' '),
);

/**
 * What the newsroom's script (static/newsroom.js, from frontend/src) adds to
 * newsroom pages: the formatting toolbar (GitHub's markdown-toolbar element),
 * the preview frame and the picture dialog.
 */
const NEWSROOM_SCRIPT_TAGS = ['markdown-toolbar', 'md-header', 'md-quote', 'md-link', 'md-italic', 'md-bold', 'iframe', 'dialog'];

/** Scans the live DOM for markup no template writes. Returns a list of findings. */
export async function unexpectedMarkup(page) {
  return page.evaluate(([allowed, newsroomTags]) => {
    const found = [];
    const newsroom = location.pathname.startsWith('/newsroom');
    const allowedSet = new Set(newsroom ? [...allowed, ...newsroomTags] : allowed);
    // The scripts the site serves, from 'self' (src/web/assets.rs): the live pages'
    // on the public site, the newsroom's on newsroom pages.
    const ourScript = newsroom ? /^\/static\/newsroom\.[0-9a-f]+\.js$/ : /^\/static\/live\.[0-9a-f]+\.js$/;
    for (const el of document.querySelectorAll('*')) {
      const tag = el.localName;
      if (!allowedSet.has(tag)) found.push(`<${tag}>`);
      const ours = ourScript.test(el.getAttribute('src') || '') && !el.textContent;
      if (tag === 'script' && el.type !== 'application/ld+json' && !ours) found.push('<script> that runs');
      // The live preview: the server's rendering of the draft, in a frame sandboxed from scripts.
      const preview = newsroom && tag === 'iframe' && el.closest('.live-preview') && el.getAttribute('sandbox') === 'allow-same-origin';
      if (tag === 'iframe' && !preview) found.push('<iframe> other than the preview');
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on')) found.push(`${tag}[${name}]`);
        if (name === 'style' || (name === 'srcdoc' && !preview) || name === 'formaction') found.push(`${tag}[${name}]`);
        if (['href', 'src', 'action', 'srcset', 'xlink:href', 'data'].includes(name)) {
          const value = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
          if (/^(javascript|data|vbscript):/.test(value)) found.push(`${tag}[${name}=${attr.value.slice(0, 40)}]`);
        }
      }
    }
    for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
      try {
        JSON.parse(s.textContent);
      } catch (e) {
        found.push(`JSON-LD does not parse: ${e.message}`);
      }
    }
    return found;
  }, [[...ALLOWED_TAGS], NEWSROOM_SCRIPT_TAGS]);
}

/** Opens `url` and asserts nothing ran and nothing unexpected is in the DOM. Returns the response. */
export async function visitClean(report, page, url, label = url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  await inspect(report, page, label);
  return response;
}

/** Asserts that nothing ran on the page as it stands and nothing unexpected is in its DOM. */
export async function inspect(report, page, label) {
  // Give a payload that was to run on a timer or event a moment.
  await page.waitForTimeout(30);
  const ran = await executed(page);
  report.check(ran.length === 0, `${label}: script ran: ${ran.join(' | ')}`);
  const markup = await unexpectedMarkup(page);
  report.check(markup.length === 0, `${label}: unexpected markup: ${[...new Set(markup)].join(', ')}`);
}

/**
 * Sends the form `form` (a selector) in `page` as the browser would, and reads
 * the answer without loading it: the answer is parsed, not rendered, since a
 * page load costs Chromium ~75-100 ms of CPU, which adds up over a corpus.
 *
 * What is sent is the form's FormData, with `submitter` (a selector inside the
 * form) as the button pressed and each field named in `set` given its value,
 * as multipart, or urlencoded if `urlencoded`; it goes to the form's `action`
 * attribute resolved against the page's address (not `form.action`, which a
 * control named "action" shadows), and redirects are followed.
 *
 * Returns `{ url, found }`: the answer's address, and for each key of `read`
 * the answer's elements matching its selector, as `{ id, text }` (text trimmed).
 * The answer's body is read only if `read` asks for something.
 */
export async function sendForm(page, { form, submitter = null, set = {}, urlencoded = false, read = {} }) {
  return page.evaluate(async ({ form, submitter, set, urlencoded, read }) => {
    const element = document.querySelector(form);
    if (!element) throw new Error(`sendForm: no form ${form} on ${location.href}`);
    const data = new FormData(element, submitter ? element.querySelector(submitter) : null);
    for (const [name, value] of Object.entries(set)) data.set(name, value);
    const address = new URL(element.getAttribute('action') || '', location.href);
    const response = await fetch(address, { method: 'POST', body: urlencoded ? new URLSearchParams(data) : data });
    const found = {};
    if (Object.keys(read).length) {
      const answer = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const [key, selector] of Object.entries(read)) {
        found[key] = [...answer.querySelectorAll(selector)].map((e) => ({ id: e.id, text: e.textContent.trim() }));
      }
    }
    return { url: response.url, found };
  }, { form, submitter, set, urlencoded, read });
}

let axeSource;

/** axe-core at WCAG 2.1 AA; returns the violations (rule id, impact, first targets). */
export async function axe(page) {
  if (!axeSource) {
    axeSource = await readFile(join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  }
  // Evaluated through the DevTools protocol, so the site's CSP (no scripts) does not block it.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.length,
    targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim() ?? ''})`),
  }));
}

/** Runs axe and records one failure per violated rule. */
export async function checkAxe(report, page, label) {
  if (!report.documents.has(label)) report.documents.set(label, await page.content());
  const violations = await axe(page);
  for (const v of violations) {
    report.check(false, `axe on ${label}: ${v.id} (${v.impact}, ${v.nodes} nodes): ${v.help}: ${v.targets.join('; ')}`);
  }
  if (violations.length === 0) report.check(true, '');
  report.note(`axe (WCAG 2.1 AA) on ${label}: ${violations.length} violations`);
  return violations.length;
}

/** The Nu Html Checker (vnu.jar from the vnu-jar npm package), run by the system's Java. */
export const VNU_JAR = join(here, '..', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

/**
 * Checks `documents` ([label, html] pairs, the HTML as the server sent it) with
 * the Nu Html Checker in one run, and records one failure per error or
 * warning. Returns how many there were.
 */
export async function checkVnu(report, documents) {
  const dir = await mkdtemp(join(tmpdir(), 'dateline-vnu-'));
  try {
    const files = [];
    for (const [index, [, html]] of documents.entries()) {
      const file = join(dir, `page-${index}.html`);
      await writeFile(file, html);
      files.push(file);
    }
    const output = execFileSync('java', ['-jar', VNU_JAR, '--stdout', '--format', 'json', '--exit-zero-always', ...files], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const { messages } = JSON.parse(output.trim() || '{"messages":[]}');
    let errors = 0;
    for (const m of messages) {
      const index = files.findIndex((f) => m.url && m.url.endsWith(f.split('/').pop()));
      const label = index >= 0 ? documents[index][0] : m.url;
      const where = m.lastLine ? ` (line ${m.lastLine})` : '';
      if (m.type === 'error' || m.type === 'non-document-error') {
        errors += 1;
        report.check(false, `vnu on ${label}${where}: ${m.message}: ${(m.extract || '').slice(0, 120)}`);
      } else if (m.subType === 'warning') {
        // The standard is no error and no warning.
        errors += 1;
        report.check(false, `vnu warning on ${label}${where}: ${m.message}: ${(m.extract || '').slice(0, 120)}`);
      }
    }
    if (errors === 0) report.check(true, '');
    report.note(`vnu on ${documents.length} documents: ${errors} errors and warnings`);
    return errors;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const WIDTHS = [320, 375, 1280];

/**
 * Screenshots `url` at each width into `dir` and checks the page never scrolls
 * sideways at phone widths (the whole page, not just the first screen).
 */
export async function screenshots(report, page, url, name, dir) {
  await mkdir(dir, { recursive: true });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 800 ? 740 : 900 });
    await page.goto(url, { waitUntil: 'load' });
    const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map((el) => `${el.localName}.${el.className}`),
    }));
    report.check(
      scrollWidth <= innerWidth,
      `${name} at ${width}px scrolls sideways: scrollWidth ${scrollWidth} > innerWidth ${innerWidth} (${wide.join(', ')})`,
    );
    await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/**
 * Runs `work(page, item, index)` over `items` with `workers` pages of one
 * context at a time: most of a check's time is waiting on the server.
 */
export async function pool(context, workers, items, work) {
  let next = 0;
  const run = async () => {
    const page = await context.newPage();
    try {
      while (next < items.length) {
        const index = next++;
        await work(page, items[index], index);
      }
    } finally {
      await page.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, run));
}
