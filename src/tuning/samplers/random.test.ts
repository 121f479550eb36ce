import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { floatDistribution, intDistribution } from '../distributions.js';
import { Study } from '../study.js';
import { RandomSampler } from './random.js';

samplerConformance('random', { create: (seed) => new RandomSampler({ seed }) });

describe('RandomSampler', () => {
  it('is uniform: log-uniform median and equal int frequencies', async () => {
    const s = new RandomSampler({ seed: 3 });
    const study = await Study.create({ sampler: s });
    const logd = floatDistribution('lr', 1e-6, 1, { log: true });
    const intd = intDistribution('k', 1, 4);
    const lrs: number[] = [];
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) {
      const t = await study.ask();
      lrs.push(t.suggest('lr', logd) as number);
      counts[(t.suggest('k', intd) as number) - 1]!++;
      await study.tell(t, 0);
    }
    lrs.sort((a, b) => a - b);
    expect(Math.log10(lrs[1000] as number)).toBeCloseTo(-3, 0);
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(80);
    expect(s.toConfig()).toEqual({ seed: 3 });
  });
});
