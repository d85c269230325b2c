// Starts bin/serve.mjs as a child process for a test file and stops it.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('../../bin/serve.mjs', import.meta.url));

/** Resolves to the ready line's info plus stop(); rejects if it does not start in time. */
export async function startServer(env = {}, { timeoutMs = 30000 } = {}) {
  const child = spawn(process.execPath, [SERVE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (process.env.REHEARSE_TEST_VERBOSE) process.stderr.write(d);
  });
  const info = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        try { resolve(JSON.parse(out.slice(0, nl))); } catch (err) { reject(err); }
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${stderr}`)); });
  });
  return {
    ...info,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
      child.kill('SIGTERM');
      const [code, signal] = await once(child, 'exit');
      return { code, signal };
    },
  };
}
