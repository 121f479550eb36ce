import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng (xoshiro128**)', () => {
  it('matches the reference outputs for state [1,2,3,4]', () => {
    // First outputs of the reference C implementation seeded with s = {1, 2, 3, 4}.
    const r = Rng.fromState([1, 2, 3, 4]);
    expect(r.nextUint32()).toBe(11520);
    expect(r.nextUint32()).toBe(0);
    expect(r.nextUint32()).toBe(5927040);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([
      70819200, 2031721883, 1637235492,
    ]);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('float() is uniform on [0,1): mean and variance within 4 standard errors', () => {
    const r = new Rng(123);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = r.float();
      if (!(x >= 0 && x < 1)) outside++;
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(outside).toBe(0);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('int() covers [lo, hi] evenly (chi-square, 9 dof, p > 0.001)', () => {
    const r = new Rng(5);
    const counts = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const v = r.int(3, 12);
      counts[v - 3]!++;
    }
    const e = n / 10;
    const chi2 = counts.reduce((acc, c) => acc + ((c - e) * (c - e)) / e, 0);
    expect(chi2).toBeLessThan(27.88); // 99.9th percentile of chi-square(9)
    expect(() => r.int(5, 4)).toThrow(/lo <= hi/);
  });

  it('normal() has mean 0 and std 1', () => {
    const r = new Rng(99);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(s2 / n) - 1)).toBeLessThan(0.02);
  });

  it('streams are reproducible, distinct and do not change the parent', () => {
    const base = new Rng(42);
    const before = base.state();
    const s0 = base.stream(0);
    const s1 = base.stream(1);
    expect(base.state()).toEqual(before);
    const a = Array.from({ length: 8 }, () => s0.nextUint32());
    const b = Array.from({ length: 8 }, () => s1.nextUint32());
    expect(a).not.toEqual(b);
    const again = new Rng(42).stream(1);
    expect(Array.from({ length: 8 }, () => again.nextUint32())).toEqual(b);
    // Stream 1 is stream 0 advanced by one more jump.
    const s0j = base.stream(0);
    s0j.jump();
    expect(s0j.state()).toEqual(base.stream(1).state());
  });

  it('shuffle is a seeded permutation', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i);
    const a = new Rng(1).shuffle([...xs]);
    expect([...a].sort((p, q) => p - q)).toEqual(xs);
    expect(new Rng(1).shuffle([...xs])).toEqual(a);
    expect(a).not.toEqual(xs);
  });

  it('rejects bad seeds and stream ids', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/finite/);
    expect(() => new Rng(1).stream(-1)).toThrow(/k must be/);
  });
});
