import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { Column, RecordBatch } from '../../core/data/index.js';

/** How one source column becomes model inputs. */
const ColumnSpec = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('number'), name: z.string(), mean: z.number(), std: z.number() })
    .strict(),
  z.object({ type: z.literal('bool'), name: z.string() }).strict(),
  z.object({ type: z.literal('category'), name: z.string(), values: z.array(z.string()) }).strict(),
  z
    .object({
      type: z.literal('datetime'),
      name: z.string(),
      parts: z.array(z.enum(['hour', 'dayOfWeek', 'month'])),
      mean: z.array(z.number()),
      std: z.array(z.number()),
    })
    .strict(),
]);

/** A fitted encoder as stored with a model: JSON-safe. */
export const EncoderSpecSchema = z.object({ columns: z.array(ColumnSpec) }).strict();
/** A fitted encoder's JSON form. */
export type EncoderSpec = z.infer<typeof EncoderSpecSchema>;

/** What to do with a row whose features hold NaN or null: fail naming it, or drop it and count. */
export type NanPolicy = 'error' | 'drop';

/** Options of {@link fitEncoder}. */
export interface FitEncoderOptions {
  /** Feature columns (default: every column but the excluded ones). */
  readonly features?: readonly string[];
  /** Columns never used as features (the label, ids). */
  readonly exclude?: readonly string[];
  /** Most frequent string values kept per categorical column (default 32; the rest share "other"). */
  readonly maxCategories?: number;
  /** File name for messages. */
  readonly source?: string;
}

const DAY = 86_400_000;

/**
 * Fits the feature encoding on training data: numbers standardised (mean/std from the data),
 * booleans 0/1, strings one-hot over their most frequent values plus an "other" slot (also for
 * nulls and values unseen in training), timestamps expanded to hour / day of week / month
 * (standardised), dates to day of week / month. The result is stored with the model so
 * evaluation, serving and export encode identically.
 */
export function fitEncoder(batch: RecordBatch, options: FitEncoderOptions = {}): EncoderSpec {
  const exclude = new Set(options.exclude ?? []);
  const names = options.features ?? batch.schema.map((f) => f.name).filter((n) => !exclude.has(n));
  if (names.length === 0) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${options.source ?? 'data'}: no feature columns left (columns: ${batch.schema.map((f) => f.name).join(', ')})`,
    );
  }
  const max = options.maxCategories ?? 32;
  const columns: EncoderSpec['columns'] = names.map((name) => {
    const col = batch.column(name);
    const field = batch.schema[batch.columnIndex(name)];
    switch (col.kind) {
      case 'number': {
        if (field?.type === 'timestamp' || field?.type === 'date') {
          const parts =
            field.type === 'timestamp'
              ? (['hour', 'dayOfWeek', 'month'] as const)
              : (['dayOfWeek', 'month'] as const);
          const stats = parts.map((p) => meanStd(col.values, (v) => datePart(v, p)));
          return {
            type: 'datetime',
            name,
            parts: [...parts],
            mean: stats.map((s) => s.mean),
            std: stats.map((s) => s.std),
          };
        }
        return { type: 'number', name, ...meanStd(col.values, (v) => v) };
      }
      case 'bool':
        return { type: 'bool', name };
      case 'string': {
        const counts = new Int32Array(col.dictionary.length);
        for (let i = 0; i < col.codes.length; i++) {
          const c = col.codes[i] as number;
          if (c >= 0) counts[c]!++;
        }
        const order = [...col.dictionary.keys()]
          .filter((k) => (counts[k] as number) > 0)
          .sort(
            (a, b) =>
              (counts[b] as number) - (counts[a] as number) ||
              (col.dictionary[a] as string).localeCompare(col.dictionary[b] as string),
          );
        return {
          type: 'category',
          name,
          values: order.slice(0, max).map((k) => col.dictionary[k] as string),
        };
      }
      default:
        throw new MortarError(
          'UNSUPPORTED',
          `${options.source ?? 'data'}: column "${name}" has type ${field?.type ?? col.kind}, which cannot be a feature; leave it out with "features" in the config`,
          {
            details: { column: name },
          },
        );
    }
  });
  return { columns };
}

/** Number of encoded features. */
export function encodedWidth(spec: EncoderSpec): number {
  return spec.columns.reduce(
    (a, c) =>
      a +
      (c.type === 'category' ? c.values.length + 1 : c.type === 'datetime' ? c.parts.length : 1),
    0,
  );
}

/** Names of the encoded features (`origin=SFO`, `date.hour`...). */
export function encodedNames(spec: EncoderSpec): string[] {
  return spec.columns.flatMap((c) =>
    c.type === 'category'
      ? [...c.values.map((v) => `${c.name}=${v}`), `${c.name}=(other)`]
      : c.type === 'datetime'
        ? c.parts.map((p) => `${c.name}.${p}`)
        : [c.name],
  );
}

/** Encoded rows and which source rows they came from. */
export interface Encoded {
  readonly x: Float32Array;
  readonly n: number;
  readonly width: number;
  /** Source row index of every encoded row (rows with NaN are missing under 'drop'). */
  readonly rows: Int32Array;
  /** Rows dropped for NaN/null features. */
  readonly dropped: number;
}

/**
 * Encodes `batch` with a fitted spec. A NaN or null in a numeric/bool feature is an error
 * naming the file, row (1-based) and column under `nan: 'error'`, and drops the row under
 * `'drop'` (the count is returned). A missing feature column is NOT_FOUND listing the columns.
 */
export function encode(
  batch: RecordBatch,
  spec: EncoderSpec,
  nan: NanPolicy = 'error',
  source = 'data',
): Encoded {
  const width = encodedWidth(spec);
  const cols = spec.columns.map((c) => {
    if (batch.columnIndex(c.name) < 0) {
      throw new MortarError(
        'NOT_FOUND',
        `${source}: feature column "${c.name}" is missing; columns are: ${batch.schema.map((f) => f.name).join(', ')}`,
        { details: { file: source, column: c.name } },
      );
    }
    return batch.column(c.name);
  });
  const x = new Float32Array(batch.numRows * width);
  const rows = new Int32Array(batch.numRows);
  let n = 0;
  let dropped = 0;
  const lookups = spec.columns.map((c, j) =>
    c.type === 'category' ? categoryLookup(cols[j] as Column, c.values) : null,
  );
  for (let r = 0; r < batch.numRows; r++) {
    let o = n * width;
    let bad: string | null = null;
    for (let j = 0; j < spec.columns.length && bad === null; j++) {
      const c = spec.columns[j]!;
      const col = cols[j] as Column;
      if (c.type === 'number' || c.type === 'datetime') {
        if (col.kind !== 'number') throw typeError(source, c.name, 'numeric', col.kind);
        const v = col.values[r] as number;
        if (Number.isNaN(v) || col.isNull(r)) bad = c.name;
        else if (c.type === 'number') x[o++] = (v - c.mean) / c.std;
        else
          c.parts.forEach(
            (p, k) => (x[o++] = (datePart(v, p) - (c.mean[k] as number)) / (c.std[k] as number)),
          );
      } else if (c.type === 'bool') {
        if (col.kind !== 'bool' && col.kind !== 'number')
          throw typeError(source, c.name, 'bool', col.kind);
        if (col.isNull(r) || Number.isNaN(col.values[r] as number)) bad = c.name;
        else x[o++] = (col.values[r] as number) ? 1 : 0;
      } else {
        const slot = (lookups[j] as (r: number) => number)(r);
        x.fill(0, o, o + c.values.length + 1);
        x[o + slot] = 1;
        o += c.values.length + 1;
      }
    }
    if (bad !== null) {
      if (nan === 'error') {
        throw new MortarError(
          'DATA_INVALID',
          `${source}, row ${r + 1}: feature "${bad}" is NaN or null; clean the data or set "nan": "drop" (--nan drop) to skip such rows`,
          {
            details: { file: source, row: r + 1, column: bad },
          },
        );
      }
      dropped++;
      continue;
    }
    rows[n++] = r;
  }
  return { x: x.subarray(0, n * width), n, width, rows: rows.subarray(0, n), dropped };
}

function typeError(source: string, name: string, want: string, got: string): MortarError {
  return new MortarError(
    'DATA_INVALID',
    `${source}: feature column "${name}" was ${want} when the model was trained, here it is ${got}`,
    { details: { file: source, column: name } },
  );
}

function categoryLookup(col: Column, values: readonly string[]): (r: number) => number {
  const other = values.length;
  const index = new Map(values.map((v, i) => [v, i]));
  if (col.kind === 'string') {
    const map = Int32Array.from(col.dictionary, (d) => index.get(d) ?? other);
    return (r) => {
      const c = col.codes[r] as number;
      return c < 0 ? other : (map[c] as number);
    };
  }
  return (r) => (col.isNull(r) ? other : (index.get(String(col.get(r))) ?? other));
}

function meanStd(values: Float64Array, f: (v: number) => number): { mean: number; std: number } {
  let n = 0;
  let s = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    s += f(v);
    n++;
  }
  const mean = n ? s / n : 0;
  let q = 0;
  for (const v of values) if (!Number.isNaN(v)) q += (f(v) - mean) ** 2;
  const std = n > 1 ? Math.sqrt(q / n) : 0;
  return { mean, std: std > 1e-12 ? std : 1 };
}

function datePart(ms: number, part: 'hour' | 'dayOfWeek' | 'month'): number {
  const d = new Date(ms);
  if (part === 'hour') return d.getUTCHours() + d.getUTCMinutes() / 60;
  if (part === 'dayOfWeek') return (Math.floor(ms / DAY) + 4) % 7; // 1970-01-01 was a Thursday
  return d.getUTCMonth();
}
