import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BigIntColumn,
  BoolColumn,
  NumberColumn,
  RecordBatch,
  StringColumn,
  readTable,
  type Column,
  type Schema,
} from '../../core/data/index.js';
import { Rng } from '../../core/rng.js';
import { FrequentItems } from '../sketches/frequent.js';
import { fmix32, hashCombine, hashNumber, hashString } from '../sketches/hash.js';
import { HyperLogLog } from '../sketches/hll.js';
import { KllSketch } from '../sketches/kll.js';
import { RowSampler } from '../sketches/kmv.js';
import { CoMoments, Moments } from '../sketches/moments.js';
import { DEFAULT_SKETCHES } from './feature.js';
import { Profile } from './profile.js';

// The profiler's batch-at-a-time fast path (typed-array passes, one sort per batch, a KLL batch
// insert, run-length frequent values, per-dictionary-entry string updates, inlined row hashes,
// centered correlation sums) against a plain per-row reference written here, value by value.

const vegaPath = (f: string) =>
  join(dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets'))), 'data', f);

/** A fixture with the awkward values: NaN, +-Infinity, -0, nulls in every kind, > 64 distinct. */
function synthetic(rows: number, seed: number): RecordBatch {
  const rng = new Rng(seed);
  const x = new Float64Array(rows);
  const xValid = new Uint8Array(rows).fill(1);
  const k = new Float64Array(rows);
  const s: (string | null)[] = [];
  const b = new Uint8Array(rows);
  const bValid = new Uint8Array(rows).fill(1);
  const big = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) {
    const u = rng.float();
    x[i] =
      u < 0.02
        ? NaN
        : u < 0.03
          ? Infinity
          : u < 0.04
            ? -Infinity
            : u < 0.06
              ? -0
              : rng.normal(3, 2);
    if (rng.float() < 0.05) {
      xValid[i] = 0;
      x[i] = NaN;
    }
    k[i] = Math.floor(200 * rng.float() ** 3); // > 64 distinct, skewed: exercises the MG cut
    s.push(rng.float() < 0.1 ? null : `v${Math.floor(50 * rng.float() ** 2)}${'x'.repeat(i % 4)}`);
    b[i] = rng.float() < 0.3 ? 1 : 0;
    if (rng.float() < 0.1) bValid[i] = 0;
    big[i] = BigInt(rng.int(-5, 5));
  }
  // A few duplicated rows.
  for (let i = 10; i < rows; i += 97) {
    x[i] = x[i - 1] as number;
    xValid[i] = xValid[i - 1] as number;
    k[i] = k[i - 1] as number;
    s[i] = s[i - 1] as string | null;
    b[i] = b[i - 1] as number;
    bValid[i] = bValid[i - 1] as number;
    big[i] = big[i - 1] as bigint;
  }
  const schema: Schema = [
    { name: 'x', type: 'float64', nullable: true },
    { name: 'k', type: 'int64', nullable: false },
    { name: 's', type: 'string', nullable: true },
    { name: 'b', type: 'bool', nullable: true },
    { name: 'big', type: 'int64', nullable: false },
  ];
  return new RecordBatch(schema, rows, [
    new NumberColumn('float64', x, xValid),
    new NumberColumn('int64', k),
    StringColumn.from(s),
    new BoolColumn(b, bValid),
    new BigIntColumn('int64', big),
  ]);
}

function numbersOf(col: Column): Float64Array {
  if (col.kind === 'number') return col.values;
  if (col.kind === 'bigint')
    return Float64Array.from(col.values, (v, i) => (col.isNull(i) ? NaN : Number(v)));
  throw new Error('not numeric');
}

const signedLog = (v: number) => (v < 0 ? -Math.log1p(-v) : Math.log1p(v));

/** The per-row reference: every statistic updated one value (or one row) at a time. */
function reference(batches: readonly RecordBatch[]) {
  const schema = batches[0]?.schema as Schema;
  const o = DEFAULT_SKETCHES;
  const feats = schema.map((f) => ({
    name: f.name,
    present: 0,
    missing: 0,
    moments: new Moments(),
    finite: [] as number[],
    zeros: 0,
    nan: 0,
    inf: 0,
    nonIntegral: 0,
    kll: new KllSketch(o.kllK),
    top: new FrequentItems<number>(o.numericTopK),
    hll: new HyperLogLog(o.hllP),
    stop: new FrequentItems<string>(o.topK),
    lengths: new Moments(),
  }));
  const dup = new RowSampler();
  const numericCols = schema
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.type !== 'string' && f.type !== 'bool');
  const pairs = new Map<string, { xs: number[]; ys: number[] }>();
  for (const batch of batches) {
    batch.columns.forEach((col, c) => {
      const r = feats[c] as (typeof feats)[number];
      const counts = new Map<number, number>();
      for (let i = 0; i < batch.numRows; i++) {
        if (col.isNull(i)) {
          r.missing++;
          continue;
        }
        r.present++;
        if (col.kind === 'number' || col.kind === 'bigint') {
          const v = Number(col.get(i));
          if (Number.isNaN(v)) r.nan++;
          else if (!Number.isFinite(v)) r.inf++;
          else {
            r.moments.add(v);
            r.finite.push(v);
            r.kll.update(v);
            if (v === 0) r.zeros++;
            else if (v !== Math.floor(v)) r.nonIntegral++;
            const key = v === 0 ? 0 : v;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
        } else {
          const v = col.kind === 'bool' ? String(col.get(i)) : (col.get(i) as string);
          r.hll.add(hashString(v, 0x5bd1e995), hashString(v, 0x1b873593));
          r.stop.add(v);
          r.lengths.add(v.length);
        }
      }
      if (counts.size > 0) {
        // Misra-Gries: the batch's exact counts cut back to capacity, then merged.
        const part = new FrequentItems<number>(o.numericTopK);
        for (const [v, n] of counts) part.counts.set(v, n);
        part.total = [...counts.values()].reduce((a, b) => a + b, 0);
        part.reduce();
        r.top.merge(part);
      }
    });
    for (let i = 0; i < batch.numRows; i++) {
      let h = 0;
      batch.columns.forEach((col, c) => {
        const salt = 0x3c6ef372 + c;
        const v = col.get(i);
        const cell =
          v === null
            ? 0x6b43a9b5
            : col.kind === 'number'
              ? hashNumber(v as number, salt)
              : hashString(String(v), salt);
        h = hashCombine(h, cell);
      });
      dup.add(fmix32(h));
    }
    for (let a = 0; a < numericCols.length; a++) {
      for (let b = a + 1; b < numericCols.length; b++) {
        const key = `${numericCols[a]?.f.name}|${numericCols[b]?.f.name}`;
        const p = pairs.get(key) ?? pairs.set(key, { xs: [], ys: [] }).get(key)!;
        const xa = numbersOf(batch.columns[numericCols[a]!.i] as Column);
        const xb = numbersOf(batch.columns[numericCols[b]!.i] as Column);
        for (let i = 0; i < batch.numRows; i++) {
          const u = signedLog(xa[i] as number);
          const w = signedLog(xb[i] as number);
          if (!Number.isNaN(u) && !Number.isNaN(w)) {
            p.xs.push(u);
            p.ys.push(w);
          }
        }
      }
    }
  }
  return { feats, dup, pairs };
}

/** |a - b| relative to the larger magnitude (absolute below 1). */
function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const c = new CoMoments();
  c.addArrays(Float64Array.from(xs), Float64Array.from(ys));
  return c.correlation;
}

function expectSameAsReference(batches: readonly RecordBatch[]): void {
  const fast = new Profile();
  for (const b of batches) fast.add(b);
  const ref = reference(batches);
  expect(fast.rows).toBe(batches.reduce((a, b) => a + b.numRows, 0));
  for (const r of ref.feats) {
    const f = fast.feature(r.name);
    expect(f, r.name).toBeDefined();
    if (!f) continue;
    expect([f.present, f.missing], r.name).toEqual([r.present, r.missing]);
    const num = f.numeric;
    if (num) {
      expect(num.moments.n).toBe(r.moments.n);
      expect(relDiff(num.moments.mean, r.moments.mean)).toBeLessThan(1e-12);
      expect(relDiff(num.moments.m2, r.moments.m2)).toBeLessThan(1e-10);
      const sorted = [...r.finite].sort((a, b) => a - b);
      expect(num.min).toBe(sorted[0]);
      expect(num.max).toBe(sorted.at(-1));
      expect([num.zeros, num.nan, num.inf, num.nonIntegral]).toEqual([
        r.zeros,
        r.nan,
        r.inf,
        r.nonIntegral,
      ]);
      expect(num.low).toEqual(sorted.slice(0, 32).map((v) => v + 0));
      expect(num.high).toEqual(sorted.slice(-32).reverse());
      expect(num.top.toJSON()).toEqual(r.top.toJSON());
      // Both sketches within the stated rank error of the exact ranks.
      expect(num.kll.n).toBe(sorted.length);
      for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
        for (const s of [num.kll, r.kll]) {
          const v = s.quantile(q);
          let below = 0;
          let atOrBelow = 0;
          for (const x of sorted) {
            if (x < v) below++;
            if (x <= v) atOrBelow++;
          }
          const eps = s.rankError() + 1 / sorted.length;
          expect(below / sorted.length, `${r.name} q=${q}`).toBeLessThanOrEqual(q + eps);
          expect(atOrBelow / sorted.length, `${r.name} q=${q}`).toBeGreaterThanOrEqual(q - eps);
        }
      }
    }
    const str = f.string;
    if (str) {
      expect(str.hll.toJSON()).toEqual(r.hll.toJSON());
      if (r.stop.exact) {
        expect(str.top.exact).toBe(true);
        expect(str.top.top()).toEqual(r.stop.top());
      } else {
        // Beyond capacity both are Misra-Gries summaries: counts within their offsets.
        for (const [v, c] of r.stop.top(10)) {
          expect(Math.abs(str.top.count(v) - c)).toBeLessThanOrEqual(
            str.top.offset + r.stop.offset,
          );
        }
      }
      expect(str.lengths.n).toBe(r.lengths.n);
      expect(str.lengths.mean).toBeCloseTo(r.lengths.mean, 10);
      expect(str.lengths.m2).toBeCloseTo(r.lengths.m2, 6);
    }
  }
  expect(fast.duplicates?.toJSON()).toEqual(ref.dup.toJSON());
  for (const [key, p] of ref.pairs) {
    const [a, b] = key.split('|') as [string, string];
    const c = fast.correlation(a, b);
    expect(c?.n, key).toBe(p.xs.length);
    const want = pearson(p.xs, p.ys);
    if (Number.isNaN(want))
      expect(c?.correlation, key).toBeNaN(); // infinite values
    else expect(c?.correlation, key).toBeCloseTo(want, 10);
  }
}

describe('profile fast path vs a per-row reference', () => {
  it('gives the same statistics on a synthetic fixture with NaN, infinities, -0 and nulls', () => {
    const whole = synthetic(12_000, 5);
    const cuts = [0, 1000, 1333, 6000, 6001, 12_000];
    const batches = cuts.slice(1).map((end, i) => whole.slice(cuts[i] as number, end));
    expectSameAsReference(batches);
  });

  it('gives the same statistics on real data (movies: nulls, strings, skewed numbers)', async () => {
    const t = await readTable(vegaPath('movies.json'));
    const batches = [t.slice(0, 1000), t.slice(1000, 1001), t.slice(1001)];
    expectSameAsReference(batches);
  });

  it('samples quantiles and frequent numbers of large profiles within the stated error', () => {
    // 600k rows in 65,536-row batches: block sampling starts at 131,072 rows (stride 2, 4, 8).
    const rng = new Rng(11);
    const n = 600_000;
    const xs = new Float64Array(n);
    const ks = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = rng.normal() * (1 + i / n); // drifting spread: order matters
      ks[i] = rng.float() < 0.2 ? -1 : Math.floor(10 * rng.float());
    }
    const schema: Schema = [
      { name: 'x', type: 'float64', nullable: false },
      { name: 'k', type: 'int64', nullable: false },
    ];
    const p = new Profile({ duplicates: false });
    for (let s = 0; s < n; s += 65_536) {
      const e = Math.min(n, s + 65_536);
      p.add(
        new RecordBatch(schema, e - s, [
          new NumberColumn('float64', xs.subarray(s, e)),
          new NumberColumn('int64', ks.subarray(s, e)),
        ]),
      );
    }
    const x = p.feature('x')?.numeric;
    const k = p.feature('k')?.numeric;
    if (!x || !k) throw new Error('missing features');
    const sorted = Float64Array.from(xs).sort();
    expect(x.kll.n).toBe(n);
    expect(x.min).toBe(sorted[0]);
    expect(x.max).toBe(sorted[n - 1]);
    expect(x.low).toEqual(Array.from(sorted.subarray(0, 32)));
    const err = x.kll.rankError();
    expect(err).toBeGreaterThan(KllSketch.errorFor(200)); // the sampling term is counted
    expect(err).toBeLessThan(KllSketch.errorFor(200) + 0.0036);
    for (const q of [0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999]) {
      const v = x.kll.quantile(q);
      let below = 0;
      while (below < n && (sorted[below] as number) < v) below++;
      expect(Math.abs(below / n - q), `q=${q}`).toBeLessThan(err);
    }
    // Frequent values: -1 in 20% of rows, 0..9 in 8% each; estimates within a few sampling
    // standard errors.
    const truth = new Map<number, number>();
    for (const v of ks) truth.set(v, (truth.get(v) ?? 0) + 1);
    expect(k.top.top(1)[0]?.[0]).toBe(-1);
    for (const [v, c] of k.top.top(11)) {
      const t = truth.get(v) ?? 0;
      expect(Math.abs(c - t), `value ${v}`).toBeLessThan(5 * Math.sqrt(8 * t) + k.top.offset);
    }
  });
});
