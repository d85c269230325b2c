#!/usr/bin/env node
// Starts the local cloud (DynamoDB emulation, OpenID provider, sync API) on
// loopback and prints one line of JSON to stdout when it is ready:
//   {"api":"http://127.0.0.1:P","issuer":"http://127.0.0.1:Q","dynamodb":"http://127.0.0.1:R",
//    "client_id":"...","user":"...","password":"...", ...}
// Everything else goes to stderr. SIGTERM or SIGINT stops it cleanly.

import { format } from 'node:util';

import { startStack } from '../src/stack.mjs';

// Keep stdout for the one ready line: libraries' notices go to stderr.
const toStderr = (...args) => process.stderr.write(`${format(...args)}\n`);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

let stack;
let stopping = false;

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`rehearse-test-server: ${signal}, stopping\n`);
  const timer = setTimeout(() => process.exit(1), 5000);
  timer.unref();
  await stack?.stop();
  process.exit(0);
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
if (process.env.REHEARSE_EXIT_ON_STDIN_EOF === '1') {
  process.stdin.on('end', () => shutdown('stdin closed'));
  process.stdin.resume();
}

try {
  stack = await startStack();
  process.stdout.write(`${JSON.stringify(stack.info)}\n`);
} catch (err) {
  process.stderr.write(`rehearse-test-server: could not start: ${err.stack ?? err}\n`);
  process.exit(1);
}
