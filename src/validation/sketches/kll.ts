import { MortarError } from '../../core/errors.js';

/** The JSON form of a {@link KllSketch}. */
export interface KllJson {
  readonly k: number;
  readonly n: number;
  readonly min: number | null;
  readonly max: number | null;
  /** `levels[h]` holds items of weight 2^h. */
  readonly levels: readonly (readonly number[])[];
  readonly seed: number;
  /**
   * Variance (in items squared) that block sampling added to any rank (see
   * {@link KllSketch.addSample}); absent when nothing was sampled.
   */
  readonly sampleVariance?: number;
}

const MIN_CAPACITY = 8;

/**
 * A KLL quantile sketch (Karnin, Lang, Liberty 2016) over doubles: bounded memory
 * (about 3k items), mergeable, serializable. While fewer than `k` items were added it is exact;
 * after that a rank query is within {@link KllSketch.rankError} * n of the truth with 99%
 * confidence (the Apache DataSketches bound 2.296 / k^0.9723: 1.33% at k = 200).
 * Compaction coins come from a seeded xorshift, so a sketch is deterministic given its inputs.
 * NaN is ignored; callers count it separately.
 */
export class KllSketch {
  /** Items seen. */
  n = 0;
  /** Exact minimum (Infinity when empty). */
  min = Infinity;
  /** Exact maximum (-Infinity when empty). */
  max = -Infinity;
  private levels: number[][] = [[]];
  private size = 0;
  private cap = 0;
  private state: number;
  /** Upper bound on the rank variance added by block sampling (items^2). */
  private sampleVariance = 0;

  /** @param k accuracy parameter (>= 8); 200 by default. */
  constructor(
    readonly k: number = 200,
    seed = 0x2545f491,
  ) {
    if (!Number.isInteger(k) || k < MIN_CAPACITY) {
      throw new MortarError('INVALID_ARGUMENT', `KLL k must be an integer >= 8, got ${k}`, {
        details: { parameter: 'k', got: k },
      });
    }
    this.state = seed >>> 0 || 1;
    this.cap = this.totalCapacity();
  }

  /** The normalized rank error bound for accuracy `k` (0 while the sketch is exact). */
  static errorFor(k: number): number {
    return 2.296 / Math.pow(k, 0.9723);
  }

  /**
   * This sketch's normalized rank error at 99% confidence: 0 while exact (no compaction yet),
   * else {@link errorFor}(k), plus 2.576 standard errors of block sampling when values were
   * added through {@link addSample} with `level` > 0 (at most 0.36% with `profile`'s sampling
   * rate, see `sketches/sample.ts`).
   */
  rankError(): number {
    const base = this.levels.length > 1 ? KllSketch.errorFor(this.k) : 0;
    const sampled = this.n > 0 ? (2.576 * Math.sqrt(this.sampleVariance)) / this.n : 0;
    return base + sampled;
  }

  /** Adds one value (NaN is skipped). */
  update(x: number): void {
    if (x !== x) return;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.n++;
    (this.levels[0] as number[]).push(x);
    if (++this.size >= this.cap) this.compress();
  }

  /** Adds every non-NaN value of `values` (sorted as a batch, see {@link addSorted}). */
  updateAll(values: ArrayLike<number>): void {
    const xs = new Float64Array(values.length);
    let m = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v === v) xs[m++] = v;
    }
    this.addSorted(xs.subarray(0, m).sort());
  }

  /**
   * Adds a batch of values sorted ascending (no NaN; `sorted` is not changed) — the fast path
   * for columns. While the batch fits the sketch's free space the values go to level 0 as if
   * added one by one (so the sketch stays exact below `k` items); otherwise the batch is
   * compacted level by level — merged with that level's items, every other item kept at twice
   * the weight, exactly KLL's compaction of a sorted buffer — until it fits a level. That is a
   * KLL merge of the batch as a one-level sketch, so the rank error bound is unchanged; each
   * level is compacted at most once per batch. Cost: one native sort by the caller plus O(m).
   */
  addSorted(sorted: Float64Array): void {
    const m = sorted.length;
    if (m > 0) this.addSample(sorted, 0, m, sorted[0] as number, sorted[m - 1] as number);
  }

  /**
   * Adds a sorted sample standing for `count` items, each sample item with weight
   * `2^level`: a block sample (one item drawn per block of `2^level`, see `sketches/sample.ts`);
   * `min`/`max` are the exact extremes of the `count` items. With `level` 0 and `count` =
   * `sorted.length` this is {@link addSorted}. Sampling adds at most `count * 2^level / 4` to the
   * variance of any rank (each block's error has variance <= B^2 / 4), which
   * {@link rankError} includes.
   */
  addSample(sorted: Float64Array, level: number, count: number, min: number, max: number): void {
    if (count <= 0) return;
    if (level > 0) this.sampleVariance += (count * 2 ** level) / 4;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    this.n += count;
    const m = sorted.length;
    if (m === 0) return;
    if (level === 0 && this.size + m < this.cap) {
      const l0 = this.levels[0] as number[];
      for (let i = 0; i < m; i++) l0.push(sorted[i] as number);
      this.size += m;
      return;
    }
    let buf = sorted;
    for (let h = level; ; h++) {
      while (h >= this.levels.length) this.levels.push([]);
      const lvl = this.levels[h] as number[];
      // Lazy, like `update`: compact only while the sketch as a whole would be over capacity.
      this.cap = this.totalCapacity();
      if (this.size + buf.length < this.cap) {
        for (let i = 0; i < buf.length; i++) lvl.push(buf[i] as number);
        this.size += buf.length;
        break;
      }
      const merged = mergeSorted(lvl, buf);
      this.size -= lvl.length;
      lvl.length = 0;
      let len = merged.length;
      // An odd item (the largest) stays behind so the promoted count is even.
      if (len % 2 === 1) {
        lvl.push(merged[--len] as number);
        this.size++;
      }
      const off = this.coin();
      const up = new Float64Array(len >>> 1);
      for (let i = 0, j = off; i < up.length; i++, j += 2) up[i] = merged[j] as number;
      buf = up;
    }
    this.cap = this.totalCapacity();
    while (this.size >= this.cap) this.compress();
  }

  /** Folds `other` into this sketch (other is unchanged). */
  merge(other: KllSketch): void {
    if (other.n === 0) return;
    if (other.k !== this.k) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `cannot merge KLL sketches with k ${this.k} and ${other.k}`,
      );
    }
    while (this.levels.length < other.levels.length) this.levels.push([]);
    for (let h = 0; h < other.levels.length; h++) {
      const src = other.levels[h] as number[];
      const dst = this.levels[h] as number[];
      for (const x of src) dst.push(x);
      this.size += src.length;
    }
    this.n += other.n;
    this.sampleVariance += other.sampleVariance;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    this.cap = this.totalCapacity();
    while (this.size >= this.cap) this.compress();
  }

  /** Fraction of items <= x (or < x when `inclusive` is false). */
  rank(x: number, inclusive = true): number {
    if (this.n === 0) return NaN;
    let w = 0;
    for (let h = 0; h < this.levels.length; h++) {
      const lvl = this.levels[h] as number[];
      let c = 0;
      for (const v of lvl) if (inclusive ? v <= x : v < x) c++;
      w += c * 2 ** h;
    }
    return w / this.weight();
  }

  /** The sorted (value, cumulative fraction <= value) view of the sketch. */
  cdf(): { values: Float64Array; cum: Float64Array } {
    const items: [number, number][] = [];
    for (let h = 0; h < this.levels.length; h++)
      for (const v of this.levels[h] as number[]) items.push([v, 2 ** h]);
    items.sort((a, b) => a[0] - b[0]);
    const values: number[] = [];
    const cum: number[] = [];
    const total = this.weight();
    let acc = 0;
    for (const [v, w] of items) {
      acc += w;
      if (values.length > 0 && values[values.length - 1] === v) cum[cum.length - 1] = acc / total;
      else {
        values.push(v);
        cum.push(acc / total);
      }
    }
    return { values: Float64Array.from(values), cum: Float64Array.from(cum) };
  }

  /** The approximate q-quantile (q in [0, 1]); NaN when empty. q = 0 and 1 give the exact min/max. */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const { values, cum } = this.cdf();
    for (let i = 0; i < values.length; i++) if ((cum[i] as number) >= q) return values[i] as number;
    return this.max;
  }

  /** Several quantiles at once. */
  quantiles(qs: readonly number[]): number[] {
    if (this.n === 0) return qs.map(() => NaN);
    const { values, cum } = this.cdf();
    return qs.map((q) => {
      if (q <= 0) return this.min;
      if (q >= 1) return this.max;
      for (let i = 0; i < values.length; i++)
        if ((cum[i] as number) >= q) return values[i] as number;
      return this.max;
    });
  }

  /** JSON-safe form. */
  toJSON(): KllJson {
    return {
      k: this.k,
      n: this.n,
      min: this.n ? this.min : null,
      max: this.n ? this.max : null,
      levels: this.levels.map((l) => [...l]),
      seed: this.state,
      ...(this.sampleVariance > 0 ? { sampleVariance: this.sampleVariance } : {}),
    };
  }

  /** Rebuilds a sketch from {@link toJSON}'s output. */
  static fromJSON(j: KllJson): KllSketch {
    const s = new KllSketch(j.k, j.seed);
    s.n = j.n;
    s.min = j.min ?? Infinity;
    s.max = j.max ?? -Infinity;
    s.levels = j.levels.length ? j.levels.map((l) => [...l]) : [[]];
    s.sampleVariance = j.sampleVariance ?? 0;
    s.size = s.levels.reduce((a, l) => a + l.length, 0);
    s.cap = s.totalCapacity();
    return s;
  }

  private weight(): number {
    let w = 0;
    for (let h = 0; h < this.levels.length; h++) w += (this.levels[h] as number[]).length * 2 ** h;
    return w;
  }

  private capacity(h: number): number {
    const depth = this.levels.length - 1 - h;
    return Math.max(MIN_CAPACITY, Math.ceil(this.k * Math.pow(2 / 3, depth)));
  }

  private totalCapacity(): number {
    let c = 0;
    for (let h = 0; h < this.levels.length; h++) c += this.capacity(h);
    return c;
  }

  private coin(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state & 1;
  }

  /** Compacts the lowest over-full level: sort, keep every other item at twice the weight. */
  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      const lvl = this.levels[h] as number[];
      if (lvl.length < this.capacity(h)) continue;
      if (h + 1 >= this.levels.length) {
        this.levels.push([]);
        this.cap = this.totalCapacity();
      }
      lvl.sort((a, b) => a - b);
      // An odd item stays behind so the promoted count is even.
      const keep = lvl.length % 2 === 1 ? lvl.pop() : undefined;
      const up = this.levels[h + 1] as number[];
      const off = this.coin();
      for (let i = off; i < lvl.length; i += 2) up.push(lvl[i] as number);
      this.size -= lvl.length / 2;
      lvl.length = 0;
      if (keep !== undefined) lvl.push(keep);
      return;
    }
  }
}

/** Sorts the (few, unsorted) items of `level` and merges them with the ascending `buf`. */
function mergeSorted(level: readonly number[], buf: Float64Array): Float64Array {
  if (level.length === 0) return buf;
  const a = Float64Array.from(level).sort();
  const out = new Float64Array(a.length + buf.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < buf.length) {
    const x = a[i] as number;
    const y = buf[j] as number;
    if (x <= y) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++] as number;
  while (j < buf.length) out[k++] = buf[j++] as number;
  return out;
}
