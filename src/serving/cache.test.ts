import { describe, expect, it } from 'vitest';
import { PredictionCache } from './cache.js';

const x = (v: number) => ({
  input: { datatype: 'FP32' as const, shape: [1, 2], data: Float32Array.from([v, 1]) },
});
const y = (v: number) => ({
  out: { datatype: 'FP32' as const, shape: [1], data: Float32Array.from([v]) },
});

describe('PredictionCache', () => {
  it('keys on model, version and input bytes; evicts least recently used; counts hits', () => {
    const c = new PredictionCache({ maxEntries: 2 });
    const k1 = PredictionCache.key('m', '1', x(1));
    expect(PredictionCache.key('m', '2', x(1))).not.toBe(k1);
    expect(PredictionCache.key('m', '1', x(2))).not.toBe(k1);
    expect(PredictionCache.key('m', '1', x(1))).toBe(k1);
    c.set(k1, 'm', y(1));
    const k2 = PredictionCache.key('m', '1', x(2));
    c.set(k2, 'm', y(2));
    expect(c.get(k1)?.['out']?.data[0]).toBe(1); // k1 now most recent
    c.set(PredictionCache.key('m', '1', x(3)), 'm', y(3)); // evicts k2
    expect(c.get(k2)).toBeUndefined();
    expect(c.size).toBe(2);
    expect(c.hits).toBe(1);
    expect(c.misses).toBe(1);
    expect(c.hitRate).toBe(0.5);
  });
  it('stores private copies and drops a version on demand', () => {
    const c = new PredictionCache();
    const out = y(5);
    const k = PredictionCache.key('m', '1', x(1));
    c.set(k, 'm', out);
    (out.out.data as Float32Array)[0] = 99;
    expect(c.get(k)?.['out']?.data[0]).toBe(5);
    c.dropModel('m', '2');
    expect(c.size).toBe(1);
    c.dropModel('m', '1');
    expect(c.size).toBe(0);
  });
});
