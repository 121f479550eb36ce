import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the real `mortar` CLI from the sources in a child process (tsx compiles on the fly), so the
// test needs no build and covers signals and exit codes exactly as `bin/mortar.js` sees them.
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
let dir: string;
let entry: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mortar-server-'));
  entry = join(dir, 'mortar.mts');
  writeFileSync(
    entry,
    `import { main } from ${JSON.stringify(MAIN)};\nprocess.exitCode = await main(process.argv);\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function mortar(args: readonly string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', TSX, entry, ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', MORTAR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Waits until stderr says where the server listens (or the process exits). */
async function listeningUrl(child: Child): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(child.stderr());
      if (m?.[1]) {
        child.proc.stderr?.off('data', check);
        resolve(m[1]);
      }
    };
    child.proc.stderr?.on('data', check);
    void child.exited.then((r) =>
      reject(
        new Error(`mortar exited (${JSON.stringify(r)}) before listening:\n${child.stderr()}`),
      ),
    );
    check();
  });
}

describe('mortar server', () => {
  it('listens on 127.0.0.1, serves requests, and exits 0 on SIGTERM', async () => {
    const child = mortar(['--store', 'memory:', 'server', '--port', '0', '--json']);
    try {
      const url = await listeningUrl(child);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const runs = await fetch(`${url}/v1/runs?limit=0`);
      expect(runs.status).toBe(400);
      expect(((await runs.json()) as { error: { message: string } }).error.message).toContain(
        'query.limit',
      );
      expect((await fetch(`${url}/v1/runs`)).status).toBe(200);
      const line = child.stdout().trim().split('\n')[0] ?? '';
      expect(JSON.parse(line)).toMatchObject({ url, host: '127.0.0.1' });
    } finally {
      child.proc.kill('SIGTERM');
    }
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.stderr()).not.toMatch(/error/i);
  });

  it('requires the token from MORTAR_TOKEN on everything but /healthz', async () => {
    const child = mortar(['--store', 'memory:', 'server', '--port', '0'], {
      MORTAR_TOKEN: 'tok-1',
    });
    try {
      const url = await listeningUrl(child);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/v1/runs`)).status).toBe(401);
      const ok = await fetch(`${url}/v1/runs`, { headers: { authorization: 'Bearer tok-1' } });
      expect(ok.status).toBe(200);
    } finally {
      child.proc.kill('SIGINT');
    }
    expect((await child.exited).code).toBe(0);
  });

  it('takes the token from --token-file', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'from-file\n', { mode: 0o600 });
    const child = mortar(['--store', 'memory:', 'server', '--port', '0', '--token-file', file]);
    try {
      const url = await listeningUrl(child);
      expect(child.stderr()).toContain('bearer token required');
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const ok = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer from-file' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('mortar_http_requests_total');
    } finally {
      child.proc.kill('SIGTERM');
    }
    expect((await child.exited).code).toBe(0);
  });

  it('exits 2 naming the flag when --port is not a port', async () => {
    const child = mortar(['--store', 'memory:', 'server', '--port', 'http']);
    expect((await child.exited).code).toBe(2);
    expect(child.stderr()).toContain('--port must be an integer from 0 to 65535');
  });
});
