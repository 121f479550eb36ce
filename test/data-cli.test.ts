import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';
import { readTable } from '../src/core/data/index.js';

const DATA = resolve('node_modules/vega-datasets/data');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mortar-data-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const out = memoryOutput();
  const code = await main(['node', 'mortar', ...args], { out, env: {}, cwd: dir });
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n'), out };
}

describe('mortar data', () => {
  it('schema prints columns and types, and JSON with --json', async () => {
    const human = await run('data', 'schema', `${DATA}/seattle-weather.csv`);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/temp_max\s+float64\s+DOUBLE/);
    const json = await run('data', 'schema', `${DATA}/flights-3m.parquet`, '--json');
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as {
      rows: number;
      columns: { name: string; type: string }[];
    };
    expect(body.rows).toBe(3_000_000);
    expect(body.columns.map((c) => c.type)).toEqual([
      'timestamp',
      'int64',
      'int64',
      'string',
      'string',
    ]);
  });

  it('head -n N prints N rows', async () => {
    const r = await run('data', 'head', `${DATA}/penguins.json`, '-n', '3', '--json');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { rows: Record<string, unknown>[] };
    expect(body.rows).toHaveLength(3);
    expect(body.rows[0]).toMatchObject({ Species: 'Adelie', Island: 'Torgersen' });
    const human = await run('data', 'head', `${DATA}/cars.json`, '-n', '2');
    expect(human.stdout.split('\n')).toHaveLength(4); // header, rule, 2 rows
    expect(human.stdout).toContain('chevrolet chevelle malibu');
  });

  it('sample: same seed gives the same rows, another seed other rows', async () => {
    const a = await run(
      'data',
      'sample',
      `${DATA}/seattle-weather.csv`,
      '--rows',
      '25',
      '--seed',
      '7',
      '--out',
      'a.parquet',
    );
    const b = await run(
      'data',
      'sample',
      `${DATA}/seattle-weather.csv`,
      '--rows',
      '25',
      '--seed',
      '7',
      '--out',
      'b.csv',
    );
    const c = await run(
      'data',
      'sample',
      `${DATA}/seattle-weather.csv`,
      '--rows',
      '25',
      '--seed',
      '8',
      '--out',
      'c.parquet',
    );
    expect([a.code, b.code, c.code]).toEqual([0, 0, 0]);
    expect(a.stdout).toContain('sampled 25 of 1461 rows');
    const ra = [...(await readTable(join(dir, 'a.parquet'))).rows()];
    const rb = [...(await readTable(join(dir, 'b.csv'))).rows()];
    const rc = [...(await readTable(join(dir, 'c.parquet'))).rows()];
    expect(ra).toHaveLength(25);
    expect(rb).toEqual(ra);
    expect(rc).not.toEqual(ra);
  });

  it('split --fractions writes train/test that partition the input', async () => {
    const r = await run(
      'data',
      'split',
      `${DATA}/seattle-weather.csv`,
      '--fractions',
      '0.8,0.2',
      '--seed',
      '1',
      '--out-dir',
      'rand',
      '--json',
    );
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as {
      rowsRead: number;
      parts: { name: string; rows: number; path: string }[];
    };
    expect(body.parts.map((p) => p.name)).toEqual(['train', 'test']);
    expect(body.parts[0]!.path).toMatch(/rand\/train\.csv$/);
    const train = await readTable(join(dir, 'rand/train.csv'));
    const test = await readTable(join(dir, 'rand/test.csv'));
    expect(train.numRows + test.numRows).toBe(1461);
    expect(test.numRows).toBeGreaterThan(200);
    const dates = new Set(
      [...train.rows(), ...test.rows()].map((x) => (x['date'] as Date).getTime()),
    );
    expect(dates.size).toBe(1461);
  });

  it('split --by keeps each group on one side', async () => {
    const r = await run(
      'data',
      'split',
      `${DATA}/cars.json`,
      '--by',
      'Name',
      '--seed',
      '3',
      '--out-dir',
      'grp',
      '--out-format',
      'parquet',
    );
    expect(r.code).toBe(0);
    const train = await readTable(join(dir, 'grp/train.parquet'));
    const test = await readTable(join(dir, 'grp/test.parquet'));
    const names = (t: typeof train) => new Set([...t.rows()].map((x) => x['Name']));
    const overlap = [...names(train)].filter((n) => names(test).has(n));
    expect(overlap).toEqual([]);
    expect(train.numRows + test.numRows).toBe(406);
  });

  it('errors: missing file, ragged CSV, truncated Parquet, bad encoding exit non-zero naming the file', async () => {
    const missing = await run('data', 'head', 'nope.csv');
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(/error \[NOT_FOUND\]: data file not found: .*nope\.csv/);

    writeFileSync(join(dir, 'ragged.csv'), 'a,b\n1,2\n3\n4,5\n');
    const ragged = await run('data', 'head', 'ragged.csv');
    expect(ragged.code).toBe(65);
    expect(ragged.stderr).toContain('ragged.csv, line 3 (data row 2): expected 2 fields');

    writeFileSync(
      join(dir, 'cut.parquet'),
      readFileSync(`${DATA}/flights-3m.parquet`).subarray(0, 50_000),
    );
    const cut = await run('data', 'schema', 'cut.parquet', '--json');
    expect(cut.code).toBe(65);
    expect(JSON.parse(cut.out.stdout[0]!)).toMatchObject({ error: { code: 'DATA_INVALID' } });
    expect(cut.stderr).toContain('cut.parquet');

    writeFileSync(join(dir, 'latin.csv'), Buffer.from('city\nZ\xfcrich\n', 'latin1'));
    const enc = await run('data', 'head', 'latin.csv');
    expect(enc.code).toBe(65);
    expect(enc.stderr).toContain('latin.csv, line 2');
    expect(enc.stderr).toContain('iconv');
  });

  it('bad flags are usage errors', async () => {
    const r = await run(
      'data',
      'split',
      `${DATA}/cars.json`,
      '--fractions',
      '0.5,0.4',
      '--out-dir',
      'x',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('summing to 1');
    const s = await run('data', 'sample', `${DATA}/cars.json`, '--rows', '-3', '--out', 'x.csv');
    expect(s.code).toBe(2);
  });
});
