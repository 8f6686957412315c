// What the browser tests of src/e2e share: Debian's chromium, headless and kept offline, one page whose
// script errors, CSP violations and requested URLs are watched, and steps that stop at the first failure
// with a screenshot of the page.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// This machine has no outside network: nothing in the browser may try to reach it.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const TIMEOUT = 15_000;

/**
 * Chromium (`executablePath`) on one page; screenshots go to `out`. `counts(url)` says on which pages
 * script errors and CSP violations count (all of them when omitted).
 */
export async function openPage(executablePath, out, counts = () => true) {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  await mkdir(out, { recursive: true });
  return { browser, page, out, problems: watch(page, counts) };
}

/**
 * `step(name, body)` runs one step and prints "ok - name" or "not ok - name"; `run(body)` runs the
 * test's steps, and on the first failure saves the page as `failureFile` and sets exit code 1. It
 * closes the browser either way.
 */
export function steps(label, { browser, page, out }, failureFile) {
  let passed = 0;
  async function step(name, body) {
    const started = Date.now();
    try {
      await body();
    } catch (e) {
      console.log(`not ok - ${name}`);
      throw e;
    }
    passed++;
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  }
  async function run(body) {
    const failure = join(out, failureFile);
    try {
      await body();
      console.log(`${label}: all ${passed} steps passed`);
    } catch (e) {
      await page.screenshot({ path: failure, fullPage: true }).catch(() => {});
      console.error(e);
      console.error(`${label}: failed after ${passed} steps; page at failure: ${failure}`);
      process.exitCode = 1;
    } finally {
      await browser.close();
    }
  }
  return { step, run };
}

/** Waits for the page's level-1 heading `name`. */
export function heading(page, name) {
  return page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** Script errors and CSP violations on the pages that count, and every URL the browser requests. */
function watch(page, counts) {
  const seen = { errors: [], urls: [] };
  page.on('pageerror', (e) => { if (counts(page.url())) seen.errors.push(`script error: ${e.message}`); });
  page.on('console', (m) => {
    if (counts(page.url()) && m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) seen.errors.push(m.text());
  });
  page.on('request', (r) => seen.urls.push(r.url()));
  return seen;
}
