import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../../core/errors.js';
import { ManualClock } from '../../core/clock.js';
import {
  LATEST_SCHEMA_VERSION,
  createRun,
  finishRun,
  logMetrics,
  openStore,
} from '../../core/store/index.js';
import { createContext } from '../context.js';
import { memoryOutput } from '../output.js';
import { register as registerRuns } from './runs.js';
import { register as registerStore } from './store.js';

const cwd = mkdtempSync(join(tmpdir(), 'mortar-cli-store-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const url = `sqlite:${join(cwd, 'm.db')}`;

/** Runs `mortar ...args` in-process against the test store; returns stdout lines. */
async function mortar(...args: string[]): Promise<string[]> {
  const out = memoryOutput();
  const program = new Command('mortar')
    .option('--store <url>')
    .option('-c, --config <file>')
    .exitOverride();
  const ctx = createContext(program, { out, env: {}, cwd });
  registerStore(program, ctx);
  registerRuns(program, ctx);
  for (const c of program.commands) for (const sub of [c, ...c.commands]) sub.exitOverride();
  await program.parseAsync(['node', 'mortar', '--store', url, ...args]);
  return out.stdout;
}

describe('mortar store info / runs', () => {
  it('reports an empty store, then runs and their metrics', async () => {
    const empty = JSON.parse((await mortar('store', 'info', '--json'))[0]!) as Record<
      string,
      unknown
    >;
    expect(empty).toEqual({
      backend: 'sqlite',
      store: url,
      schemaVersion: LATEST_SCHEMA_VERSION,
      supportedSchemaVersion: LATEST_SCHEMA_VERSION,
      streams: 0,
      records: 0,
      docs: 0,
      runs: 0,
      collections: {},
    });
    expect(await mortar('runs', 'list')).toEqual([`no runs in ${url}`]);

    const store = await openStore(url, { cwd });
    const clock = new ManualClock(1_700_000_000_000);
    const a = await createRun(store, { kind: 'train', name: 'first', params: { lr: 0.1 }, clock });
    await logMetrics(store, a.id, 1, { loss: 0.5 });
    await logMetrics(store, a.id, 2, { loss: Number.NaN });
    clock.advance(2_500);
    await finishRun(store, a.id, 'completed', { best: 0.5 }, { clock });
    const b = await createRun(store, { kind: 'quickstart', clock });
    await store.close();

    const info = JSON.parse((await mortar('store', 'info', '--json'))[0]!) as Record<
      string,
      unknown
    >;
    expect(info).toMatchObject({
      streams: 1,
      records: 2,
      docs: 2,
      runs: 2,
      collections: { runs: 2 },
    });
    const text = (await mortar('store', 'info')).join('\n');
    expect(text).toMatch(/backend\s+sqlite/);
    expect(text).toMatch(new RegExp(`schema\\s+v${LATEST_SCHEMA_VERSION} `));
    expect(text).toMatch(/runs\s+2/);

    const listed = JSON.parse((await mortar('runs', 'list', '--json'))[0]!) as {
      runs: { id: string }[];
    };
    expect(listed.runs.map((r) => r.id)).toEqual([b.id, a.id].sort().reverse());
    const train = JSON.parse((await mortar('runs', 'list', '--kind', 'train', '--json'))[0]!) as {
      runs: unknown[];
    };
    expect(train.runs).toEqual([
      expect.objectContaining({ id: a.id, status: 'completed', summary: { best: 0.5 } }),
    ]);
    const table = (await mortar('runs', 'list', '--status', 'running')).join('\n');
    expect(table).toContain(b.id);
    expect(table).not.toContain(a.id);

    const shown = JSON.parse((await mortar('runs', 'show', a.id, '--json'))[0]!) as {
      run: { id: string };
      metrics: { step: number; values: Record<string, unknown> }[];
    };
    expect(shown.run.id).toBe(a.id);
    expect(shown.metrics.map((m) => [m.step, m.values])).toEqual([
      [1, { loss: 0.5 }],
      [2, { loss: 'NaN' }],
    ]);
    const showText = (await mortar('runs', 'show', a.id)).join('\n');
    expect(showText).toMatch(/duration_s\s+2\.5/);
    expect(showText).toMatch(/step\s+loss/);
  });

  it('runs show of an unknown id is NOT_FOUND; bad flags are INVALID_ARGUMENT', async () => {
    const err = await mortar('runs', 'show', 'nope').catch((e: unknown) => e);
    expect(isMortarError(err, 'NOT_FOUND')).toBe(true);
    expect((err as Error).message).toMatch(/mortar runs list/);
    for (const args of [
      ['runs', 'list', '--limit', '0'],
      ['runs', 'list', '--status', 'done'],
    ]) {
      const e = await mortar(...args).catch((x: unknown) => x);
      expect(isMortarError(e, 'INVALID_ARGUMENT'), String(e)).toBe(true);
    }
  });
});
