/**
 * Builds classic-model datasets from Mortar's columnar {@link RecordBatch}es (what
 * `readTable` returns for CSV/Parquet/JSON/Arrow), so the CLI stays thin:
 * ratings (user, item, rating columns), features (numeric columns + a label), and a corpus from a
 * text column.
 */
import type { RecordBatch } from '../../core/data/index.js';
import { MortarError } from '../../core/errors.js';
import { DenseMatrix } from './dense.js';
import { corpusFromTexts } from './ldac.js';
import type { CorpusDataset, FeaturesDataset, RatingsDataset } from './types.js';

function column(batch: RecordBatch, name: string, role: string) {
  if (batch.columnIndex(name) < 0) {
    throw new MortarError(
      'NOT_FOUND',
      `no ${role} column "${name}"; columns are: ${batch.schema.map((f) => f.name).join(', ')}`,
      { details: { column: name, role, columns: batch.schema.map((f) => f.name) } },
    );
  }
  return batch.column(name);
}

/** A numeric view of a column (nulls as NaN); bool as 0/1. Strings are refused, naming the column. */
function numbers(batch: RecordBatch, name: string, role: string): Float64Array {
  const c = column(batch, name, role);
  if (c.kind === 'number') {
    if (!c.valid) return c.values;
    const out = Float64Array.from(c.values);
    for (let i = 0; i < out.length; i++) if (!c.valid[i]) out[i] = NaN;
    return out;
  }
  if (c.kind === 'bool') {
    const out = new Float64Array(c.length);
    for (let i = 0; i < out.length; i++) out[i] = c.isNull(i) ? NaN : c.values[i]!;
    return out;
  }
  if (c.kind === 'bigint') {
    const out = new Float64Array(c.length);
    for (let i = 0; i < out.length; i++) out[i] = c.isNull(i) ? NaN : Number(c.values[i]!);
    return out;
  }
  throw new MortarError(
    'DATA_INVALID',
    `${role} column "${name}" is ${c.type}, not numeric; convert or encode it first`,
    { details: { column: name, role, type: c.type } },
  );
}

/** Ids from a numeric or string column (string ids keep their text; nulls become NaN). */
function ids(batch: RecordBatch, name: string, role: string): (number | string)[] | Float64Array {
  const c = column(batch, name, role);
  if (c.kind === 'string') {
    const out: (number | string)[] = new Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = c.get(i) ?? NaN;
    return out;
  }
  return numbers(batch, name, role);
}

/**
 * A ratings dataset: `user` and `item` id columns (numbers or strings) and the `rating` label
 * column (optional, for prediction). NOT_FOUND names a missing column.
 */
export function ratingsFromBatch(
  batch: RecordBatch,
  columns: { user: string; item: string; rating?: string },
): RatingsDataset {
  const users = ids(batch, columns.user, 'user');
  const items = ids(batch, columns.item, 'item');
  if (columns.rating === undefined) return { kind: 'ratings', users, items };
  return { kind: 'ratings', users, items, ratings: numbers(batch, columns.rating, 'label') };
}

/**
 * A dense features dataset: the `features` columns (default: every numeric or bool column but
 * the label) and the `label` column (optional). Nulls become NaN, so the model's NaN policy
 * applies. String feature columns are refused with the column's name.
 */
export function featuresFromBatch(
  batch: RecordBatch,
  columns: { label?: string; features?: readonly string[] },
): FeaturesDataset {
  const label = columns.label;
  if (label !== undefined) column(batch, label, 'label');
  const names =
    columns.features ??
    batch.schema
      .map((f, i) => ({ f, c: batch.columns[i]! }))
      .filter(
        ({ f, c }) =>
          f.name !== label && (c.kind === 'number' || c.kind === 'bool' || c.kind === 'bigint'),
      )
      .map(({ f }) => f.name);
  if (names.length === 0) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `no numeric feature columns besides the label; columns are: ${batch.schema.map((f) => f.name).join(', ')}`,
    );
  }
  const n = batch.numRows;
  const p = names.length;
  const data = new Float64Array(n * p);
  names.forEach((name, j) => {
    const v = numbers(batch, name, 'feature');
    for (let i = 0; i < n; i++) data[i * p + j] = v[i]!;
  });
  const x = new DenseMatrix(n, p, data);
  return label === undefined
    ? { kind: 'features', x, featureNames: names }
    : { kind: 'features', x, y: numbers(batch, label, 'label'), featureNames: names };
}

/**
 * A corpus from a text column (tokenized by {@link corpusFromTexts}); pass the training
 * vocabulary for held-out data. Null texts are empty documents.
 */
export function corpusFromBatch(
  batch: RecordBatch,
  columns: { text: string },
  options: { vocab?: readonly string[]; stopWords?: ReadonlySet<string>; minLength?: number } = {},
): CorpusDataset {
  const c = column(batch, columns.text, 'text');
  if (c.kind !== 'string') {
    throw new MortarError('DATA_INVALID', `text column "${columns.text}" is ${c.type}, not text`, {
      details: { column: columns.text },
    });
  }
  const texts: string[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) texts[i] = c.get(i) ?? '';
  return corpusFromTexts(texts, options);
}
