import type { Row } from '../../core/data/index.js';
import { MortarError } from '../../core/errors.js';
import { fmix32, hashCombine, hashString } from '../sketches/hash.js';
import { RowSampler } from '../sketches/kmv.js';
import { CoMoments } from '../sketches/moments.js';
import { sampleRows, sampleStride } from '../sketches/sample.js';
import { Rng } from '../../core/rng.js';
import { DEFAULT_SKETCHES, FeatureStats, featureTypeOf, type SketchOptions } from './feature.js';
import { PROFILE_FORMAT, PROFILE_VERSION, type ProfileJson } from './types.js';
import { cellAt, columnIndex, rowAt, takeRows, type BatchView, type ColumnView } from './view.js';

/** How to cut a dataset into slices: by the value of a column, or by a named function of a row. */
export type SliceSpec =
  | { readonly column: string }
  | { readonly name: string; readonly fn: (row: Row) => string | null | undefined };

/** Options of a {@link Profile}. */
export interface ProfileOptions extends Partial<SketchOptions> {
  /** Keep a row-hash sample to estimate duplicate rows (default true). */
  readonly duplicates?: boolean;
  /**
   * Pairwise correlations among the first this-many numeric features (default 10; 0 = off), taken
   * on sign(x) log(1 + |x|) so heavy tails do not dominate.
   */
  readonly correlations?: number;
  /** A numeric column holding per-row weights (it is not profiled as a feature). */
  readonly weight?: string;
  /** Slices to profile separately (in addition to the whole). */
  readonly slices?: readonly SliceSpec[];
  /** At most this many slices per spec; rows of further values go to `column=__other__` (default 100). */
  readonly maxSlices?: number;
}

const NULL_HASH = 0x6b43a9b5;

function cellHashes(col: ColumnView, type: string, out: Uint32Array, salt: number): void {
  switch (col.kind) {
    case 'number': {
      // hashNumber inlined on the doubles' bits (a 32-bit view, no per-value copy).
      const { values, valid } = col;
      const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
      const mul = 0x9e3779b1;
      for (let i = 0; i < values.length; i++) {
        let v: number;
        if (valid !== null && valid[i] === 0) v = NULL_HASH;
        else {
          const lo = bits[2 * i] as number;
          let hi = bits[2 * i + 1] as number;
          if (lo === 0 && hi === 0x80000000) hi = 0; // -0 hashes as 0
          v = fmix32(fmix32(lo ^ salt) ^ Math.imul(hi + salt, mul));
        }
        out[i] = hashCombine(out[i] as number, v);
      }
      return;
    }
    case 'string': {
      const dict = col.dictionary.map((s) => hashString(s, salt));
      const codes = col.codes;
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i] as number;
        out[i] = hashCombine(out[i] as number, c < 0 ? NULL_HASH : (dict[c] as number));
      }
      return;
    }
    default:
      for (let i = 0; i < out.length; i++) {
        const v = cellAt(col, type, i);
        out[i] = hashCombine(
          out[i] as number,
          v === null ? NULL_HASH : hashString(String(v), salt),
        );
      }
  }
}

/** One correlation column of a batch: sign(x) log(1 + |x|) of its (sampled) rows. */
interface CorrelationColumn {
  /** The transformed values, NaN where missing. */
  readonly raw: Float64Array;
  /** True when nothing is missing; then `values` holds `raw` minus its mean. */
  readonly complete: boolean;
  readonly values: Float64Array;
  readonly n: number;
  readonly mean: number;
  /** Sum of squared deviations from the mean (when complete). */
  readonly css: number;
}

/**
 * sign(x) * log(1 + |x|) (tames heavy tails before correlations are taken) of `a`'s rows
 * `rows` (all rows when undefined), and, when no value is missing, centered by its mean.
 */
function centeredSignedLog(a: Float64Array, rows: Int32Array | undefined): CorrelationColumn {
  const n = rows ? rows.length : a.length;
  const raw = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = a[rows ? (rows[i] as number) : i] as number;
    const t = v < 0 ? -Math.log1p(-v) : Math.log1p(v);
    raw[i] = t;
    sum += t;
  }
  if (sum !== sum) return { raw, complete: false, values: raw, n, mean: NaN, css: NaN };
  const mean = n > 0 ? sum / n : 0;
  const values = new Float64Array(n);
  let css = 0;
  for (let i = 0; i < n; i++) {
    const d = (raw[i] as number) - mean;
    values[i] = d;
    css += d * d;
  }
  return { raw, complete: true, values, n, mean, css };
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}

function numericArray(col: ColumnView): Float64Array | undefined {
  if (col.kind === 'number') return col.values;
  if (col.kind === 'bigint') {
    const { valid } = col;
    return Float64Array.from(col.values, (v, i) =>
      valid !== null && valid[i] === 0 ? NaN : Number(v),
    );
  }
  return undefined;
}

/**
 * The statistics of a dataset, built in one streaming pass with bounded memory: per feature
 * counts, missing, type, numeric moments/extremes/KLL quantiles/frequent values, string
 * HyperLogLog/frequent values/lengths, list valency; dataset-wide row count, optional weights,
 * a row-hash sample for duplicates, pairwise correlations and slices. `merge` combines shards;
 * `toJSON`/`fromJSON` round-trip it.
 *
 * @example
 * const p = new Profile();
 * for await (const b of readBatches('train.parquet')) p.add(b);
 * await writeFile('profile.json', JSON.stringify(p.toJSON()));
 */
export class Profile {
  rows = 0;
  weight: number | undefined;
  readonly features = new Map<string, FeatureStats>();
  duplicates: RowSampler | undefined;
  correlationFeatures: string[] | undefined;
  correlations: CoMoments[] = [];
  readonly slices = new Map<string, Profile>();
  private readonly sketches: SketchOptions;
  /** Draws the row samples for correlations once the profile is large (seeded). */
  private readonly rng = new Rng(0x3c6ef372);

  constructor(readonly options: ProfileOptions = {}) {
    this.sketches = { ...DEFAULT_SKETCHES, ...stripUndefined(options) };
    if ((options.duplicates ?? true) === true) this.duplicates = new RowSampler();
  }

  /** The statistics of feature `name`, or undefined. */
  feature(name: string): FeatureStats | undefined {
    return this.features.get(name);
  }

  /**
   * Adds one batch (a `RecordBatch`, or any {@link BatchView}). Columns must keep their names and
   * kinds from batch to batch.
   */
  add(batch: BatchView): void {
    const weightCol = this.options.weight;
    let weights: Float64Array | undefined;
    if (weightCol !== undefined) {
      const i = columnIndex(batch, weightCol);
      const col = i < 0 ? undefined : batch.columns[i];
      const arr = col ? numericArray(col) : undefined;
      if (!arr) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `weight column "${weightCol}" ${col ? 'is not numeric' : 'does not exist'}; columns are: ${batch.schema.map((f) => f.name).join(', ')}`,
          { details: { parameter: 'weight', column: weightCol } },
        );
      }
      weights = Float64Array.from(arr, (w) => (w === w && w > 0 ? w : 0));
      let total = 0;
      for (const w of weights) total += w;
      this.weight = (this.weight ?? 0) + total;
    }
    const stride = sampleStride(this.rows);
    this.rows += batch.numRows;
    const numericIdx: number[] = [];
    batch.schema.forEach((field, i) => {
      if (field.name === weightCol) return;
      const col = batch.columns[i] as ColumnView;
      let f = this.features.get(field.name);
      if (!f) {
        const sample =
          col.kind === 'value' ? col.values.find((v) => v !== null && v !== undefined) : undefined;
        f = new FeatureStats(
          field.name,
          featureTypeOf(field.type, sample),
          this.sketches,
          field.sourceType,
        );
        this.features.set(field.name, f);
      }
      f.add(col, weights, stride);
      if (f.type === 'INT' || f.type === 'FLOAT') numericIdx.push(i);
    });
    if (this.duplicates) this.addRowHashes(batch);
    this.addCorrelations(batch, numericIdx, stride);
    if (this.options.slices?.length) this.addSlices(batch);
  }

  private addRowHashes(batch: BatchView): void {
    const hashes = new Uint32Array(batch.numRows);
    batch.columns.forEach((col, c) => {
      if (batch.schema[c]?.name === this.options.weight) return;
      cellHashes(col, batch.schema[c]?.type ?? 'other', hashes, 0x3c6ef372 + c);
    });
    for (let i = 0; i < hashes.length; i++) hashes[i] = fmix32(hashes[i] as number);
    (this.duplicates as RowSampler).addAll(hashes);
  }

  private addCorrelations(batch: BatchView, numericIdx: readonly number[], stride: number): void {
    const max = this.options.correlations ?? 10;
    if (max < 2) return;
    if (!this.correlationFeatures) {
      this.correlationFeatures = numericIdx
        .slice(0, max)
        .map((i) => batch.schema[i]?.name as string);
      const k = this.correlationFeatures.length;
      this.correlations = Array.from({ length: (k * (k - 1)) / 2 }, () => new CoMoments());
    }
    const names = this.correlationFeatures;
    if (names.length < 2) return;
    const rows = sampleRows(batch.numRows, stride, this.rng);
    const cols = names.map((n) => {
      const i = columnIndex(batch, n);
      const arr = i < 0 ? undefined : numericArray(batch.columns[i] as ColumnView);
      return arr && centeredSignedLog(arr, rows);
    });
    let p = 0;
    for (let a = 0; a < names.length; a++) {
      for (let b = a + 1; b < names.length; b++, p++) {
        const xa = cols[a];
        const xb = cols[b];
        if (!xa || !xb) continue;
        const c = this.correlations[p] as CoMoments;
        if (xa.complete && xb.complete) {
          // No missing values in either column: the column means are the pair's means.
          if (xa.n === 0) continue;
          c.merge({
            n: xa.n,
            mx: xa.mean,
            my: xb.mean,
            cxx: xa.css,
            cyy: xb.css,
            cxy: dot(xa.values, xb.values),
          });
        } else c.addArrays(xa.raw, xb.raw);
      }
    }
  }

  private addSlices(batch: BatchView): void {
    const maxSlices = this.options.maxSlices ?? 100;
    for (const spec of this.options.slices ?? []) {
      const keys: (string | undefined)[] = new Array(batch.numRows);
      if ('column' in spec) {
        const i = columnIndex(batch, spec.column);
        if (i < 0) {
          throw new MortarError(
            'INVALID_ARGUMENT',
            `slice column "${spec.column}" does not exist; columns are: ${batch.schema.map((f) => f.name).join(', ')}`,
            { details: { parameter: 'slices', column: spec.column } },
          );
        }
        const col = batch.columns[i] as ColumnView;
        const type = batch.schema[i]?.type ?? 'other';
        for (let r = 0; r < batch.numRows; r++) {
          const v = cellAt(col, type, r);
          keys[r] =
            v === null
              ? undefined
              : `${spec.column}=${v instanceof Date ? v.toISOString() : String(v)}`;
        }
      } else {
        for (let r = 0; r < batch.numRows; r++) {
          const v = spec.fn(rowAt(batch, r));
          keys[r] = v === null || v === undefined ? undefined : `${spec.name}=${v}`;
        }
      }
      const groups = new Map<string, number[]>();
      const label = 'column' in spec ? spec.column : spec.name;
      for (let r = 0; r < keys.length; r++) {
        let k = keys[r];
        if (k === undefined) continue;
        if (!this.slices.has(k) && !groups.has(k) && this.slices.size + groups.size >= maxSlices)
          k = `${label}=__other__`;
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(r);
      }
      for (const [k, rows] of groups) {
        let sub = this.slices.get(k);
        if (!sub) {
          sub = new Profile({ ...this.options, slices: [] });
          this.slices.set(k, sub);
        }
        sub.add(takeRows(batch, rows));
      }
    }
  }

  /** Folds in the profile of another shard of the same data. */
  merge(o: Profile): void {
    const before = this.rows;
    this.rows += o.rows;
    if (o.weight !== undefined) this.weight = (this.weight ?? 0) + o.weight;
    for (const [name, f] of o.features) {
      const mine = this.features.get(name);
      if (mine) mine.merge(f);
      else {
        const copy = FeatureStats.fromJSON(f.toJSON(), this.sketches);
        // A feature absent from this shard was missing in all of its rows.
        copy.missing += before;
        this.features.set(name, copy);
      }
    }
    for (const [name, f] of this.features) if (!o.features.has(name)) f.missing += o.rows;
    if (this.duplicates && o.duplicates) this.duplicates.merge(o.duplicates);
    else this.duplicates = undefined;
    if (o.correlationFeatures) {
      if (!this.correlationFeatures) {
        this.correlationFeatures = [...o.correlationFeatures];
        this.correlations = o.correlations.map((c) => CoMoments.fromJSON(c.toJSON()));
      } else if (this.correlationFeatures.join('\0') === o.correlationFeatures.join('\0')) {
        o.correlations.forEach((c, i) => this.correlations[i]?.merge(c));
      }
    }
    for (const [k, s] of o.slices) {
      const mine = this.slices.get(k);
      if (mine) mine.merge(s);
      else this.slices.set(k, Profile.fromJSON(s.toJSON(), this.options));
    }
  }

  /** Pearson correlation of two features from the pairwise summaries, or undefined. */
  correlation(a: string, b: string): CoMoments | undefined {
    const names = this.correlationFeatures ?? [];
    let i = names.indexOf(a);
    let j = names.indexOf(b);
    if (i < 0 || j < 0 || i === j) return undefined;
    if (i > j) [i, j] = [j, i];
    const k = names.length;
    const idx = i * k - (i * (i + 1)) / 2 + (j - i - 1);
    return this.correlations[idx];
  }

  /** The plain-JSON form (see {@link ProfileJson}). */
  toJSON(): ProfileJson {
    return {
      format: PROFILE_FORMAT,
      version: PROFILE_VERSION,
      rows: this.rows,
      ...(this.weight === undefined
        ? {}
        : { weight: this.weight, weightColumn: this.options.weight }),
      features: [...this.features.values()].map((f) => f.toJSON()),
      ...(this.duplicates ? { duplicates: this.duplicates.toJSON() } : {}),
      ...(this.correlationFeatures
        ? {
            correlations: {
              features: this.correlationFeatures,
              pairs: this.correlations.map((c) => c.toJSON()),
            },
          }
        : {}),
      ...(this.slices.size
        ? { slices: Object.fromEntries([...this.slices].map(([k, s]) => [k, s.toJSON()])) }
        : {}),
    };
  }

  /** Rebuilds a live profile (mergeable, queryable) from its JSON form. */
  static fromJSON(j: ProfileJson, options: ProfileOptions = {}): Profile {
    const first = j.features.find((f) => f.numeric)?.numeric;
    const firstStr = j.features.find((f) => f.string)?.string;
    const p = new Profile({
      ...options,
      duplicates: j.duplicates !== undefined,
      ...(j.weightColumn === undefined ? {} : { weight: j.weightColumn }),
      ...(first ? { kllK: first.quantiles.k, numericTopK: first.top.capacity } : {}),
      ...(firstStr ? { hllP: firstStr.distinct.p, topK: firstStr.top.capacity } : {}),
    });
    p.rows = j.rows;
    p.weight = j.weight;
    for (const f of j.features) p.features.set(f.name, FeatureStats.fromJSON(f, p.sketches));
    if (j.duplicates) p.duplicates = RowSampler.fromJSON(j.duplicates);
    if (j.correlations) {
      p.correlationFeatures = [...j.correlations.features];
      p.correlations = j.correlations.pairs.map((c) => CoMoments.fromJSON(c));
    }
    for (const [k, s] of Object.entries(j.slices ?? {}))
      p.slices.set(k, Profile.fromJSON(s, options));
    return p;
  }
}

function stripUndefined(o: ProfileOptions): Partial<SketchOptions> {
  const out: Partial<Record<keyof SketchOptions, number>> = {};
  for (const k of ['kllK', 'hllP', 'topK', 'numericTopK'] as const) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Profiles one in-memory batch. */
export function profileBatch(batch: BatchView, options: ProfileOptions = {}): Profile {
  const p = new Profile(options);
  p.add(batch);
  return p;
}

/** Merges profiles (JSON or live) of shards into one new profile (the inputs are unchanged). */
export function mergeProfiles(
  profiles: readonly (Profile | ProfileJson)[],
  options: ProfileOptions = {},
): Profile {
  const [head, ...rest] = profiles;
  if (head === undefined) return new Profile(options);
  const out = Profile.fromJSON(head instanceof Profile ? head.toJSON() : head, options);
  for (const p of rest) out.merge(p instanceof Profile ? p : Profile.fromJSON(p, options));
  return out;
}
