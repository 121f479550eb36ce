/** Count, mean and sum of squared deviations (Welford), mergeable with Chan et al.'s formula. */
export interface MomentsJson {
  readonly n: number;
  readonly mean: number;
  readonly m2: number;
}

/** Running moments of a stream of (optionally weighted) values. */
export class Moments {
  n = 0;
  mean = 0;
  m2 = 0;

  /** Adds one value with weight `w` (West's weighted Welford update). */
  add(x: number, w = 1): void {
    if (w <= 0) return;
    this.n += w;
    const d = x - this.mean;
    this.mean += (d * w) / this.n;
    this.m2 += w * d * (x - this.mean);
  }

  /** Folds in another summary (Chan, Golub, LeVeque). */
  merge(o: MomentsJson): void {
    if (o.n === 0) return;
    if (this.n === 0) {
      this.n = o.n;
      this.mean = o.mean;
      this.m2 = o.m2;
      return;
    }
    const n = this.n + o.n;
    const d = o.mean - this.mean;
    this.mean += (d * o.n) / n;
    this.m2 += o.m2 + (d * d * this.n * o.n) / n;
    this.n = n;
  }

  /** Sample variance (n - 1 denominator); NaN below two values. */
  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : NaN;
  }

  /** Sample standard deviation. */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** JSON-safe form. */
  toJSON(): MomentsJson {
    return { n: this.n, mean: this.mean, m2: this.m2 };
  }

  /** Rebuilds from JSON. */
  static fromJSON(j: MomentsJson): Moments {
    const m = new Moments();
    m.merge(j);
    return m;
  }
}

/** Pairwise co-moments of two variables over rows where both are present; mergeable. */
export interface CoMomentsJson {
  readonly n: number;
  readonly mx: number;
  readonly my: number;
  readonly cxx: number;
  readonly cyy: number;
  readonly cxy: number;
}

/** Streaming covariance/correlation of (x, y) pairs, mergeable. */
export class CoMoments {
  n = 0;
  mx = 0;
  my = 0;
  cxx = 0;
  cyy = 0;
  cxy = 0;

  /** Adds the pairs of `xs`, `ys` where both are numbers (not NaN). */
  addArrays(xs: Float64Array, ys: Float64Array): void {
    // Two passes per batch, then a Chan merge: accurate and fast.
    let n = 0;
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      const y = ys[i] as number;
      if (x === x && y === y) {
        n++;
        sx += x;
        sy += y;
      }
    }
    if (n === 0) return;
    const mx = sx / n;
    const my = sy / n;
    let cxx = 0;
    let cyy = 0;
    let cxy = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = (xs[i] as number) - mx;
      const y = (ys[i] as number) - my;
      if (x === x && y === y) {
        cxx += x * x;
        cyy += y * y;
        cxy += x * y;
      }
    }
    this.merge({ n, mx, my, cxx, cyy, cxy });
  }

  /** Folds in another summary. */
  merge(o: CoMomentsJson): void {
    if (o.n === 0) return;
    if (this.n === 0) {
      Object.assign(this, { n: o.n, mx: o.mx, my: o.my, cxx: o.cxx, cyy: o.cyy, cxy: o.cxy });
      return;
    }
    const n = this.n + o.n;
    const dx = o.mx - this.mx;
    const dy = o.my - this.my;
    const f = (this.n * o.n) / n;
    this.cxx += o.cxx + dx * dx * f;
    this.cyy += o.cyy + dy * dy * f;
    this.cxy += o.cxy + dx * dy * f;
    this.mx += (dx * o.n) / n;
    this.my += (dy * o.n) / n;
    this.n = n;
  }

  /** Pearson correlation; NaN when undefined. */
  get correlation(): number {
    const d = Math.sqrt(this.cxx * this.cyy);
    return d > 0 ? this.cxy / d : NaN;
  }

  /** JSON-safe form. */
  toJSON(): CoMomentsJson {
    return { n: this.n, mx: this.mx, my: this.my, cxx: this.cxx, cyy: this.cyy, cxy: this.cxy };
  }

  /** Rebuilds from JSON. */
  static fromJSON(j: CoMomentsJson): CoMoments {
    const c = new CoMoments();
    c.merge(j);
    return c;
  }
}
