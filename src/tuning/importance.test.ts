import { describe, expect, it } from 'vitest';
import { RandomSampler } from './samplers/random.js';
import { Study } from './study.js';
import { paramImportances } from './importance.js';

describe('paramImportances', () => {
  it('ranks the parameter that drives the objective first and sums to 1', async () => {
    const study = await Study.create({ sampler: new RandomSampler({ seed: 4 }) });
    await study.optimize(
      (t) => {
        const a = t.suggestFloat('a', 0, 1);
        const b = t.suggestFloat('b', 0, 1);
        const c = t.suggestCategorical('c', ['x', 'y']);
        return 10 * a * a + b * 0.5 + (c === 'x' ? 0 : 0.05);
      },
      { nTrials: 80 },
    );
    const imp = paramImportances(await study.getTrials(), { seed: 1 });
    expect(imp.map((i) => i.param)).toEqual(['a', 'b', 'c']);
    expect(imp[0]?.importance).toBeGreaterThan(0.8);
    expect(imp.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1, 9);
    expect(paramImportances(await study.getTrials(), { seed: 1 })).toEqual(imp);
  });

  it('splits evenly when there are too few trials to fit', () => {
    expect(paramImportances([])).toEqual([]);
  });
});
