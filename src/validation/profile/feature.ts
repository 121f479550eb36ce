import type { DataType } from '../../core/data/index.js';
import { MortarError } from '../../core/errors.js';
import { FrequentItems } from '../sketches/frequent.js';
import { hashString } from '../sketches/hash.js';
import { HyperLogLog } from '../sketches/hll.js';
import { KllSketch } from '../sketches/kll.js';
import { Moments } from '../sketches/moments.js';
import { blockSample } from '../sketches/sample.js';
import { Rng } from '../../core/rng.js';
import { columnLength, isNullAt, nullCount, type ColumnView } from './view.js';
import type {
  FeatureProfileJson,
  FeatureType,
  NumericStatsJson,
  StringStatsJson,
} from './types.js';

/** Sketch sizes shared by every feature of a profile. */
export interface SketchOptions {
  /** KLL accuracy (default 200: 1.33% rank error). */
  readonly kllK: number;
  /** HyperLogLog precision (default 12: 1.6% standard error). */
  readonly hllP: number;
  /** Frequent string values kept (default 1024; exact below that many distinct values). */
  readonly topK: number;
  /** Frequent numeric values kept (default 64). */
  readonly numericTopK: number;
}

/** Defaults for {@link SketchOptions}. */
export const DEFAULT_SKETCHES: SketchOptions = { kllK: 200, hllP: 12, topK: 1024, numericTopK: 64 };

const SEED_A = 0x5bd1e995;
const SEED_B = 0x1b873593;
/** Smallest and largest values kept exactly per numeric feature. */
const EXTREMES = 32;

/** The validation type of a column's data type. */
export function featureTypeOf(t: DataType, sample?: unknown): FeatureType {
  switch (t) {
    case 'bool':
      return 'BOOL';
    case 'string':
      return 'STRING';
    case 'float32':
    case 'float64':
      return 'FLOAT';
    case 'date':
    case 'timestamp':
    case 'time':
      return 'TIMESTAMP';
    case 'other':
      return Array.isArray(sample) ? 'LIST' : 'OTHER';
    default:
      return 'INT';
  }
}

function isNumericType(t: FeatureType): boolean {
  return t === 'INT' || t === 'FLOAT' || t === 'TIMESTAMP';
}

function isStringType(t: FeatureType): boolean {
  return t === 'STRING' || t === 'BOOL';
}

/** Merges two feature types of the same feature (INT + FLOAT = FLOAT); undefined if incompatible. */
export function unifyTypes(a: FeatureType, b: FeatureType): FeatureType | undefined {
  if (a === b) return a;
  if ((a === 'INT' && b === 'FLOAT') || (a === 'FLOAT' && b === 'INT')) return 'FLOAT';
  if ((a === 'LIST' && b === 'OTHER') || (a === 'OTHER' && b === 'LIST')) return 'LIST';
  return undefined;
}

class NumericPart {
  moments = new Moments();
  weighted: Moments | undefined;
  min = Infinity;
  max = -Infinity;
  zeros = 0;
  nan = 0;
  inf = 0;
  nonIntegral = 0;
  kll: KllSketch;
  top: FrequentItems<number>;
  /** The EXTREMES smallest finite values, ascending (exact). */
  low: number[] = [];
  /** The EXTREMES largest finite values, descending (exact). */
  high: number[] = [];
  /** Draws the block samples (seeded: a profile is a function of its input). */
  private readonly rng = new Rng(0x6a09e667);
  constructor(o: SketchOptions) {
    this.kll = new KllSketch(o.kllK);
    this.top = new FrequentItems<number>(o.numericTopK);
  }

  /**
   * Adds the present values of `values` (null rows are those with `valid[i] === 0`). One tight
   * pass counts NaN/inf/zeros/non-integral values and copies the finite ones into a scratch
   * array; a second gives the batch's squared deviations (Chan-merged into the moments) and a
   * third the exact extremes. The values (or, when `stride` > 1, a block sample with one value
   * per `stride`, see `sketches/sample.ts`) are then sorted natively once, which gives a KLL
   * batch insert ({@link KllSketch.addSample}) and the batch's value counts (runs) for the
   * frequent values. Counts, moments, min/max and extremes always cover every value.
   */
  addValues(
    values: Float64Array,
    valid: Uint8Array | null,
    weights: Float64Array | undefined,
    stride = 1,
  ): void {
    const len = values.length;
    const xs = scratch(len);
    let n = 0;
    let sum = 0;
    let zeros = 0;
    let nan = 0;
    let inf = 0;
    let nonIntegral = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < len; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const v = values[i] as number;
      if (v - v !== 0) {
        if (v !== v) nan++;
        else inf++;
        continue;
      }
      xs[n++] = v;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v === 0) zeros++;
      else if (v !== Math.floor(v)) nonIntegral++;
    }
    this.zeros += zeros;
    this.nan += nan;
    this.inf += inf;
    this.nonIntegral += nonIntegral;
    if (n === 0) return;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    const mean = sum / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const d = (xs[i] as number) - mean;
      m2 += d * d;
    }
    this.moments.merge({ n, mean, m2 });
    if (weights) {
      const w = (this.weighted ??= new Moments());
      for (let i = 0; i < len; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const v = values[i] as number;
        if (v - v === 0) w.add(v, weights[i] as number);
      }
    }
    this.low = smallest(this.low, xs, n, 1);
    this.high = smallest(this.high, xs, n, -1);
    const m = blockSample(xs, n, stride, this.rng);
    const sorted = xs.subarray(0, m).sort();
    this.kll.addSample(sorted, Math.log2(stride), n, min, max);
    this.top.merge(frequentOfSorted(sorted, this.top.capacity, stride, n));
  }

  merge(o: NumericPart): void {
    this.moments.merge(o.moments);
    if (o.weighted) (this.weighted ??= new Moments()).merge(o.weighted);
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
    this.zeros += o.zeros;
    this.nan += o.nan;
    this.inf += o.inf;
    this.nonIntegral += o.nonIntegral;
    this.kll.merge(o.kll);
    this.top.merge(o.top);
    for (const v of o.low) insertSorted(this.low, v, 1);
    for (const v of o.high) insertSorted(this.high, v, -1);
  }

  /** How many values lie below `lo` or above `hi`: exact up to EXTREMES per side, else estimated. */
  countOutside(lo: number, hi: number): number {
    const below = this.low.filter((v) => v < lo).length;
    const above = this.high.filter((v) => v > hi).length;
    const n = this.kll.n;
    const estBelow = below >= EXTREMES ? Math.max(below, n * this.kll.rank(lo, false)) : below;
    const estAbove = above >= EXTREMES ? Math.max(above, n * (1 - this.kll.rank(hi, true))) : above;
    return Math.round(estBelow + estAbove);
  }

  toJSON(): NumericStatsJson {
    return {
      moments: this.moments.toJSON(),
      ...(this.weighted ? { weighted: this.weighted.toJSON() } : {}),
      min: Number.isFinite(this.min) ? this.min : null,
      max: Number.isFinite(this.max) ? this.max : null,
      zeros: this.zeros,
      nan: this.nan,
      inf: this.inf,
      nonIntegral: this.nonIntegral,
      quantiles: this.kll.toJSON(),
      top: this.top.toJSON(),
      extremes: { low: this.low, high: this.high },
    };
  }

  static fromJSON(j: NumericStatsJson, o: SketchOptions): NumericPart {
    const p = new NumericPart(o);
    p.moments = Moments.fromJSON(j.moments);
    if (j.weighted) p.weighted = Moments.fromJSON(j.weighted);
    p.min = j.min ?? Infinity;
    p.max = j.max ?? -Infinity;
    Object.assign(p, { zeros: j.zeros, nan: j.nan, inf: j.inf, nonIntegral: j.nonIntegral });
    p.kll = KllSketch.fromJSON(j.quantiles);
    p.top = FrequentItems.fromJSON(j.top);
    p.low = [...(j.extremes?.low ?? [])];
    p.high = [...(j.extremes?.high ?? [])];
    return p;
  }
}

let scratchBuf = new Float64Array(0);

/** A reusable work array of at least `n` doubles (profiling is synchronous, one column at a time). */
function scratch(n: number): Float64Array {
  if (scratchBuf.length < n) scratchBuf = new Float64Array(Math.max(n, 2 * scratchBuf.length));
  return scratchBuf;
}

/**
 * The EXTREMES smallest (dir 1, ascending) or largest (dir -1, descending) of `current` (in
 * that order already) and `xs[0..n)`, with multiplicity. A bounded heap with the current
 * threshold in front: one comparison per value in the usual case, O(log EXTREMES) when a value
 * gets in (sorted input included).
 */
function smallest(current: number[], xs: Float64Array, n: number, dir: 1 | -1): number[] {
  // A max-heap (by v * dir) of at most EXTREMES signed values.
  const heap = extremesHeap;
  let size = 0;
  for (const v of current) heapPushMax(heap, size++, v * dir);
  // Scan from the end where the batch's values are least extreme for this side (time-ordered
  // data: a rising column's largest values are at its end), so few values get past the gate.
  const backward = n > 1 && ((xs[n - 1] as number) - (xs[0] as number)) * dir < 0;
  for (let k = 0; k < n; k++) {
    const v = (xs[backward ? n - 1 - k : k] as number) * dir;
    if (size < EXTREMES) heapPushMax(heap, size++, v);
    else if (v < (heap[0] as number)) heapReplaceTopMax(heap, size, v);
  }
  const out = Array.from(heap.subarray(0, size)).sort((a, b) => a - b);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * dir + 0;
  return out;
}

const extremesHeap = new Float64Array(EXTREMES);

function heapPushMax(h: Float64Array, size: number, v: number): void {
  let i = size;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if ((h[p] as number) >= v) break;
    h[i] = h[p] as number;
    i = p;
  }
  h[i] = v;
}

function heapReplaceTopMax(h: Float64Array, size: number, v: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && (h[r] as number) > (h[l] as number) ? r : l;
    if ((h[c] as number) <= v) break;
    h[i] = h[c] as number;
    i = c;
  }
  h[i] = v;
}

/**
 * The Misra-Gries summary (capacity `capacity`) of one batch of `total` values from its sorted
 * values (or a block sample of them, each standing for `scale` values): run counts, cut back like {@link FrequentItems.reduce} — the (capacity+1)-th largest count is
 * subtracted from every count and non-positive counters dropped — found with a small min-heap
 * instead of a map of every distinct value.
 */
function frequentOfSorted(
  sorted: Float64Array,
  capacity: number,
  scale: number,
  total: number,
): FrequentItems<number> {
  const part = new FrequentItems<number>(capacity);
  const n = sorted.length;
  part.total = total;
  // Pass 1: the (capacity + 1) largest run counts in a min-heap.
  const heap = new Float64Array(capacity + 1);
  let size = 0;
  let runs = 0;
  for (let i = 0; i < n;) {
    const v = sorted[i] as number;
    let j = i + 1;
    while (j < n && sorted[j] === v) j++;
    const c = j - i;
    runs++;
    if (size <= capacity) heapPush(heap, size++, c);
    else if (c > (heap[0] as number)) heapReplaceTop(heap, size, c);
    i = j;
  }
  const cut = runs > capacity ? (heap[0] as number) : 0;
  for (let i = 0; i < n;) {
    const v = sorted[i] as number;
    let j = i + 1;
    while (j < n && sorted[j] === v) j++;
    const c = j - i - cut;
    if (c > 0) part.counts.set(v === 0 ? 0 : v, c * scale);
    i = j;
  }
  part.offset = cut * scale;
  return part;
}

function heapPush(h: Float64Array, size: number, v: number): void {
  let i = size;
  h[i] = v;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if ((h[p] as number) <= v) break;
    h[i] = h[p] as number;
    h[p] = v;
    i = p;
  }
}

function heapReplaceTop(h: Float64Array, size: number, v: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && (h[r] as number) < (h[l] as number) ? r : l;
    if ((h[c] as number) >= v) break;
    h[i] = h[c] as number;
    i = c;
  }
  h[i] = v;
}

/** Inserts `v` into `a` kept sorted ascending (dir 1) or descending (dir -1), capped at EXTREMES. */
function insertSorted(a: number[], v: number, dir: 1 | -1): void {
  let i = a.length;
  while (i > 0 && (a[i - 1] as number) * dir > v * dir) i--;
  a.splice(i, 0, v);
  if (a.length > EXTREMES) a.pop();
}

class StringPart {
  hll: HyperLogLog;
  top: FrequentItems<string>;
  lengths = new Moments();
  minLength = Infinity;
  maxLength = -Infinity;
  constructor(o: SketchOptions) {
    this.hll = new HyperLogLog(o.hllP);
    this.top = new FrequentItems<string>(o.topK);
  }

  /** Adds `count` occurrences of `s`. */
  addValue(s: string, count: number): void {
    this.hll.add(hashString(s, SEED_A), hashString(s, SEED_B));
    this.top.add(s, count);
    const len = s.length;
    const m = this.lengths;
    // `count` copies of one length: merge a summary with zero spread.
    m.merge({ n: count, mean: len, m2: 0 });
    if (len < this.minLength) this.minLength = len;
    if (len > this.maxLength) this.maxLength = len;
  }

  merge(o: StringPart): void {
    this.hll.merge(o.hll);
    this.top.merge(o.top);
    this.lengths.merge(o.lengths);
    this.minLength = Math.min(this.minLength, o.minLength);
    this.maxLength = Math.max(this.maxLength, o.maxLength);
  }

  toJSON(): StringStatsJson {
    return {
      distinct: this.hll.toJSON(),
      top: this.top.toJSON(),
      lengths: this.lengths.toJSON(),
      minLength: Number.isFinite(this.minLength) ? this.minLength : null,
      maxLength: Number.isFinite(this.maxLength) ? this.maxLength : null,
    };
  }

  static fromJSON(j: StringStatsJson, o: SketchOptions): StringPart {
    const p = new StringPart(o);
    p.hll = HyperLogLog.fromJSON(j.distinct);
    p.top = FrequentItems.fromJSON(j.top);
    p.lengths = Moments.fromJSON(j.lengths);
    p.minLength = j.minLength ?? Infinity;
    p.maxLength = j.maxLength ?? -Infinity;
    return p;
  }
}

class ValencyPart {
  moments = new Moments();
  min = Infinity;
  max = -Infinity;
  add(len: number): void {
    this.moments.add(len);
    if (len < this.min) this.min = len;
    if (len > this.max) this.max = len;
  }
  merge(o: ValencyPart): void {
    this.moments.merge(o.moments);
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
  }
}

/**
 * The statistics of one feature, built batch by batch: counts and missing, then numeric
 * (moments, extremes, KLL quantiles, frequent values), string (HyperLogLog, Misra-Gries, lengths)
 * or list (valency) parts depending on the type. Mergeable and JSON round-trippable.
 */
export class FeatureStats {
  present = 0;
  missing = 0;
  weightPresent: number | undefined;
  numeric: NumericPart | undefined;
  string: StringPart | undefined;
  valency: ValencyPart | undefined;

  constructor(
    readonly name: string,
    public type: FeatureType,
    private readonly opts: SketchOptions,
    readonly sourceType?: string,
  ) {
    if (isNumericType(type)) this.numeric = new NumericPart(opts);
    if (isStringType(type)) this.string = new StringPart(opts);
    if (type === 'LIST') this.valency = new ValencyPart();
  }

  /**
   * Adds a column of one batch (optionally with per-row weights). `stride` > 1 (a power of two,
   * see `sketches/sample.ts`) lets the numeric quantiles and frequent values see a block sample
   * of one value per `stride`; everything else always sees every value.
   */
  add(col: ColumnView, weights?: Float64Array, stride = 1): void {
    const length = columnLength(col);
    const nulls = nullCount(col);
    this.present += length - nulls;
    this.missing += nulls;
    if (weights) {
      let w = 0;
      for (let i = 0; i < length; i++) if (!isNullAt(col, i)) w += weights[i] as number;
      this.weightPresent = (this.weightPresent ?? 0) + w;
    }
    switch (col.kind) {
      case 'number':
        this.numeric?.addValues(col.values, col.valid, weights, stride);
        return;
      case 'bigint': {
        const vals = Float64Array.from(col.values, (v) => Number(v));
        this.numeric?.addValues(vals, col.valid, weights, stride);
        return;
      }
      case 'string': {
        const counts = new Float64Array(col.dictionary.length);
        const codes = col.codes;
        for (let i = 0; i < codes.length; i++) {
          const c = codes[i] as number;
          if (c >= 0) counts[c] = (counts[c] as number) + 1;
        }
        const part = this.string;
        if (!part) return;
        for (let c = 0; c < counts.length; c++) {
          const n = counts[c] as number;
          if (n > 0) part.addValue(col.dictionary[c] as string, n);
        }
        return;
      }
      case 'bool': {
        let t = 0;
        let f = 0;
        const { values, valid } = col;
        for (let i = 0; i < values.length; i++) {
          if (valid !== null && valid[i] === 0) continue;
          if (values[i] === 1) t++;
          else f++;
        }
        if (t) this.string?.addValue('true', t);
        if (f) this.string?.addValue('false', f);
        return;
      }
      case 'value': {
        if (!this.valency) return;
        for (const v of col.values) if (Array.isArray(v)) this.valency.add(v.length);
        return;
      }
    }
  }

  /** Folds in the statistics of the same feature from another shard. */
  merge(o: FeatureStats): void {
    const t = unifyTypes(this.type, o.type);
    if (t === undefined) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `cannot merge profiles: feature "${this.name}" is ${this.type} in one and ${o.type} in the other`,
        { details: { feature: this.name, types: [this.type, o.type] } },
      );
    }
    this.type = t;
    this.present += o.present;
    this.missing += o.missing;
    if (o.weightPresent !== undefined)
      this.weightPresent = (this.weightPresent ?? 0) + o.weightPresent;
    if (o.numeric) (this.numeric ??= new NumericPart(this.opts)).merge(o.numeric);
    if (o.string) (this.string ??= new StringPart(this.opts)).merge(o.string);
    if (o.valency) (this.valency ??= new ValencyPart()).merge(o.valency);
  }

  /** JSON-safe form. */
  toJSON(): FeatureProfileJson {
    const v = this.valency;
    return {
      name: this.name,
      type: this.type,
      ...(this.sourceType === undefined ? {} : { sourceType: this.sourceType }),
      present: this.present,
      missing: this.missing,
      ...(this.weightPresent === undefined ? {} : { weightPresent: this.weightPresent }),
      ...(this.numeric ? { numeric: this.numeric.toJSON() } : {}),
      ...(this.string ? { string: this.string.toJSON() } : {}),
      ...(v
        ? {
            valency: {
              moments: v.moments.toJSON(),
              min: Number.isFinite(v.min) ? v.min : null,
              max: Number.isFinite(v.max) ? v.max : null,
            },
          }
        : {}),
    };
  }

  /** Rebuilds from {@link toJSON}'s output. */
  static fromJSON(j: FeatureProfileJson, opts: SketchOptions): FeatureStats {
    const f = new FeatureStats(j.name, j.type, opts, j.sourceType);
    f.present = j.present;
    f.missing = j.missing;
    f.weightPresent = j.weightPresent;
    f.numeric = j.numeric ? NumericPart.fromJSON(j.numeric, opts) : undefined;
    f.string = j.string ? StringPart.fromJSON(j.string, opts) : undefined;
    if (j.valency) {
      const v = new ValencyPart();
      v.moments = Moments.fromJSON(j.valency.moments);
      v.min = j.valency.min ?? Infinity;
      v.max = j.valency.max ?? -Infinity;
      f.valency = v;
    }
    return f;
  }
}
