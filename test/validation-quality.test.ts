// The corruption quality suite on small slices of real data (the full run is `npm run bench -- validation`).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordBatch, readTable } from '../src/core/data/index.js';
import {
  inferSchema,
  parseSchema,
  profileBatch,
  runQualitySuite,
  validate,
} from '../src/validation/index.js';

const vega = (f: string) =>
  join(dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets'))), 'data', f);

describe('validation quality', () => {
  it('catches >= 95% of injected problems with the right feature and raises nothing on clean batches', async () => {
    const datasets = [
      { name: 'flights-20k', table: await readTable(vega('flights-20k.json')) },
      {
        name: 'seattle-weather',
        table: await readTable(vega('seattle-weather.csv')),
        label: 'weather',
      },
      { name: 'cars', table: await readTable(vega('cars.json')), label: 'Origin' },
      { name: 'penguins', table: await readTable(vega('penguins.json')), label: 'Species' },
    ];
    const r = runQualitySuite(datasets, {
      seed: 7,
      referenceRows: 5000,
      cleanSizes: [200, 15_000],
      corruptSizes: [200],
      repeats: 2,
    });
    const misses = r.corrupted.filter((c) => !c.ok).map((c) => `${c.dataset}/${c.kind}`);
    const alarms = r.clean
      .filter((c) => !c.ok)
      .map((c) => `${c.dataset}/${c.size}: ${c.anomalies.map((a) => a.type).join(',')}`);
    expect(alarms).toEqual([]);
    expect(r.clean.some((c) => c.size === 15_000)).toBe(true);
    expect(r.recall, misses.join('; ')).toBeGreaterThanOrEqual(0.95);
    expect(new Set(r.corrupted.map((c) => c.kind)).size).toBe(13);
  });

  it('uses TFDV anomaly names and honours the SERVING environment', async () => {
    const t = await readTable(vega('penguins.json'));
    const ref = profileBatch(t);
    const schema = inferSchema(ref, { label: 'Species' });
    const names = t.schema.map((f) => f.name).filter((n) => n !== 'Species');
    const noLabel = profileBatch(
      new RecordBatch(
        names.map((n) => t.schema[t.columnIndex(n)]!),
        t.numRows,
        names.map((n) => t.column(n)),
      ),
    );
    expect(validate(noLabel, { schema, environment: 'SERVING' })).toEqual([]);
    const training = validate(noLabel, { schema, environment: 'TRAINING' });
    expect(training.map((a) => [a.feature, a.type, a.severity])).toEqual([
      ['Species', 'SCHEMA_MISSING_COLUMN', 'error'],
    ]);
  });

  it('rejects bad schemas naming the file and field', () => {
    const ok = {
      format: 'mortar-schema',
      version: 1,
      environments: ['TRAINING'],
      features: [{ name: 'a', type: 'INT' }],
    };
    expect(parseSchema(ok, 's.json').features).toHaveLength(1);
    expect(() =>
      parseSchema({ ...ok, features: [{ name: 'a', type: 'INT', tpye: 1 }] }, 's.json'),
    ).toThrow(/s\.json: field "features\.0\.tpye" \(feature "a"\)/);
    expect(() =>
      parseSchema(
        { ...ok, features: [{ name: 'a', type: 'INT', notInEnvironments: ['SERVING'] }] },
        's.json',
      ),
    ).toThrow(/environment "SERVING", which is not declared/);
    expect(() => parseSchema({ ...ok, version: 2 }, 's.json')).toThrow(
      /s\.json: field "version" is 2/,
    );
    expect(() =>
      parseSchema({ ...ok, features: [ok.features[0], ok.features[0]] }, 's.json'),
    ).toThrow(/listed twice/);
  });
});
