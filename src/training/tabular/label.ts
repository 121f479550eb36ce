import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { RecordBatch } from '../../core/data/index.js';

/** A label: a column, optionally compared with a threshold (`delay>15` makes a yes/no label). */
export const LabelSpecSchema = z
  .object({
    column: z.string().min(1),
    op: z.enum(['>', '>=', '<', '<=']).optional(),
    threshold: z.number().optional(),
    /** Class names in index order (classification); absent for regression. */
    classes: z.array(z.string()).optional(),
  })
  .strict();
/** A fitted label encoding as stored with a model. */
export type LabelSpec = z.infer<typeof LabelSpecSchema>;

/**
 * Parses `--label`: a column name, or `column>number` (also >=, <, <=) for a binary label.
 * @example parseLabel('delay>15') // { column: 'delay', op: '>', threshold: 15 }
 */
export function parseLabel(text: string): LabelSpec {
  const m = /^(.+?)\s*(>=|<=|>|<)\s*(-?[\d.]+(?:e-?\d+)?)$/i.exec(text.trim());
  if (!m) return { column: text.trim() };
  const threshold = Number(m[3]);
  if (!Number.isFinite(threshold))
    throw new MortarError('INVALID_ARGUMENT', `--label ${text}: "${m[3]}" is not a number`);
  return { column: (m[1] as string).trim(), op: m[2] as LabelSpec['op'], threshold };
}

/** The label column's values as class names or numbers, per row (null when missing). */
function rawLabels(
  batch: RecordBatch,
  spec: LabelSpec,
  source: string,
): (string | number | null)[] {
  if (batch.columnIndex(spec.column) < 0) {
    throw new MortarError(
      'NOT_FOUND',
      `${source}: label column "${spec.column}" does not exist; columns are: ${batch.schema.map((f) => f.name).join(', ')}`,
      {
        details: { file: source, column: spec.column },
      },
    );
  }
  const col = batch.column(spec.column);
  const out: (string | number | null)[] = new Array(batch.numRows);
  for (let r = 0; r < batch.numRows; r++) {
    if (col.isNull(r)) {
      out[r] = null;
      continue;
    }
    const v = col.get(r);
    if (spec.op) {
      const x = typeof v === 'number' ? v : v instanceof Date ? v.getTime() : Number(v);
      if (Number.isNaN(x)) out[r] = null;
      else {
        const t = spec.threshold as number;
        const yes =
          spec.op === '>' ? x > t : spec.op === '>=' ? x >= t : spec.op === '<' ? x < t : x <= t;
        out[r] = yes ? 'true' : 'false';
      }
    } else if (typeof v === 'number') out[r] = Number.isNaN(v) ? null : v;
    else if (typeof v === 'boolean') out[r] = String(v);
    else if (typeof v === 'bigint') out[r] = Number(v);
    else out[r] = String(v);
  }
  return out;
}

/**
 * Fits the label encoding on training data. Classification: classes are the distinct values
 * (booleans and comparisons give ["false", "true"]; integer codes sorted numerically; strings
 * sorted). Regression: the column must be numeric.
 */
export function fitLabel(
  batch: RecordBatch,
  spec: LabelSpec,
  classification: boolean,
  source: string,
): LabelSpec {
  const values = rawLabels(batch, spec, source);
  if (!classification) {
    const bad = values.findIndex((v) => typeof v === 'string');
    if (bad >= 0)
      throw new MortarError(
        'DATA_INVALID',
        `${source}, row ${bad + 1}: label "${spec.column}" is "${values[bad]}", a regression label must be numeric`,
        { details: { file: source, row: bad + 1, column: spec.column } },
      );
    return { column: spec.column, ...(spec.op ? { op: spec.op, threshold: spec.threshold } : {}) };
  }
  const distinct = new Set<string | number>();
  for (const v of values) if (v !== null) distinct.add(v);
  if (spec.op) return { ...spec, classes: ['false', 'true'] };
  const list = [...distinct];
  if (list.length > 1000) {
    throw new MortarError(
      'DATA_INVALID',
      `${source}: label "${spec.column}" has ${list.length} distinct values, too many classes; for a numeric target use --model linear (or mlp with "task": "regression")`,
    );
  }
  const sorted = list.every((v) => typeof v === 'number')
    ? (list as number[]).sort((a, b) => a - b)
    : list.map(String).sort();
  return { column: spec.column, classes: sorted.map(String) };
}

/**
 * Encodes the label of the given rows: class indices (Int32Array) for classification, values
 * (Float32Array) for regression. Missing labels and classes unseen in training are DATA_INVALID
 * naming the file and row.
 */
export function encodeLabel(
  batch: RecordBatch,
  spec: LabelSpec,
  rows: Int32Array,
  source: string,
): Int32Array | Float32Array {
  const values = rawLabels(batch, spec, source);
  const classes = spec.classes;
  const miss = (r: number, why: string): never => {
    throw new MortarError(
      'DATA_INVALID',
      `${source}, row ${r + 1}: label "${spec.column}" ${why}`,
      { details: { file: source, row: r + 1, column: spec.column } },
    );
  };
  if (!classes) {
    return Float32Array.from(rows, (r) => {
      const v = values[r];
      return typeof v === 'number'
        ? v
        : miss(
            r,
            v === null || v === undefined
              ? 'is missing (null or NaN); drop such rows first'
              : `is "${v}", not a number`,
          );
    });
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(rows, (r) => {
    const v = values[r];
    if (v === null || v === undefined)
      return miss(r, 'is missing (null or NaN); drop such rows first');
    const i = index.get(String(v));
    return (
      i ??
      miss(
        r,
        `is "${v}", a class the model was not trained on (classes: ${classes.slice(0, 10).join(', ')}${classes.length > 10 ? ', ...' : ''})`,
      )
    );
  });
}

/** Rows whose label is present (for dropping unlabeled rows under the 'drop' NaN policy). */
export function labeledRows(
  batch: RecordBatch,
  spec: LabelSpec,
  rows: Int32Array,
  source: string,
): Int32Array {
  const values = rawLabels(batch, spec, source);
  return rows.filter((r) => values[r] !== null && values[r] !== undefined);
}
