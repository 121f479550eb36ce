import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { JournalStorage, MemoryJournal } from '../journal.js';
import { Study } from '../study.js';
import { CmaEsSampler, ndtri, symmetricEigen } from './cmaes.js';

samplerConformance('cmaes', { create: (seed) => new CmaEsSampler({ seed }) });

describe('CMA-ES internals', () => {
  it('symmetricEigen reconstructs the matrix', () => {
    const a = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 1],
    ];
    const { values, vectors } = symmetricEigen(a);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const r = values.reduce((acc, w, k) => acc + vectors[i]![k]! * w * vectors[j]![k]!, 0);
        expect(r).toBeCloseTo(a[i]![j]!, 10);
      }
    }
  });

  it('ndtri inverts the normal CDF', () => {
    expect(ndtri(0.5)).toBeCloseTo(0, 9);
    expect(ndtri(0.975)).toBeCloseTo(1.959963985, 7);
    expect(ndtri(1e-10)).toBeCloseTo(-6.361340902, 6);
  });

  it('tags trials with restart and generation and converges on a sphere', async () => {
    const study = await Study.create({ sampler: new CmaEsSampler({ seed: 1 }) });
    await study.optimize(
      (t) => (t.suggestFloat('x', -5, 5) - 1) ** 2 + (t.suggestFloat('y', -5, 5) + 2) ** 2,
      { nTrials: 150 },
    );
    const trials = await study.getTrials();
    expect(trials[0]?.systemAttrs['cmaes:generation']).toBeUndefined();
    expect(trials[1]?.systemAttrs['cmaes:generation']).toBe(0);
    expect(trials.at(-1)?.systemAttrs['cmaes:generation']).toBeGreaterThan(10);
    expect((await study.bestTrial()).values?.[0]).toBeLessThan(1e-4);
  });

  it('replays identically after a restart of the process', async () => {
    const objective = (t: {
      suggestFloat: (n: string, lo: number, hi: number) => number;
      suggestInt: (n: string, lo: number, hi: number) => number;
    }): number => (t.suggestFloat('x', -5, 5) - 1) ** 2 + Math.abs(t.suggestInt('k', -10, 10) - 3);
    const journal = new MemoryJournal();
    const a = await Study.create({
      name: 'a',
      storage: new JournalStorage(journal),
      sampler: new CmaEsSampler({ seed: 4 }),
    });
    await a.optimize(objective, { nTrials: 40 });
    const snapshot = journal.dump();
    await a.optimize(objective, { nTrials: 20 });
    const b = await Study.load('a', {
      storage: new JournalStorage(new MemoryJournal(snapshot)),
      sampler: new CmaEsSampler({ seed: 4 }),
    });
    await b.optimize(objective, { nTrials: 20 });
    const pa = (await a.getTrials()).map((t) => t.params);
    const pb = (await b.getTrials()).map((t) => t.params);
    expect(pb).toEqual(pa);
  });

  it('keeps exploring integers (margin) instead of freezing', async () => {
    const study = await Study.create({ sampler: new CmaEsSampler({ seed: 2 }) });
    await study.optimize(
      (t) => Math.abs(t.suggestInt('a', -20, 20) - 7) + Math.abs(t.suggestInt('b', -20, 20) + 4),
      { nTrials: 200 },
    );
    expect((await study.bestTrial()).params).toEqual({ a: 7, b: -4 });
    const late = (await study.getTrials()).slice(-60);
    expect(new Set(late.map((t) => `${t.params['a']},${t.params['b']}`)).size).toBeGreaterThan(1);
  });
});
