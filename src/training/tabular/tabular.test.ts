// Feature encoding and labels on real data (vega-datasets penguins: numbers with nulls, strings).
import { beforeAll, describe, expect, it } from 'vitest';
import { readTable, type RecordBatch } from '../../core/data/index.js';
import { vegaDataset } from '../../cli/quickstart/datasets.js';
import { encode, encodedNames, encodedWidth, fitEncoder } from './encoder.js';
import { encodeLabel, fitLabel, parseLabel } from './label.js';

let penguins: RecordBatch;
beforeAll(async () => {
  penguins = await readTable(vegaDataset('penguins.json'));
});

describe('feature encoder', () => {
  it('standardises numbers and one-hot encodes strings (+ an "other" slot for nulls)', () => {
    const spec = fitEncoder(penguins, { exclude: ['Species'], maxCategories: 2 });
    expect(encodedNames(spec)).toEqual([
      'Island=Biscoe',
      'Island=Dream',
      'Island=(other)',
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
      'Sex=MALE',
      'Sex=FEMALE',
      'Sex=(other)',
    ]);
    const enc = encode(penguins, spec, 'drop', 'penguins.json');
    expect(enc.dropped).toBe(2);
    expect(enc.n).toBe(342);
    expect(enc.width).toBe(encodedWidth(spec));
    // standardised: mean ~0, std ~1 over the kept rows
    const col = Array.from({ length: enc.n }, (_, i) => enc.x[i * enc.width + 6] as number);
    const mean = col.reduce((a, b) => a + b, 0) / enc.n;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / enc.n)).toBeCloseTo(1, 5);
    // Torgersen (the third island) and null sexes fall into "other"
    expect(enc.x[0 * enc.width + 2]).toBe(1);
  });

  it('NaN under the error policy names the file, row and column', () => {
    const spec = fitEncoder(penguins, { exclude: ['Species'] });
    expect(() => encode(penguins, spec, 'error', 'penguins.json')).toThrow(
      /penguins\.json, row 4: feature "Beak Length \(mm\)" is NaN or null/,
    );
  });

  it('a missing feature column is NOT_FOUND listing the columns', () => {
    const spec = fitEncoder(penguins, { features: ['Island'] });
    const other = fitEncoder(penguins, { features: ['Sex'] });
    expect(() =>
      encode(
        penguins.slice(0, 3),
        { columns: [...spec.columns, { type: 'number', name: 'Wings', mean: 0, std: 1 }] },
        'error',
        'f.json',
      ),
    ).toThrow(/f\.json: feature column "Wings" is missing; columns are: Species/);
    expect(encodedWidth(other)).toBe(4); // MALE, FEMALE, "." (one row) + other
  });
});

describe('labels', () => {
  it('parses thresholds and makes yes/no classes', () => {
    expect(parseLabel('Body Mass (g)>=4000')).toEqual({
      column: 'Body Mass (g)',
      op: '>=',
      threshold: 4000,
    });
    expect(parseLabel('Species')).toEqual({ column: 'Species' });
    const spec = fitLabel(penguins, parseLabel('Body Mass (g)>4000'), true, 'p');
    expect(spec.classes).toEqual(['false', 'true']);
    const y = encodeLabel(penguins, spec, Int32Array.from([0, 5]), 'p');
    expect(Array.from(y)).toEqual([0, 0]);
  });

  it('string classes are sorted; unseen classes and missing labels name the row', () => {
    const spec = fitLabel(penguins, { column: 'Species' }, true, 'p');
    expect(spec.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(() =>
      encodeLabel(
        penguins,
        { column: 'Species', classes: ['Adelie'] },
        Int32Array.from([0, 200]),
        'p',
      ),
    ).toThrow(/p, row 201: label "Species" is "\w+", a class the model was not trained on/);
    expect(() =>
      encodeLabel(penguins, { column: 'Beak Length (mm)' }, Int32Array.from([3]), 'p'),
    ).toThrow(/row 4: label "Beak Length \(mm\)" is missing/);
    expect(() => fitLabel(penguins, { column: 'nope' }, true, 'p')).toThrow(
      /label column "nope" does not exist/,
    );
  });
});
