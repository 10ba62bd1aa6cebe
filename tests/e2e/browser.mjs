// Debian's Chromium through playwright-core (no downloaded browser). Playwright gives it a fresh
// temporary profile and removes it on close.
import { chromium } from 'playwright-core';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: FLAGS,
    timeout: 30_000,
  });
}

// Records what a browser context did that a test asserts on at the end: every request URL and
// every console error or uncaught page exception (a CSP violation shows as a console error).
// A console error the test provoked on purpose is excused by allow(urlSuffix, textPattern):
// Chromium logs "Failed to load resource" for any 4xx answer or refused connection.
export function watchContext(context) {
  const requests = [];
  const errors = [];
  const allowed = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url ?? '';
    const text = message.text();
    if (allowed.some((rule) => url.endsWith(rule.urlSuffix) && rule.textPattern.test(text))) return;
    errors.push(`${text} (at ${url})`);
  });
  context.on('weberror', (webError) => errors.push(`uncaught: ${webError.error().message}`));
  return {
    requests,
    errors,
    allow(urlSuffix, textPattern) { allowed.push({ urlSuffix, textPattern }); },
  };
}

// A new context (with `options`, every wait bounded by `timeoutMs`), watched, and a page in it.
export async function openWatchedPage(browser, { timeoutMs = 30_000, ...options } = {}) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(timeoutMs);
  const watched = watchContext(context);
  const page = await context.newPage();
  return { context, watched, page };
}
