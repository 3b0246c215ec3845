// Opens pages of a generated site in the system Chromium, from file:// as people open it,
// and writes what went wrong on each page to a JSON report.
//
//   node tests/browser/check.mjs --site DIR --pages rel1,rel2,... --shots OUTDIR \
//     --report REPORT.json [--expect-text TEXT]
//
// `--pages @FILE` reads the pages from FILE, one per line (a long list does not fit in one
// command-line argument). For each page it records console errors (a Content-Security-Policy
// violation is one), uncaught exceptions, failed requests, requests that leave the site
// (aborted before they go out), dialogs (dismissed), and axe-core's WCAG 2.2 A/AA
// violations; it takes a full-page screenshot, and opens the page again with JavaScript
// off, since every page must work without it. Exits 0 whenever it ran, findings or not;
// otherwise prints why it could not run and exits 2.
//
// Chromium is the system's (HRCITIES_CHROMIUM, or /usr/bin/chromium); playwright never
// downloads one. The tests call this through tests/it/browser.rs.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));

/** The axe-core rule tags checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** How many of a violation's elements the report names. */
const AXE_NODES = 5;
/** Milliseconds a page may take to load, then to be checked (a script that never ends). */
const LOAD_TIMEOUT = 30_000;
const CHECK_TIMEOUT = 60_000;
/** The flags Chromium needs here: no sandbox (root, containers), and no network of its own. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function fail(message) {
  console.error(`check.mjs: ${message}`);
  process.exit(2);
}

function firstLine(error) {
  return String(error && error.message ? error.message : error).split('\n')[0];
}

function parseArgs(argv) {
  const args = { expectText: null };
  const names = {
    '--site': 'site',
    '--pages': 'pages',
    '--shots': 'shots',
    '--report': 'report',
    '--expect-text': 'expectText',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const name = names[argv[i]];
    if (!name) fail(`unknown argument ${JSON.stringify(argv[i])}`);
    if (i + 1 >= argv.length) fail(`${argv[i]} needs a value`);
    args[name] = argv[i + 1];
  }
  for (const required of ['site', 'pages', 'shots', 'report']) {
    if (args[required] === undefined) fail(`--${required} is required`);
  }
  const pages = args.pages.startsWith('@')
    ? readFileSync(args.pages.slice(1), 'utf8').split('\n')
    : args.pages.split(',');
  args.pages = pages.map((p) => p.trim()).filter((p) => p !== '');
  if (args.pages.length === 0) fail('no pages given');
  return args;
}

/** A screenshot's file name from a page's path: `en/rights/x.html` → `en__rights__x.png`. */
function shotName(page) {
  const base = page.replace(/\.html?$/i, '').replace(/[\\/]+/g, '__');
  return `${base.replace(/[^A-Za-z0-9._-]/g, '_') || 'page'}.png`;
}

/** Empty lists of what a page can do wrong. */
function nothingSeen() {
  return {
    console_errors: [],
    page_errors: [],
    failed_requests: [],
    external_requests: [],
    dialogs: [],
  };
}

/**
 * A page of `context` that visits one URL after another (a new page per URL costs about
 * 150 ms), recording what each does into `tab.seen`. Given `tab`, it gets the new page.
 */
async function openTab(context, tab = {}) {
  const page = await context.newPage();
  tab.page = page;
  tab.seen = nothingSeen();
  // Any request that is not for a file leaves the site: record it and stop it going out.
  await page.route(
    (u) => u.protocol !== 'file:',
    (route) => {
      const request = route.request();
      tab.seen.external_requests.push(`${request.method()} ${request.url()}`);
      return route.abort('blockedbyclient');
    },
  );
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const at = msg.location();
    const line = at && at.lineNumber ? `:${at.lineNumber + 1}` : '';
    const where = at && at.url ? ` (${at.url}${line})` : '';
    tab.seen.console_errors.push(`${msg.text()}${where}`);
  });
  page.on('pageerror', (error) => {
    tab.seen.page_errors.push(error.stack || String(error));
  });
  page.on('requestfailed', (request) => {
    // An aborted request that leaves the site is already among the external requests.
    if (!request.url().startsWith('file:')) return;
    const why = request.failure() ? request.failure().errorText : 'failed';
    tab.seen.failed_requests.push(`${request.url()} (${why})`);
  });
  page.on('dialog', async (dialog) => {
    tab.seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  return tab;
}

/**
 * Opens `url` in `tab` and returns what happened, as arrays of readable lines, with what
 * `withPage(page)` returns (it runs once the page has loaded). When the page could not be
 * checked, the tab is replaced by a new one, so that the next page starts clean.
 */
async function visit(tab, url, withPage) {
  const seen = nothingSeen();
  tab.seen = seen;
  let extra = {};
  try {
    await tab.page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
    let timer;
    const late = new Promise((_, reject) => {
      const error = new Error(`not checked within ${CHECK_TIMEOUT} ms`);
      timer = setTimeout(() => reject(error), CHECK_TIMEOUT);
    });
    try {
      extra = await Promise.race([withPage(tab.page), late]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    seen.page_errors.push(`could not check the page: ${firstLine(error)}`);
    const context = tab.page.context();
    await tab.page.close().catch(() => {});
    await openTab(context, tab);
  }
  return { ...seen, ...extra };
}

/** axe-core's violations on `page`, injected without a <script> so the page's CSP stays on. */
async function runAxe(page, axeSource) {
  // page.evaluate runs through the DevTools protocol, which the page's Content-Security-Policy
  // does not govern (addScriptTag would add an inline script, which the CSP refuses).
  await page.evaluate(axeSource);
  const violations = await page.evaluate(
    async ([tags]) => {
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
        // axe would fetch each stylesheet again with XMLHttpRequest, which file:// pages
        // may not do: its own request would show up as a console error of the page.
        preload: false,
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.map(String).join(' ')),
      }));
    },
    [AXE_TAGS],
  );
  return violations.map((v) => ({ ...v, nodes: v.nodes.slice(0, AXE_NODES) }));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const site = resolve(args.site);
  let isDir = false;
  try {
    isDir = statSync(site).isDirectory();
  } catch {
    fail(`site folder ${site} not found`);
  }
  if (!isDir) fail(`${site} is not a folder`);
  let playwright;
  let axeSource;
  try {
    playwright = require('playwright-core');
    axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch (error) {
    fail(`${firstLine(error)} (run: npm ci --prefix tests/browser)`);
  }
  const shots = resolve(args.shots);
  mkdirSync(shots, { recursive: true });

  const executablePath = process.env.HRCITIES_CHROMIUM || '/usr/bin/chromium';
  let browser;
  try {
    browser = await playwright.chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (error) {
    fail(`could not start Chromium at ${executablePath}: ${firstLine(error)}`);
  }

  const viewport = { width: 1280, height: 800 };
  const report = { pages: [] };
  try {
    const withJs = await openTab(await browser.newContext({ viewport }));
    const withoutJs = await openTab(
      await browser.newContext({ viewport, javaScriptEnabled: false }),
    );
    for (const page of args.pages) {
      const url = pathToFileURL(join(site, page)).href;
      const screenshot = join(shots, shotName(page));
      rmSync(screenshot, { force: true });
      // The two contexts are apart: the page is opened in both at once.
      const [found, plain] = await Promise.all([
        visit(withJs, url, async (p) => {
          // Let scripts that run on load finish their first frame.
          await p.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
          const axe = await runAxe(p, axeSource);
          await p.screenshot({ path: screenshot, fullPage: true });
          const text_found =
            args.expectText === null
              ? null
              : await p.evaluate((t) => document.body.innerText.includes(t), args.expectText);
          return { axe, text_found };
        }),
        // With JavaScript off, page.evaluate would never return: nothing runs in the page.
        visit(withoutJs, url, async () => ({})),
      ]);
      report.pages.push({
        page,
        url,
        console_errors: found.console_errors,
        page_errors: found.page_errors,
        failed_requests: found.failed_requests,
        external_requests: found.external_requests,
        dialogs: found.dialogs,
        axe: found.axe ?? [],
        text_found: found.text_found ?? (args.expectText === null ? null : false),
        screenshot: existsSync(screenshot) ? screenshot : null,
        without_js: {
          console_errors: plain.console_errors,
          page_errors: plain.page_errors,
          failed_requests: plain.failed_requests,
          external_requests: plain.external_requests,
          dialogs: plain.dialogs,
        },
      });
    }
  } finally {
    await browser.close().catch(() => {});
  }
  mkdirSync(dirname(resolve(args.report)), { recursive: true });
  writeFileSync(args.report, `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error) => fail(error.stack || String(error)));
