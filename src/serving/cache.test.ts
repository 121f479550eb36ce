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
    c.set(k1, y(1));
    const k2 = PredictionCache.key('m', '1', x(2));
    c.set(k2, y(2));
    expect(c.get(k1)?.['out']?.data[0]).toBe(1); // k1 now most recent
    c.set(PredictionCache.key('m', '1', x(3)), y(3)); // evicts k2
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
    c.set(k, out);
    (out.out.data as Float32Array)[0] = 99;
    expect(c.get(k)?.['out']?.data[0]).toBe(5);
    c.dropModel('m', '2');
    expect(c.size).toBe(1);
    c.dropModel('m', '1');
    expect(c.size).toBe(0);
  });
  it('aliases a raw body to an entry, with a record; aliases die with their target or version', () => {
    const c = new PredictionCache({ maxEntries: 3 });
    const k = PredictionCache.key('m', '1', x(1));
    const body = new TextEncoder().encode('{"inputs":[]}');
    const a = PredictionCache.aliasKey('m', '1', PredictionCache.bytesHash(body));
    expect(PredictionCache.bytesHash(body)).toBe(PredictionCache.bytesHash(body.slice()));
    c.setAlias(a, k, { id: 'q' }); // no target yet: ignored
    expect(c.getAlias(a)).toBeUndefined();
    c.set(k, y(7));
    c.setAlias(a, k, { id: 'q' });
    const hit = c.getAlias<{ id: string }>(a);
    expect(hit?.meta.id).toBe('q');
    expect(hit?.outputs['out']?.data[0]).toBe(7);
    expect(c.hits).toBe(1);
    expect(c.misses).toBe(0);
    // Evicting the target makes the alias miss (and removes it).
    c.set(PredictionCache.key('m', '1', x(2)), y(2));
    c.set(PredictionCache.key('m', '1', x(3)), y(3));
    c.set(PredictionCache.key('m', '1', x(4)), y(4));
    expect(c.getAlias(a)).toBeUndefined();
    c.set(k, y(7));
    c.setAlias(a, k, null);
    c.dropModel('m', '1');
    expect(c.size).toBe(0);
    expect(c.getAlias(a)).toBeUndefined();
  });
  it('keyOf(inputHash) equals key(inputs) and depends on the outputs asked for', () => {
    const h = PredictionCache.inputHash(x(1));
    expect(PredictionCache.keyOf('m', '1', h)).toBe(PredictionCache.key('m', '1', x(1)));
    expect(PredictionCache.keyOf('m', '1', h, ['b', 'a'])).toBe(
      PredictionCache.key('m', '1', x(1), ['a', 'b']),
    );
    expect(PredictionCache.keyOf('m', '1', h, ['a'])).not.toBe(PredictionCache.keyOf('m', '1', h));
  });
});
