// The `mortar` command's shared behaviour: help, config show with sources, error mapping.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';

async function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const out = memoryOutput();
  const code = await main(['node', 'mortar', ...args], {
    out,
    cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'mortar-cli-')),
    env: opts.env ?? {},
  });
  return { code, out, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

describe('mortar CLI', () => {
  it('--help lists the subcommands and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['quickstart', 'data', 'server', 'store', 'runs', 'config'])
      expect(r.stdout).toContain(cmd);
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });

  it('config show prints each value with its source: file < env < flag', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mortar-cli-'));
    writeFileSync(
      join(cwd, 'mortar.config.json'),
      JSON.stringify({ server: { port: 9001 }, seed: 5 }),
    );
    const r = await run(['--store', 'memory:', 'config', 'show', '--json'], {
      cwd,
      env: { MORTAR_SEED: '11', MORTAR_TOKEN: 'hunter2' },
    });
    expect(r.code).toBe(0);
    const { config, sources } = JSON.parse(r.stdout) as {
      config: { server: { port: number; token: string }; seed: number; store: { url: string } };
      sources: Record<string, string>;
    };
    expect(config.server.port).toBe(9001);
    expect(sources['server.port']).toBe(`file:${join(cwd, 'mortar.config.json')}`);
    expect(config.seed).toBe(11);
    expect(sources['seed']).toBe('env:MORTAR_SEED');
    expect(config.store.url).toBe('memory:');
    expect(sources['store.url']).toBe('flag:--store');
    expect(config.server.token).toBe('***'); // never printed
    const text = await run(['config', 'show'], { cwd, env: { MORTAR_TOKEN: 'hunter2' } });
    expect(text.stdout).not.toContain('hunter2');
    expect(text.stdout).toMatch(/server\.port\s+9001\s+file:/);
  });

  it('a bad config value exits 78 naming the key and its source', async () => {
    const r = await run(['config', 'show'], { env: { MORTAR_PORT: 'eighty' } });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(
      /error \[INVALID_CONFIG\]: invalid config at "server\.port" \(from env:MORTAR_PORT\)/,
    );
  });

  it('a bad store URL exits 2 naming the accepted forms; --json puts the error on stdout', async () => {
    const r = await run(['--store', 'mysql://x', 'store', 'info', '--json']);
    expect(r.code).toBe(2);
    const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toMatch(/mysql:\/\/x/);
    expect(body.error.message).toMatch(/sqlite:/);
  });
});
