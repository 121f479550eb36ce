import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NumberColumn, RecordBatch, readTable } from '../../core/data/index.js';
import { Rng } from '../../core/rng.js';
import { comparatorConformance } from '../../testing/comparator-conformance.js';
import { profileBatch, type Profile } from '../profile/profile.js';
import { correlationChange } from './correlation.js';
import { jensenShannon, lInfinity } from './categorical.js';
import { duplicateRows } from './duplicates.js';
import { nullRate } from './null-rate.js';
import { numericKs } from './numeric-ks.js';
import { rowCount } from './row-count.js';
import { stringLength } from './string-length.js';
import { valueSpike } from './value-spike.js';

const vega = (f: string) =>
  join(dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets'))), 'data', f);
const table = await readTable(vega('seattle-weather.csv'));
const rng = new Rng(5);
const order = Array.from({ length: table.numRows }, (_, i) => i).sort(() => rng.float() - 0.5);
const half = Math.floor(order.length / 2);
const reference = profileBatch(table.take(order.slice(0, half)));
const sameBatch = table.take(order.slice(half));
const i = sameBatch.columnIndex('temp_max');
const t = sameBatch.columns[i] as NumberColumn;
const shiftedBatch = new RecordBatch(
  sameBatch.schema,
  sameBatch.numRows,
  sameBatch.columns.map((c, j) =>
    j === i
      ? new NumberColumn(
          t.type,
          t.values.map((v) => v + 8),
          t.valid,
        )
      : c,
  ),
);
const data = (): { reference: Profile; same: Profile; shifted: Profile } => ({
  reference,
  same: profileBatch(sameBatch),
  shifted: profileBatch(shiftedBatch),
});

for (const [name, make] of [
  ['numeric-ks', () => numericKs()],
  ['value-spike', () => valueSpike()],
  ['l-infinity', () => lInfinity()],
  ['jensen-shannon', () => jensenShannon()],
  ['null-rate', () => nullRate()],
  ['string-length', () => stringLength()],
  ['duplicates', () => duplicateRows()],
  ['correlation', () => correlationChange()],
  ['row-count', () => rowCount({ minRatio: 0.2, maxRatio: 5 })],
] as const) {
  comparatorConformance(name, make, data);
}

describe('numeric-ks', () => {
  it('flags a shifted feature and not the clean ones', () => {
    const { shifted } = data();
    const ctx = { alpha: 1e-3, tests: 5, mode: 'drift' as const };
    const hits = [...shifted.features.values()].flatMap((f) =>
      numericKs().compare(f, reference.feature(f.name)!, ctx),
    );
    expect(hits.map((h) => h.feature)).toEqual(['temp_max']);
  });
});
