import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { fromUnit, type ParamValue } from '../distributions.js';
import { Study } from '../study.js';
import { GridSampler } from './grid.js';

samplerConformance('grid', {
  create: (seed, space) => {
    const searchSpace: Record<string, ParamValue[]> = {};
    for (const [name, d] of Object.entries(space)) {
      searchSpace[name] = [...new Set([0.1, 0.5, 0.9].map((u) => fromUnit(d, u)))];
    }
    return new GridSampler({ searchSpace, seed });
  },
});

describe('GridSampler', () => {
  it('visits every grid point exactly once before repeating, then reports exhaustion', async () => {
    const sampler = new GridSampler({ searchSpace: { a: [1, 2, 3], b: ['x', 'y'] }, seed: 1 });
    const study = await Study.create({ sampler });
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const t = await study.ask();
      seen.add(`${t.suggestInt('a', 1, 3)}${t.suggestCategorical('b', ['x', 'y'])}`);
      await study.tell(t, 0);
    }
    expect(seen.size).toBe(6);
    expect(sampler.size).toBe(6);
    const view = { name: 'x', directions: study.directions, trials: () => [] as never[] };
    expect(sampler.isExhausted(view)).toBe(false);
  });

  it('hands distinct points to parallel pending trials', async () => {
    const study = await Study.create({
      sampler: new GridSampler({ searchSpace: { a: [1, 2, 3, 4] }, seed: 2 }),
    });
    const ts = await Promise.all([study.ask(), study.ask(), study.ask(), study.ask()]);
    const got = ts.map((t) => t.suggestInt('a', 1, 4)).sort();
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('refuses parameters outside the grid and values outside the distribution', async () => {
    const study = await Study.create({
      sampler: new GridSampler({ searchSpace: { a: [1, 5] }, seed: 0 }),
    });
    const t = await study.ask();
    expect(() => t.suggestFloat('zzz', 0, 1)).toThrow(/"zzz" is not in the grid/);
    const t2 = await study.ask();
    expect(() => t2.suggestInt('a', 2, 4)).toThrow(/outside/);
    expect(() => new GridSampler({ searchSpace: { a: [] } })).toThrow(/at least one value/);
  });
});
