#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Plays the learner's browser in the sign-in end-to-end test: headless
// Chromium (Debian's), driven over the Chrome DevTools Protocol on a pipe
// (--remote-debugging-pipe: no WebSocket, no npm package), opens the
// authorize URL, fills in the hosted UI's login form and follows the
// redirect.
//
//   node signin-browser.mjs --url URL --email E --password P --redirect URI
//
// A redirect to http://localhost:PORT/… is followed (the app's loopback
// listener answers). A redirect to the app's URI scheme cannot be followed
// by a browser without a desktop: it is captured at the provider's 302 and
// printed, for the test to hand to `rehearse URI` as the desktop would.
// Prints one JSON line: {"callback": "<redirect URL>", "page": "<text>"}.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const need of ['url', 'email', 'password', 'redirect']) {
    if (!args[need]) throw new Error(`--${need} is required`);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const timeoutMs = Number(process.env.SIGNIN_BROWSER_TIMEOUT_MS ?? 40000);
const profile = mkdtempSync(join(tmpdir(), 'rehearse-chromium-'));

const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions', '--no-first-run', '--no-default-browser-check',
  '--password-store=basic', '--use-mock-keychain',
  `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });

let stderr = '';
browser.stderr.on('data', (d) => { stderr += d; });

// CDP over the pipe: JSON messages, each ended by a NUL byte.
const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];
let nextId = 1;
const pending = new Map();
const listeners = [];
let buffered = Buffer.alloc(0);

fromBrowser.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  let end;
  while ((end = buffered.indexOf(0)) >= 0) {
    const message = JSON.parse(buffered.subarray(0, end).toString('utf8'));
    buffered = buffered.subarray(end + 1);
    if (message.id !== undefined && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(`${message.error.message} (${message.error.code})`));
      else resolve(message.result);
    } else if (message.method) {
      for (const listener of [...listeners]) listener(message);
    }
  }
});

function send(method, params = {}, sessionId) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    toBrowser.write(`${JSON.stringify(message)}\0`);
  });
}

function waitFor(predicate, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listeners.splice(listeners.indexOf(listener), 1);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const listener = (message) => {
      const value = predicate(message);
      if (value) {
        clearTimeout(timer);
        listeners.splice(listeners.indexOf(listener), 1);
        resolve(value);
      }
    };
    listeners.push(listener);
  });
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

async function evaluate(sessionId, expression) {
  const { result, exceptionDetails } = await send('Runtime.evaluate',
    { expression, returnByValue: true, awaitPromise: true }, sessionId);
  if (exceptionDetails) throw new Error(`page script failed: ${exceptionDetails.text}`);
  return result.value;
}

async function main() {
  const scheme = !/^https?:/.test(args.redirect);
  const issuerOrigin = new URL(args.url).origin;

  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  await send('Page.enable', {}, sessionId);
  await send('Runtime.enable', {}, sessionId);

  // Every answer of the provider passes here: a redirect to the app's URI
  // scheme is taken and replaced by a page, as the desktop would take it.
  let captured = null;
  listeners.push((message) => {
    if (message.method !== 'Fetch.requestPaused' || message.sessionId !== sessionId) return;
    const { requestId, responseStatusCode, responseHeaders = [] } = message.params;
    const location = responseHeaders.find((h) => h.name.toLowerCase() === 'location')?.value;
    if (scheme && responseStatusCode >= 300 && responseStatusCode < 400 && location
        && location.startsWith(args.redirect)) {
      captured = location;
      const body = Buffer.from('<html><body>Handed to the app</body></html>').toString('base64');
      send('Fetch.fulfillRequest', {
        requestId, responseCode: 200, body,
        responseHeaders: [{ name: 'Content-Type', value: 'text/html' }],
      }, sessionId).catch(() => {});
    } else {
      send('Fetch.continueRequest', { requestId }, sessionId).catch(() => {});
    }
  });
  await send('Fetch.enable', {
    patterns: [{ urlPattern: `${issuerOrigin}/*`, requestStage: 'Response' }],
  }, sessionId);

  const loaded = () => waitFor((m) => m.method === 'Page.loadEventFired' && m.sessionId === sessionId,
    'a page to load');
  let load = loaded();
  await send('Page.navigate', { url: args.url }, sessionId);
  await load;

  const hasForm = await evaluate(sessionId, 'Boolean(document.querySelector("form#login-form"))');
  if (!hasForm) {
    const text = await evaluate(sessionId, 'document.body ? document.body.innerText : ""');
    throw new Error(`no login form on ${args.url}: ${text.slice(0, 300)}`);
  }
  load = loaded();
  await evaluate(sessionId, `(() => {
    const form = document.querySelector('form#login-form');
    form.querySelector('input[name=login]').value = ${JSON.stringify(args.email)};
    form.querySelector('input[name=password]').value = ${JSON.stringify(args.password)};
    form.querySelector('[type=submit]').click();
    return true;
  })()`);
  await load;

  // follow (or wait for) the redirect
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const href = await evaluate(sessionId, 'location.href');
    if (scheme && captured) {
      return { callback: captured, page: '' };
    }
    if (!scheme && href.startsWith(args.redirect)) {
      // the app's listener answered; its page says so
      const page = await evaluate(sessionId, 'document.body ? document.body.innerText : ""');
      return { callback: href, page };
    }
    if (Date.now() > deadline) {
      const text = await evaluate(sessionId, 'document.body ? document.body.innerText : ""');
      throw new Error(`the browser stopped at ${href}: ${text.slice(0, 300)}`);
    }
    await sleep(100);
  }
}

let status = 0;
try {
  const result = await main();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (err) {
  process.stderr.write(`signin-browser: ${err.message}\n`);
  if (process.env.SIGNIN_BROWSER_VERBOSE) process.stderr.write(stderr);
  status = 1;
} finally {
  try {
    await Promise.race([send('Browser.close'), sleep(2000)]);
  } catch {
    // already gone
  }
  if (browser.exitCode === null) {
    const exited = new Promise((r) => { browser.once('exit', r); });
    browser.kill('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
  }
  // helpers may still be writing into the profile for a moment
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch {
    // left in the temporary folder
  }
}
process.exit(status);
