// `mortar validate ...` end to end in-process, POST /v1/validate, and the HTML report in Chromium.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';
import { readTable, writeTable, RecordBatch, NumberColumn } from '../src/core/data/index.js';
import { createApp } from '../src/http/app.js';
import { validateRoutes } from '../src/http/routes/validate.js';
import { Rng } from '../src/core/rng.js';
import { inferSchema, profileBatch } from '../src/validation/index.js';

const vega = (f: string) =>
  join(dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets'))), 'data', f);
const CHROMIUM = process.env.MORTAR_CHROMIUM ?? '/usr/bin/chromium';

async function run(args: string[], cwd: string) {
  const out = memoryOutput();
  const code = await main(['node', 'mortar', '--store', 'sqlite:.mortar/mortar.db', ...args], {
    out,
    cwd,
    env: {},
  });
  return {
    code,
    out,
    json: () =>
      JSON.parse(out.stdout.at(-1) ?? 'null') as { anomalies: { feature: string; type: string }[] },
  };
}

async function fixtures() {
  const cwd = mkdtempSync(join(tmpdir(), 'mortar-val-'));
  const t = await readTable(vega('penguins.json'));
  // A seeded random split (the file alternates sexes, so an even/odd split is genuinely skewed).
  const rng = new Rng(11);
  const side = Array.from({ length: t.numRows }, () => rng.float() < 0.5);
  const idx = Array.from({ length: t.numRows }, (_, i) => i);
  await writeTable(join(cwd, 'train.parquet'), t.take(idx.filter((i) => side[i])));
  const test = t.take(idx.filter((i) => !side[i]));
  await writeTable(join(cwd, 'test.parquet'), test);
  const m = test.columnIndex('Body Mass (g)');
  const mass = test.columns[m] as NumberColumn;
  const bad = new RecordBatch(
    test.schema,
    test.numRows,
    test.columns.map((c, j) =>
      j === m
        ? new NumberColumn(
            mass.type,
            mass.values.map((v) => v * 1000),
            mass.valid,
          )
        : c,
    ),
  );
  await writeTable(join(cwd, 'bad.csv'), bad);
  return cwd;
}

describe('mortar validate', () => {
  it('stats, infer-schema, check (clean and corrupted), compare, --fail-on, history, report', async () => {
    const cwd = await fixtures();
    expect(
      (await run(['validate', 'stats', 'train.parquet', '--out', 'ref.json', '--json'], cwd)).code,
    ).toBe(0);
    expect(
      (
        await run(
          ['validate', 'infer-schema', 'ref.json', '--out', 'schema.yaml', '--label', 'Species'],
          cwd,
        )
      ).code,
    ).toBe(0);
    const clean = await run(
      [
        'validate',
        'check',
        'test.parquet',
        '--schema',
        'schema.yaml',
        '--reference',
        'ref.json',
        '--json',
        '--record',
      ],
      cwd,
    );
    expect(clean.code).toBe(0);
    expect(clean.json()).toEqual({ anomalies: [] });

    const bad = await run(
      [
        'validate',
        'check',
        'bad.csv',
        '--schema',
        'schema.yaml',
        '--reference',
        'ref.json',
        '--json',
        '--report',
        'report.html',
        '--record',
      ],
      cwd,
    );
    expect(bad.code).toBe(1);
    const anomalies = bad.json().anomalies;
    expect(anomalies).toContainEqual(
      expect.objectContaining({ feature: 'Body Mass (g)', type: 'INT_TYPE_BIG_INT' }),
    );
    expect(
      (
        await run(
          ['validate', 'check', 'bad.csv', '--schema', 'schema.yaml', '--fail-on', 'never'],
          cwd,
        )
      ).code,
    ).toBe(0);
    const cmp = await run(
      ['validate', 'compare', 'bad.csv', 'train.parquet', '--json', '--fail-on', 'warning'],
      cwd,
    );
    expect(cmp.code).toBe(1);

    const hist = await run(['validate', 'history', 'Body Mass (g)', '--json'], cwd);
    expect(hist.code).toBe(0);
    expect(
      (JSON.parse(hist.out.stdout.at(-1) ?? '{}') as { points: unknown[] }).points,
    ).toHaveLength(2);

    if (existsSync(CHROMIUM)) {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        await page.goto(pathToFileURL(join(cwd, 'report.html')).href);
        await page.waitForFunction(
          () =>
            (
              globalThis as unknown as {
                document: { documentElement: { dataset: Record<string, string> } };
              }
            ).document.documentElement.dataset['mortarReady'],
        );
        const text = await page.evaluate(
          () =>
            (globalThis as unknown as { document: { body: { innerText: string } } }).document.body
              .innerText,
        );
        expect(text).toContain('Body Mass (g)');
        expect(text).toContain('Anomalies');
        const charts = await page.evaluate(
          () =>
            (
              globalThis as unknown as {
                document: { querySelectorAll(s: string): { length: number } };
              }
            ).document.querySelectorAll('[data-mr-chart] canvas').length,
        );
        expect(charts).toBeGreaterThanOrEqual(7);
      } finally {
        await browser.close();
      }
    } else if (process.env.CI !== undefined) throw new Error(`${CHROMIUM} is missing`);
  });

  it('bad input: unreadable data, unparsable schema, incompatible profile', async () => {
    const cwd = await fixtures();
    writeFileSync(join(cwd, 'broken.yaml'), 'features: [\n');
    writeFileSync(
      join(cwd, 'old.json'),
      JSON.stringify({ format: 'mortar-profile', version: 0, rows: 1, features: [] }),
    );
    writeFileSync(join(cwd, 'garbage.parquet'), 'not parquet');
    const a = await run(['validate', 'check', 'test.parquet', '--schema', 'broken.yaml'], cwd);
    expect(a.code).not.toBe(0);
    expect(a.out.stderr.join('\n')).toMatch(/broken\.yaml/);
    const b = await run(['validate', 'check', 'test.parquet', '--reference', 'old.json'], cwd);
    expect(b.code).not.toBe(0);
    expect(b.out.stderr.join('\n')).toMatch(/old\.json: field "version"/);
    const c = await run(['validate', 'stats', 'garbage.parquet'], cwd);
    expect(c.code).not.toBe(0);
    expect(c.out.stderr.join('\n')).toMatch(/garbage\.parquet/);
    const d = await run(
      ['validate', 'infer-schema', 'train.parquet', '--out', 's.json', '--label', 'nope'],
      cwd,
    );
    expect(d.code).not.toBe(0);
    expect(d.out.stderr.join('\n')).toMatch(/label "nope"/);
  });
});

describe('POST /v1/validate', () => {
  it('returns anomalies for JSON rows and documents itself in /openapi.json', async () => {
    const t = await readTable(vega('penguins.json'));
    const ref = profileBatch(t);
    const app = createApp({ bodyLimitBytes: 10 << 20, routes: [validateRoutes()] });
    const rows = [...t.take([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).rows()].map((r) => ({
      ...r,
      Island: 'Atlantis',
    }));
    const res = await app.request('/v1/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows, schema: inferSchema(ref), reference: ref.toJSON() }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      anomalies: { feature: string; type: string }[];
      failed: boolean;
    };
    expect(body.failed).toBe(true);
    expect(body.anomalies).toContainEqual(
      expect.objectContaining({ feature: 'Island', type: 'ENUM_TYPE_UNEXPECTED_STRING_VALUES' }),
    );
    const bad = await app.request('/v1/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows, reference: { format: 'mortar-profile', version: 9 } }),
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /body\.reference: field "version"/,
    );
    const spec = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(spec.paths['/v1/validate']).toBeDefined();
  });
});
