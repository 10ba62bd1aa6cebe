// Starts the real image-resize binary on 127.0.0.1 with a free port and a fresh data dir, the way
// tests/support/server_process.cpp does: the port is read from the "listening" log line.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LISTENING = / info listening .*\bport=(\d+)/;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see tests/e2e/README.md)`);
  return value;
}

// `prepare(workDir)` may write files the server needs and return extra flags.
export async function startServer(prepare = async () => []) {
  const binary = requiredEnv('IMAGE_RESIZE_BINARY');
  const workDir = await mkdtemp(join(tmpdir(), 'image-resize-e2e-'));
  const args = ['serve', '--host', '127.0.0.1', '--port', '0',
    '--data-dir', join(workDir, 'data'), '--workers', '2', ...(await prepare(workDir))];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  // If this test process dies without running its cleanup, the server must not outlive it.
  const killOnExit = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
  process.on('exit', killOnExit);

  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line within ${START_TIMEOUT_MS} ms; log:\n${log}`)),
      START_TIMEOUT_MS);
    const check = () => {
      const match = LISTENING.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`image-resize exited (code ${code}, signal ${signal}) before listening; log:\n${log}`));
    });
  }).catch(async (error) => {
    killOnExit();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  });

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    log: () => log,
    // SIGTERM by PID, SIGKILL if it has not exited in time; then the temp dir goes.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGTERM');
        const timer = setTimeout(() => { if (child.exitCode === null) process.kill(child.pid, 'SIGKILL'); },
          STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
