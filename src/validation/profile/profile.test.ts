import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../core/data/index.js';
import { KllSketch } from '../sketches/kll.js';
import { parseProfile } from './parse.js';
import { Profile, mergeProfiles, profileBatch } from './profile.js';

const vegaPath = (f: string) =>
  join(dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets'))), 'data', f);

describe('Profile', () => {
  it("merge(profile(A), profile(B)) equals profile(A ∪ B) within the sketches' errors", async () => {
    const t = await readTable(vegaPath('flights-20k.json'));
    const whole = profileBatch(t);
    const idx = Array.from({ length: t.numRows }, (_, i) => i);
    const shards = [0, 1, 2].map((k) => profileBatch(t.take(idx.filter((i) => i % 3 === k))));
    const merged = mergeProfiles(shards.map((s) => JSON.parse(JSON.stringify(s.toJSON()))));
    expect(merged.rows).toBe(whole.rows);
    for (const [name, f] of whole.features) {
      const g = merged.feature(name);
      expect(g?.present).toBe(f.present);
      expect(g?.missing).toBe(f.missing);
      expect(g?.type).toBe(f.type);
      if (f.numeric && g?.numeric) {
        expect(g.numeric.moments.mean).toBeCloseTo(f.numeric.moments.mean, 8);
        expect(g.numeric.moments.std).toBeCloseTo(f.numeric.moments.std, 6);
        expect(g.numeric.min).toBe(f.numeric.min);
        expect(g.numeric.max).toBe(f.numeric.max);
        for (const q of [0.1, 0.5, 0.9]) {
          const r = f.numeric.kll.rank(g.numeric.kll.quantile(q));
          expect(Math.abs(r - q)).toBeLessThan(2 * KllSketch.errorFor(200) + 0.01);
        }
      }
      if (f.string && g?.string) {
        if (f.string.top.exact) expect(g.string.top.top(5)).toEqual(f.string.top.top(5));
        for (const [v, c] of g.string.top.top(5)) {
          expect(Math.abs(c - f.string.top.count(v))).toBeLessThanOrEqual(
            g.string.top.offset + f.string.top.offset,
          );
        }
        expect(Math.abs(g.string.hll.estimate() / f.string.hll.estimate() - 1)).toBeLessThan(1e-9);
      }
    }
    expect(merged.duplicates?.duplicateFraction()).toBeCloseTo(
      whole.duplicates?.duplicateFraction() ?? NaN,
      2,
    );
    expect(merged.correlation('delay', 'distance')?.correlation).toBeCloseTo(
      whole.correlation('delay', 'distance')?.correlation ?? NaN,
      8,
    );
  });

  it('round-trips through JSON and refuses another version naming the file and field', async () => {
    const t = await readTable(vegaPath('penguins.json'));
    const p = profileBatch(t, { slices: [{ column: 'Species' }] });
    const json = JSON.parse(JSON.stringify(p.toJSON())) as Record<string, unknown>;
    const back = Profile.fromJSON(parseProfile(json, 'ref.json'));
    expect(back.toJSON()).toEqual(p.toJSON());
    expect([...back.slices.keys()].sort()).toEqual([
      'Species=Adelie',
      'Species=Chinstrap',
      'Species=Gentoo',
    ]);
    expect(back.slices.get('Species=Adelie')?.rows).toBe(152);
    expect(() => parseProfile({ ...json, version: 99 }, 'ref.json')).toThrow(
      /ref\.json: field "version" is 99/,
    );
    expect(() => parseProfile({ ...json, rows: 'x' }, 'ref.json')).toThrow(
      /ref\.json: field "rows"/,
    );
  });

  it('profiles a file on worker threads with the same counts as in-process', async () => {
    const { profileFile } = await import('./file.js');
    const a = await profileFile(vegaPath('flights-200k.arrow'), {
      workers: 2,
      read: { batchRows: 20_000 },
    });
    const b = await profileFile(vegaPath('flights-200k.arrow'), { workers: 0 });
    expect(a.rows).toBe(200_000);
    for (const [name, f] of b.features) {
      expect(a.feature(name)?.present).toBe(f.present);
      expect(a.feature(name)?.numeric?.moments.mean).toBeCloseTo(f.numeric?.moments.mean ?? NaN, 6);
      expect(a.feature(name)?.numeric?.max).toBe(f.numeric?.max);
    }
  });

  it('weights and a weight column', async () => {
    const t = await readTable(vegaPath('cars.json'));
    const p = profileBatch(t, { weight: 'Cylinders' });
    expect(p.features.has('Cylinders')).toBe(false);
    expect(p.weight).toBeGreaterThan(t.numRows * 3);
    expect(p.feature('Horsepower')?.numeric?.weighted?.mean).toBeGreaterThan(
      p.feature('Horsepower')?.numeric?.moments.mean ?? Infinity,
    );
    expect(() => profileBatch(t, { weight: 'nope' })).toThrow(
      /weight column "nope" does not exist/,
    );
  });
});
