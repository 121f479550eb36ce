/** The JSON form of a {@link FrequentItems} summary: `[item, count]` pairs, largest first. */
export interface FrequentJson<T extends string | number> {
  readonly capacity: number;
  /** Total weight of everything added. */
  readonly total: number;
  /** Weight subtracted from every counter so far: each true count is in [count, count + offset]. */
  readonly offset: number;
  readonly items: readonly (readonly [T, number])[];
}

/**
 * Misra-Gries frequent items (the mergeable form of Agarwal et al. 2012): at most `capacity`
 * counters; while the number of distinct items stays within it the counts are **exact**
 * (`offset` = 0). Beyond that, every item with true frequency above total / (capacity + 1) is
 * kept and each count underestimates the truth by at most `offset`. Items are strings or numbers.
 * Reduction is batched (the table may grow to twice the capacity before it is cut back), which
 * keeps updates O(1) amortized with the same error bound.
 */
export class FrequentItems<T extends string | number> {
  /** Current counters. */
  readonly counts = new Map<T, number>();
  /** Total weight added. */
  total = 0;
  /** Total weight subtracted from every counter. */
  offset = 0;

  constructor(readonly capacity = 1024) {}

  /** True while every count is exact. */
  get exact(): boolean {
    return this.offset === 0;
  }

  /** Adds `weight` occurrences of `item`. */
  add(item: T, weight = 1): void {
    this.total += weight;
    this.counts.set(item, (this.counts.get(item) ?? 0) + weight);
    if (this.counts.size > 2 * this.capacity) this.reduce();
  }

  /** Folds `other` into this summary. */
  merge(other: FrequentItems<T>): void {
    for (const [k, v] of other.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + v);
    this.total += other.total;
    this.offset += other.offset;
    if (this.counts.size > this.capacity) this.reduce();
  }

  /** Cuts the table back to `capacity` counters by subtracting the (capacity+1)-th largest count. */
  reduce(): void {
    if (this.counts.size <= this.capacity) return;
    const sorted = [...this.counts.values()].sort((a, b) => b - a);
    const cut = sorted[this.capacity] as number;
    for (const [k, v] of this.counts) {
      if (v - cut <= 0) this.counts.delete(k);
      else this.counts.set(k, v - cut);
    }
    this.offset += cut;
  }

  /** The estimated count of `item` (0 when not tracked; a lower bound unless exact). */
  count(item: T): number {
    return this.counts.get(item) ?? 0;
  }

  /** The `n` largest counters, largest first (ties by item). */
  top(n = Infinity): [T, number][] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n);
  }

  /** JSON-safe form. */
  toJSON(): FrequentJson<T> {
    this.reduce();
    return { capacity: this.capacity, total: this.total, offset: this.offset, items: this.top() };
  }

  /** Rebuilds from {@link toJSON}'s output. */
  static fromJSON<T extends string | number>(j: FrequentJson<T>): FrequentItems<T> {
    const f = new FrequentItems<T>(j.capacity);
    for (const [k, v] of j.items) f.counts.set(k, v);
    f.total = j.total;
    f.offset = j.offset;
    return f;
  }
}
