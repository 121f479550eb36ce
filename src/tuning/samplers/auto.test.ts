import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { Study } from '../study.js';
import { AutoSampler } from './auto.js';

samplerConformance('auto', { create: (seed) => new AutoSampler({ seed }) });

describe('AutoSampler', () => {
  it('uses GP for a small numeric space, then TPE; TPE for conditional spaces; NSGA-II for long multi-objective runs', async () => {
    const numeric = await Study.create({ sampler: new AutoSampler({ seed: 1, gpUntil: 15 }) });
    await numeric.optimize((t) => (t.suggestFloat('x', -3, 3) - 1) ** 2 + t.suggestInt('k', 0, 4), {
      nTrials: 20,
    });
    const tags = (await numeric.getTrials()).map((t) => t.systemAttrs['auto:sampler']);
    expect(tags.slice(0, 15).every((t) => t === 'gp' || t === 'tpe')).toBe(true);
    expect(tags.slice(2, 15).every((t) => t === 'gp')).toBe(true);
    expect(tags.slice(15)).toEqual(['tpe', 'tpe', 'tpe', 'tpe', 'tpe']);

    const conditional = await Study.create({ sampler: new AutoSampler({ seed: 1 }) });
    await conditional.optimize(
      (t) => (t.suggestCategorical('c', ['a', 'b']) === 'a' ? t.suggestFloat('x', 0, 1) : 2),
      { nTrials: 8 },
    );
    expect(
      (await conditional.getTrials())
        .slice(3)
        .every((t) => t.systemAttrs['auto:sampler'] === 'tpe'),
    ).toBe(true);

    const mo = await Study.create({
      directions: ['minimize', 'minimize'],
      sampler: new AutoSampler({ seed: 1, nsga2After: 5 }),
    });
    await mo.optimize((t) => [t.suggestFloat('x', 0, 1), 1 - t.suggestFloat('x', 0, 1)], {
      nTrials: 8,
    });
    const moTags = (await mo.getTrials()).map((t) => t.systemAttrs['auto:sampler']);
    expect(moTags.slice(0, 5).every((t) => t === 'tpe')).toBe(true);
    expect(moTags.slice(5).every((t) => t === 'nsga2')).toBe(true);
    expect((await mo.getTrials())[5]?.systemAttrs['nsga2:generation']).toBe(0);
  });
});
