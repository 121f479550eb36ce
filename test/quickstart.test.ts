// `mortar quickstart` end to end, in-process: real data from vega-datasets, a real SQLite store.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';
import { readTable } from '../src/core/data/index.js';
import { getRun, openStore, readMetrics } from '../src/core/store/index.js';

async function run(args: string[], cwd: string) {
  const out = memoryOutput();
  const code = await main(['node', 'mortar', ...args], { out, cwd, env: {} });
  return { code, out };
}

describe('mortar quickstart', () => {
  it('streams flights-3m, writes a sample, a split and a report, and records a run', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mortar-qs-'));
    const { code, out } = await run(['quickstart', '--json', '--seed', '7'], cwd);
    expect(out.stderr.join('\n')).not.toMatch(/error/);
    expect(code).toBe(0);
    const summary = JSON.parse(out.stdout.at(-1) ?? '{}') as {
      runId: string;
      steps: { id: string; rows?: number; train?: string; test?: string; report?: string }[];
    };
    const data = summary.steps.find((s) => s.id === 'data');
    expect(data?.rows).toBe(3_000_000);

    const train = await readTable(data?.train ?? '');
    const test = await readTable(data?.test ?? '');
    expect(train.numRows + test.numRows).toBe(20_000);
    expect(train.numRows / 20_000).toBeGreaterThan(0.77);
    expect(train.numRows / 20_000).toBeLessThan(0.83);
    expect(train.schema.map((f) => f.name)).toEqual([
      'date',
      'delay',
      'distance',
      'origin',
      'destination',
    ]);

    const reportPath = summary.steps.find((s) => s.id === 'report')?.report ?? '';
    expect(existsSync(reportPath)).toBe(true);
    const html = readFileSync(reportPath, 'utf8');
    expect(html).toContain('Mortar quickstart');
    expect(html).toContain('3,000,000');

    const store = await openStore('sqlite:.mortar/mortar.db', { cwd });
    try {
      const recorded = await getRun(store, summary.runId);
      expect(recorded?.status).toBe('completed');
      expect(recorded?.kind).toBe('quickstart');
      const metrics = await readMetrics(store, summary.runId);
      // One timing per step, in step order (later capabilities add steps after these two).
      const keys = metrics.map((m) => Object.keys(m.values)[0]);
      expect(keys.slice(0, 2)).toEqual(['data_ms', 'report_ms']);
      expect(keys.length).toBe(summary.steps.length);
    } finally {
      await store.close();
    }
  });

  it('the same seed gives the same sample', async () => {
    const a = mkdtempSync(join(tmpdir(), 'mortar-qs-'));
    const b = mkdtempSync(join(tmpdir(), 'mortar-qs-'));
    expect((await run(['quickstart', '--json', '--steps', 'data', '--seed', '3'], a)).code).toBe(0);
    expect((await run(['quickstart', '--json', '--steps', 'data', '--seed', '3'], b)).code).toBe(0);
    const sa = await readTable(join(a, '.mortar/quickstart/flights-sample.parquet'));
    const sb = await readTable(join(b, '.mortar/quickstart/flights-sample.parquet'));
    expect(sa.numRows).toBe(20_000);
    expect([...sa.slice(0, 50).rows()]).toEqual([...sb.slice(0, 50).rows()]);
  });

  it('rejects unknown steps with a usage error naming the known ones', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mortar-qs-'));
    const { code, out } = await run(['quickstart', '--steps', 'data,bogus'], cwd);
    expect(code).toBe(2);
    expect(out.stderr.join('\n')).toMatch(/unknown step\(s\) bogus; known: data, report/);
  });
});
