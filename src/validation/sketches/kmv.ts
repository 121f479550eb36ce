/** The JSON form of a {@link RowSampler}: the kept hashes and how often each was seen. */
export interface RowSamplerJson {
  readonly k: number;
  readonly rows: number;
  /** Hashes at or above this were dropped (2^32 while exact). */
  readonly threshold: number;
  /** `[hash, multiplicity]`, ascending by hash. */
  readonly items: readonly (readonly [number, number])[];
}

/**
 * A bottom-k (KMV) sample of row hashes with multiplicities: keeps the `k` smallest distinct
 * 32-bit row hashes and how many rows had each. Exact while there are at most `k` distinct rows;
 * beyond that, the kept hashes are a uniform sample of distinct rows, so the mean multiplicity
 * estimates rows per distinct row (hence the duplicate fraction) and `(k - 1) / kth-hash`
 * estimates the distinct count (relative error about 1 / sqrt(k)). Mergeable.
 */
export class RowSampler {
  private readonly mult = new Map<number, number>();
  /** Rows seen. */
  rows = 0;
  private threshold = 2 ** 32;

  constructor(readonly k = 4096) {}

  /** Adds a row with hash `h` (unsigned 32-bit). */
  add(h: number, weight = 1): void {
    this.rows += weight;
    if (h >= this.threshold) return;
    const m = this.mult.get(h);
    if (m !== undefined) {
      this.mult.set(h, m + weight);
      return;
    }
    this.mult.set(h, weight);
    if (this.mult.size > 2 * this.k) this.trim();
  }

  /** Adds one row per hash of `hashes` (unsigned 32-bit), each with weight 1. */
  addAll(hashes: Uint32Array): void {
    this.rows += hashes.length;
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i] as number;
      if (h >= this.threshold) continue;
      const m = this.mult.get(h);
      if (m !== undefined) this.mult.set(h, m + 1);
      else {
        this.mult.set(h, 1);
        if (this.mult.size > 2 * this.k) this.trim();
      }
    }
  }

  /** Folds `other` in. */
  merge(other: RowSampler): void {
    this.threshold = Math.min(this.threshold, other.threshold);
    for (const [h, m] of other.mult) {
      if (h < this.threshold) this.mult.set(h, (this.mult.get(h) ?? 0) + m);
    }
    for (const h of [...this.mult.keys()]) if (h >= this.threshold) this.mult.delete(h);
    this.rows += other.rows;
    this.trim();
  }

  private trim(): void {
    if (this.mult.size <= this.k) return;
    const keys = [...this.mult.keys()].sort((a, b) => a - b);
    for (let i = this.k; i < keys.length; i++) this.mult.delete(keys[i] as number);
    this.threshold = keys[this.k] as number;
  }

  /** True while every distinct row is kept (the estimates are exact). */
  get exact(): boolean {
    return this.threshold === 2 ** 32 && this.mult.size <= this.k;
  }

  /** The estimated number of distinct rows. */
  distinct(): number {
    this.trim();
    if (this.exact) return this.mult.size;
    return (this.k - 1) / (this.threshold / 2 ** 32);
  }

  /** The estimated fraction of rows that repeat an earlier row: 1 - distinct / rows. */
  duplicateFraction(): number {
    this.trim();
    if (this.rows === 0) return 0;
    if (this.exact) return 1 - this.mult.size / this.rows;
    let sum = 0;
    for (const m of this.mult.values()) sum += m;
    const mean = sum / this.mult.size;
    return Math.max(0, 1 - 1 / mean);
  }

  /** JSON-safe form. */
  toJSON(): RowSamplerJson {
    this.trim();
    return {
      k: this.k,
      rows: this.rows,
      threshold: this.threshold,
      items: [...this.mult.entries()].sort((a, b) => a[0] - b[0]),
    };
  }

  /** Rebuilds from JSON. */
  static fromJSON(j: RowSamplerJson): RowSampler {
    const s = new RowSampler(j.k);
    for (const [h, m] of j.items) s.mult.set(h, m);
    s.rows = j.rows;
    s.threshold = j.threshold;
    return s;
  }
}
