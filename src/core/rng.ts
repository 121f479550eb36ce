/**
 * Seeded random numbers: xoshiro128** (Blackman & Vigna), 32-bit arithmetic only, so it is fast
 * in JavaScript. `stream(k)` returns the k-th independent stream: the base generator advanced by
 * k jumps of 2^64 steps, so streams given to parallel workers never overlap.
 *
 * Not thread-safe to share; give each worker its own `stream(k)`.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The seed this generator (or its parent) was created with. */
  readonly seed: number;
  private spare: number | undefined;

  /**
   * @param seed any finite number (integers up to 2^53 keep all their bits).
   * @example const r = new Rng(42); r.float(); r.int(0, 10); r.stream(1).normal();
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed))
      throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    this.seed = seed;
    const lo = seed >>> 0;
    const hi = Math.floor(Math.abs(seed) / 4294967296) >>> 0;
    let x = (lo ^ Math.imul(hi, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Builds a generator from a raw 128-bit state (for known-answer tests). */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
    return r;
  }

  /** The raw state, to checkpoint and restore a generator. */
  state(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  float(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** A uniform integer in [lo, hi] (inclusive), without modulo bias. */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new RangeError(`Rng.int: need integers lo <= hi, got ${lo}, ${hi}`);
    }
    const span = hi - lo + 1;
    if (span <= 4294967296) {
      const limit = 4294967296 - (4294967296 % span);
      let v: number;
      do v = this.nextUint32();
      while (v >= limit);
      return lo + (v % span);
    }
    return lo + Math.floor(this.float() * span);
  }

  /** A standard normal draw (Marsaglia polar method). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return mean + std * s;
    }
    let u: number, v: number, q: number;
    do {
      u = 2 * this.float() - 1;
      v = 2 * this.float() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    return mean + std * u * f;
  }

  /** Shuffles `xs` in place (Fisher-Yates) and returns it. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = xs[i] as T;
      xs[i] = xs[j] as T;
      xs[j] = tmp;
    }
    return xs;
  }

  /** A uniformly chosen element of a non-empty array. */
  choice<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('Rng.choice: empty array');
    return xs[this.int(0, xs.length - 1)] as T;
  }

  /** Advances this generator by 2^64 steps. */
  jump(): void {
    const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
    let a = 0,
      b = 0,
      c = 0,
      d = 0;
    for (const j of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((j >>> bit) & 1) {
          a ^= this.s0;
          b ^= this.s1;
          c ^= this.s2;
          d ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = a >>> 0;
    this.s1 = b >>> 0;
    this.s2 = c >>> 0;
    this.s3 = d >>> 0;
  }

  /**
   * The k-th independent stream (k >= 0), derived from this generator's current state:
   * a copy advanced by (k + 1) jumps. Does not change this generator.
   */
  stream(k: number): Rng {
    if (!Number.isInteger(k) || k < 0)
      throw new RangeError(`Rng.stream: k must be an integer >= 0, got ${k}`);
    const r = Rng.fromState(this.state());
    (r as { seed: number }).seed = this.seed;
    for (let i = 0; i <= k; i++) r.jump();
    return r;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
