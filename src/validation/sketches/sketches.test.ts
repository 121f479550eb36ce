import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { FrequentItems } from './frequent.js';
import { hashString } from './hash.js';
import { HyperLogLog } from './hll.js';
import { KllSketch } from './kll.js';
import { RowSampler } from './kmv.js';
import { blockSample, sampleRows, sampleStride } from './sample.js';
import { chiSquareQuantile, normalQuantile, poissonUpper } from './math.js';
import { CoMoments, Moments } from './moments.js';

describe('KLL', () => {
  it('is exact below k and within its stated rank error above, merged from shards', () => {
    const rng = new Rng(1);
    const xs = Array.from({ length: 100_000 }, () => rng.normal());
    const whole = new KllSketch(200);
    xs.forEach((x) => whole.update(x));
    const shards = [0, 1, 2, 3].map(() => new KllSketch(200));
    xs.forEach((x, i) => shards[i % 4]?.update(x));
    const merged = KllSketch.fromJSON(JSON.parse(JSON.stringify(shards[0]?.toJSON())));
    for (const s of shards.slice(1)) merged.merge(s);
    const sorted = [...xs].sort((a, b) => a - b);
    const eps = KllSketch.errorFor(200);
    expect(eps).toBeCloseTo(0.0133, 3);
    for (const s of [whole, merged]) {
      expect(s.n).toBe(100_000);
      expect(s.min).toBe(sorted[0]);
      expect(s.max).toBe(sorted.at(-1));
      for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
        const v = s.quantile(q);
        const trueRank = sorted.findIndex((x) => x > v) / sorted.length;
        expect(Math.abs(trueRank - q)).toBeLessThan(eps);
      }
    }
    const small = new KllSketch(200);
    [5, 1, 3, 2, 4].forEach((x) => small.update(x));
    expect(small.rankError()).toBe(0);
    expect(small.quantile(0.5)).toBe(3);
    expect(small.rank(2)).toBe(0.4);
  });
});

describe('KLL batch insertion', () => {
  it('stays exact below k, keeps the rank error with batches of any size, and merges', () => {
    const small = new KllSketch(200);
    small.addSorted(Float64Array.from([1, 2, 3, 4, 5]));
    small.updateAll([9, 7, NaN, 8, 6]);
    expect(small.rankError()).toBe(0);
    expect(small.n).toBe(9); // NaN skipped
    expect(small.quantile(0.5)).toBe(5);
    expect(small.rank(8)).toBe(8 / 9);
    const rng = new Rng(4);
    const xs = Float64Array.from({ length: 300_000 }, () => rng.normal() ** 3);
    const sketch = new KllSketch(200);
    const other = new KllSketch(200, 7);
    // Batches of uneven sizes (1 .. 65,536), split over two sketches that are then merged.
    let s = 0;
    for (const size of [1, 150, 2000, 65_536, 30_000, 7, 65_536, 65_536, 65_536]) {
      const e = Math.min(xs.length, s + size);
      (s % 2 ? other : sketch).updateAll(xs.subarray(s, e));
      s = e;
    }
    sketch.updateAll(xs.subarray(s));
    sketch.merge(KllSketch.fromJSON(JSON.parse(JSON.stringify(other.toJSON()))));
    const sorted = Float64Array.from(xs).sort();
    expect(sketch.n).toBe(xs.length);
    expect(sketch.min).toBe(sorted[0]);
    expect(sketch.max).toBe(sorted.at(-1));
    for (const q of [0.01, 0.1, 0.5, 0.9, 0.99]) {
      const v = sketch.quantile(q);
      const rank = sorted.findIndex((x) => x > v) / sorted.length;
      expect(Math.abs(rank - q)).toBeLessThan(KllSketch.errorFor(200));
    }
  });

  it('counts block sampling in the rank error and keeps it through JSON and merges', () => {
    const rng = new Rng(5);
    const xs = Float64Array.from({ length: 200_000 }, () => rng.float());
    const s = new KllSketch(200);
    s.addSorted(Float64Array.from(xs.subarray(0, 100_000)).sort());
    const rest = Float64Array.from(xs.subarray(100_000));
    const m = blockSample(rest, rest.length, 4, rng);
    expect(Math.abs(m - 25_000)).toBeLessThanOrEqual(1);
    s.addSample(rest.subarray(0, m).sort(), 2, rest.length, 0, 1);
    expect(s.n).toBe(200_000);
    const err = s.rankError();
    // 100,000 sampled items with blocks of 4: variance 100,000, i.e. 2.576 * 316 / 200,000.
    expect(err - KllSketch.errorFor(200)).toBeCloseTo((2.576 * Math.sqrt(100_000)) / 200_000, 9);
    const back = KllSketch.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(back.rankError()).toBe(err);
    for (const q of [0.05, 0.5, 0.95]) expect(Math.abs(s.quantile(q) - q)).toBeLessThan(err);
    expect(sampleStride(100_000)).toBe(1);
    expect(sampleStride(131_072)).toBe(2);
    expect(sampleStride(1_048_576)).toBe(16);
    expect(sampleRows(10, 1, rng)).toBeUndefined();
    const rows = sampleRows(1000, 8, rng) as Int32Array;
    expect(rows.length).toBe(125);
    rows.forEach((r, j) => expect(Math.floor(r / 8)).toBe(j));
  });
});

describe('HyperLogLog', () => {
  it('estimates distinct counts within 3 standard errors and merges by max', () => {
    const a = new HyperLogLog(12);
    const b = new HyperLogLog(12);
    for (let i = 0; i < 50_000; i++) {
      const s = `user-${i}`;
      (i % 2 ? a : b).add(hashString(s, 1), hashString(s, 2));
    }
    a.merge(HyperLogLog.fromJSON(b.toJSON()));
    expect(Math.abs(a.estimate() / 50_000 - 1)).toBeLessThan(3 * a.standardError);
    const small = new HyperLogLog(12);
    for (const s of ['x', 'y', 'z', 'x']) small.add(hashString(s, 1), hashString(s, 2));
    expect(Math.round(small.estimate())).toBe(3);
  });
});

describe('FrequentItems (Misra-Gries)', () => {
  it('is exact within capacity and keeps heavy hitters beyond it with a bounded error', () => {
    const f = new FrequentItems<string>(3);
    for (const s of 'aaabbc'.split('')) f.add(s);
    expect(f.exact).toBe(true);
    expect(f.top()).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ]);
    const g = new FrequentItems<number>(10);
    const rng = new Rng(2);
    for (let i = 0; i < 10_000; i++) g.add(i % 5 === 0 ? 7 : rng.int(100, 100_000));
    g.merge(FrequentItems.fromJSON(g.toJSON()));
    expect(g.top(1)[0]?.[0]).toBe(7);
    expect(g.count(7)).toBeLessThanOrEqual(4000);
    expect(g.count(7) + g.offset).toBeGreaterThanOrEqual(4000);
  });
});

describe('Moments and CoMoments', () => {
  it('merge to the two-pass values', () => {
    const xs = [1, 2, 3, 4, 10, -3];
    const a = new Moments();
    const b = new Moments();
    xs.forEach((x, i) => (i < 2 ? a : b).add(x));
    a.merge(b);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(a.mean).toBeCloseTo(mean, 12);
    expect(a.variance).toBeCloseTo(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / 5, 12);
    const c = new CoMoments();
    c.addArrays(Float64Array.from([1, 2, 3, NaN]), Float64Array.from([2, 4, 6, 1]));
    c.merge(CoMoments.fromJSON({ n: 0, mx: 0, my: 0, cxx: 0, cyy: 0, cxy: 0 }));
    expect(c.correlation).toBeCloseTo(1, 12);
  });
});

describe('RowSampler', () => {
  it('counts duplicates exactly while small and estimates them when saturated', () => {
    const s = new RowSampler(64);
    [1, 2, 3, 1, 1].forEach((h) => s.add(h));
    expect(s.duplicateFraction()).toBeCloseTo(2 / 5, 12);
    const big = new RowSampler(1024);
    const rng = new Rng(3);
    for (let i = 0; i < 50_000; i++) big.add((Math.imul(i % 40_000, 2654435761) >>> 0) ^ 0, 1);
    expect(rng).toBeDefined();
    expect(big.duplicateFraction()).toBeGreaterThan(0.12);
    expect(big.duplicateFraction()).toBeLessThan(0.28);
  });
});

describe('math', () => {
  it('matches known quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(chiSquareQuantile(0.95, 10)).toBeCloseTo(18.307, 1);
    expect(poissonUpper(1, 0.05)).toBe(3);
  });
});
