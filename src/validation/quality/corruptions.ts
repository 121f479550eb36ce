import {
  NumberColumn,
  RecordBatch,
  StringColumn,
  type Column,
  type Field,
} from '../../core/data/index.js';
import type { Rng } from '../../core/rng.js';
import type { Profile } from '../profile/profile.js';
import type { SchemaJson } from '../schema/types.js';

/** What a corruption may look at to pick its target (the reference side, never the batch's truth). */
export interface CorruptionContext {
  readonly reference: Profile;
  readonly schema: SchemaJson;
  readonly label?: string;
  readonly rng: Rng;
}

/** A corrupted batch and the features a detector must name to get credit (`*` = dataset level). */
export interface Corrupted {
  readonly batch: RecordBatch;
  readonly features: readonly string[];
  readonly note: string;
}

/** One kind of injected problem. `apply` returns undefined when the dataset has no suitable target. */
export interface Corruption {
  readonly kind: string;
  apply(batch: RecordBatch, ctx: CorruptionContext): Corrupted | undefined;
}

function replaceColumn(
  b: RecordBatch,
  name: string,
  col: Column,
  field?: Partial<Field>,
): RecordBatch {
  const i = b.columnIndex(name);
  const schema = b.schema.map((f, j) => (j === i ? { ...f, ...field, name: f.name } : f));
  const cols = b.columns.map((c, j) => (j === i ? col : c));
  return new RecordBatch(schema, b.numRows, cols);
}

function numericFeatures(b: RecordBatch, ctx: CorruptionContext, minDistinct = 5): string[] {
  return b.schema
    .filter((f, i) => {
      const c = b.columns[i];
      if (c?.kind !== 'number' || f.type === 'date' || f.type === 'timestamp' || f.type === 'time')
        return false;
      if (f.name === ctx.label) return false;
      const st = ctx.reference.feature(f.name);
      const n = st?.numeric;
      return !!n && n.moments.n > 20 && n.top.counts.size >= minDistinct && n.moments.std > 0;
    })
    .map((f) => f.name);
}

function pick<T>(xs: readonly T[], rng: Rng): T | undefined {
  return xs.length ? xs[rng.int(0, xs.length - 1)] : undefined;
}

function rowsToChange(n: number, frac: number, rng: Rng): number[] {
  const k = Math.max(1, Math.round(n * frac));
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, n - 1);
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx.slice(0, k);
}

function mapNumbers(col: NumberColumn, f: (v: number, i: number) => number): NumberColumn {
  const out = col.values.map((v, i) => (col.isNull(i) ? NaN : f(v, i)));
  return new NumberColumn(col.type, out, col.valid);
}

const isInt = (t: string) => /^u?int/.test(t);

/** Every corruption of the quality suite. */
export const CORRUPTIONS: readonly Corruption[] = [
  {
    kind: 'missing-column',
    apply(b, ctx) {
      const f = pick(
        b.schema.map((x) => x.name).filter((n) => n !== ctx.label),
        ctx.rng,
      );
      if (f === undefined) return undefined;
      const keep = b.schema.map((x, i) => [x, i] as const).filter(([x]) => x.name !== f);
      return {
        batch: new RecordBatch(
          keep.map(([x]) => x),
          b.numRows,
          keep.map(([, i]) => b.columns[i] as Column),
        ),
        features: [f],
        note: `dropped ${f}`,
      };
    },
  },
  {
    kind: 'new-column',
    apply(b, ctx) {
      const vals = Float64Array.from({ length: b.numRows }, () => ctx.rng.float());
      return {
        batch: new RecordBatch(
          [...b.schema, { name: 'extra_feature', type: 'float64', nullable: true }],
          b.numRows,
          [...b.columns, new NumberColumn('float64', vals)],
        ),
        features: ['extra_feature'],
        note: 'added extra_feature',
      };
    },
  },
  {
    kind: 'type-change',
    apply(b, ctx) {
      const f = pick(numericFeatures(b, ctx, 2), ctx.rng);
      if (f === undefined) return undefined;
      const col = b.column(f) as NumberColumn;
      const strs = Array.from({ length: b.numRows }, (_, i) =>
        col.isNull(i) ? null : String(col.values[i]),
      );
      return {
        batch: replaceColumn(b, f, StringColumn.from(strs), { type: 'string' }),
        features: [f],
        note: `${f} as strings`,
      };
    },
  },
  {
    kind: 'new-categories',
    apply(b, ctx) {
      const f = pick(
        ctx.schema.features
          .filter(
            (x) =>
              x.domain && x.type === 'STRING' && x.name !== ctx.label && b.columnIndex(x.name) >= 0,
          )
          .map((x) => x.name),
        ctx.rng,
      );
      if (f === undefined) return undefined;
      const col = b.column(f) as StringColumn;
      const rows = new Set(rowsToChange(b.numRows, 0.1, ctx.rng));
      const strs = Array.from({ length: b.numRows }, (_, i) =>
        rows.has(i) ? `NEW_VALUE_${i % 4}` : col.get(i),
      );
      return {
        batch: replaceColumn(b, f, StringColumn.from(strs)),
        features: [f],
        note: `10% of ${f} set to new values`,
      };
    },
  },
  {
    kind: 'sentinel-values',
    apply(b, ctx) {
      const f = pick(numericFeatures(b, ctx), ctx.rng);
      if (f === undefined) return undefined;
      const sentinel = ctx.rng.float() < 0.5 ? -1 : 999;
      const rows = new Set(rowsToChange(b.numRows, 0.1, ctx.rng));
      const col = b.column(f) as NumberColumn;
      const valid = col.valid ? Uint8Array.from(col.valid, (v, i) => (rows.has(i) ? 1 : v)) : null;
      const values = col.values.map((v, i) => (rows.has(i) ? sentinel : v));
      return {
        batch: replaceColumn(b, f, new NumberColumn(col.type, values, valid)),
        features: [f],
        note: `10% of ${f} set to ${sentinel}`,
      };
    },
  },
  {
    kind: 'null-rate-jump',
    apply(b, ctx) {
      const f = pick(
        b.schema.map((x) => x.name).filter((n) => n !== ctx.label),
        ctx.rng,
      );
      if (f === undefined) return undefined;
      const rows = new Set(rowsToChange(b.numRows, 0.2, ctx.rng));
      const col = b.column(f);
      const idx = Array.from({ length: b.numRows }, (_, i) => i);
      let out: Column;
      if (col.kind === 'number') {
        const valid = Uint8Array.from(idx, (i) => (rows.has(i) || col.isNull(i) ? 0 : 1));
        out = new NumberColumn(
          col.type,
          col.values.map((v, i) => (rows.has(i) ? NaN : v)),
          valid,
        );
      } else if (col.kind === 'string') {
        out = new StringColumn(
          col.codes.map((c, i) => (rows.has(i) ? -1 : c)),
          col.dictionary,
        );
      } else return undefined;
      return { batch: replaceColumn(b, f, out), features: [f], note: `20% of ${f} set to null` };
    },
  },
  {
    kind: 'unit-change-x1000',
    apply(b, ctx) {
      const f = pick(numericFeatures(b, ctx), ctx.rng);
      if (f === undefined) return undefined;
      return {
        batch: replaceColumn(
          b,
          f,
          mapNumbers(b.column(f) as NumberColumn, (v) => v * 1000),
        ),
        features: [f],
        note: `${f} x1000`,
      };
    },
  },
  {
    kind: 'k-sigma-shift',
    apply(b, ctx) {
      const f = pick(numericFeatures(b, ctx), ctx.rng);
      if (f === undefined) return undefined;
      const col = b.column(f) as NumberColumn;
      const sd = ctx.reference.feature(f)?.numeric?.moments.std ?? 0;
      const shift = isInt(col.type) ? Math.max(1, Math.round(sd)) : sd;
      return {
        batch: replaceColumn(
          b,
          f,
          mapNumbers(col, (v) => v + shift),
        ),
        features: [f],
        note: `${f} + 1 sigma (${shift.toPrecision(3)})`,
      };
    },
  },
  {
    kind: 'label-shift',
    apply(b, ctx) {
      const label = ctx.label;
      if (label === undefined || b.columnIndex(label) < 0) return undefined;
      const col = b.column(label);
      const top = ctx.reference.feature(label)?.string?.top.top(1)[0]?.[0];
      if (top === undefined) return undefined;
      // Keep only 30% of the majority class, refill the batch from the other rows.
      const keep: number[] = [];
      for (let i = 0; i < b.numRows; i++)
        if (col.get(i) !== top || ctx.rng.float() < 0.3) keep.push(i);
      const others = keep.filter((i) => col.get(i) !== top);
      if (!others.length) return undefined;
      while (keep.length < b.numRows)
        keep.push(others[ctx.rng.int(0, others.length - 1)] as number);
      return { batch: b.take(keep), features: [label], note: `${label}: 70% of "${top}" removed` };
    },
  },
  {
    kind: 'duplicated-rows',
    apply(b, ctx) {
      const rows = rowsToChange(b.numRows, 0.15, ctx.rng);
      const idx = Array.from({ length: b.numRows }, (_, i) => i);
      const src = new Set(rows);
      const pool = idx.filter((i) => !src.has(i));
      for (const r of rows) idx[r] = pool[ctx.rng.int(0, pool.length - 1)] as number;
      return {
        batch: b.take(idx),
        features: ['*'],
        note: '15% of rows replaced by copies of others',
      };
    },
  },
  {
    kind: 'truncated-strings',
    apply(b, ctx) {
      const f = pick(
        b.schema
          .filter(
            (x) =>
              x.type === 'string' &&
              x.name !== ctx.label &&
              (ctx.reference.feature(x.name)?.string?.lengths.mean ?? 0) >= 6,
          )
          .map((x) => x.name),
        ctx.rng,
      );
      if (f === undefined) return undefined;
      const col = b.column(f) as StringColumn;
      return {
        batch: replaceColumn(
          b,
          f,
          new StringColumn(
            col.codes,
            col.dictionary.map((s) => s.slice(0, 3)),
          ),
        ),
        features: [f],
        note: `${f} cut to 3 characters`,
      };
    },
  },
  {
    kind: 'swapped-columns',
    apply(b, ctx) {
      const nums = numericFeatures(b, ctx);
      // Two numeric columns whose distributions differ (means apart by more than both spreads).
      const st = (n: string) => ctx.reference.feature(n)?.numeric?.moments;
      const cands: [string, string][] = [];
      for (let i = 0; i < nums.length; i++)
        for (let j = i + 1; j < nums.length; j++) {
          const a = st(nums[i] as string);
          const c = st(nums[j] as string);
          if (a && c && Math.abs(a.mean - c.mean) > 0.5 * (a.std + c.std))
            cands.push([nums[i] as string, nums[j] as string]);
        }
      const pair = pick(cands, ctx.rng);
      if (!pair) return undefined;
      const [x, y] = pair;
      const cx = b.column(x);
      const cy = b.column(y);
      const swapped = replaceColumn(replaceColumn(b, x, cy), y, cx);
      return { batch: swapped, features: [x, y], note: `${x} <-> ${y}` };
    },
  },
  {
    kind: 'broken-correlation',
    apply(b, ctx) {
      const names = ctx.reference.correlationFeatures ?? [];
      const cands: string[] = [];
      for (const a of names)
        for (const c of names) {
          const r = a < c ? ctx.reference.correlation(a, c)?.correlation : undefined;
          if (
            r !== undefined &&
            Math.abs(r) >= 0.6 &&
            a !== ctx.label &&
            b.columnIndex(a) >= 0 &&
            b.columnIndex(c) >= 0
          )
            cands.push(a);
        }
      const f = pick([...new Set(cands)], ctx.rng);
      if (f === undefined) return undefined;
      const perm = Array.from({ length: b.numRows }, (_, i) => i);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = ctx.rng.int(0, i);
        [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
      }
      return {
        batch: replaceColumn(b, f, b.column(f).take(perm)),
        features: [f],
        note: `${f} shuffled within the batch`,
      };
    },
  },
];
