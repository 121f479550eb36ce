import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { floatDistribution } from '../distributions.js';
import { JournalStorage, MemoryJournal } from '../journal.js';
import { Study } from '../study.js';
import type { Trial } from '../study.js';
import { CmaEsSampler } from './cmaes.js';
import { GpSampler } from './gp.js';
import { PortfolioSampler, defaultSampler } from './portfolio.js';

samplerConformance('portfolio', { create: (seed) => new PortfolioSampler({ seed, budget: 30 }) });

const sphere = (t: Trial): number =>
  Array.from({ length: 4 }, (_, i) => t.suggestFloat(`x${i}`, -5, 5)).reduce(
    (s, v) => s + (v - 1) ** 2,
    0,
  );

describe('PortfolioSampler', () => {
  it('is the default sampler of a study', async () => {
    expect((await Study.create()).sampler.kind).toBe('portfolio');
    expect(defaultSampler({ seed: 1, budget: 50 }).toConfig()).toMatchObject({
      seed: 1,
      budget: 50,
    });
  });

  it('starts with Sobol, then allocates among GP, TPE and CMA-ES by space and budget, tagging each trial', async () => {
    const study = await Study.create({ sampler: new PortfolioSampler({ seed: 2, budget: 60 }) });
    await study.optimize(sphere, { nTrials: 60 });
    const arms = (await study.getTrials()).map((t) => t.systemAttrs['portfolio:arm']);
    expect(arms.slice(0, 6)).toEqual(Array(6).fill('sobol'));
    expect(new Set(arms.slice(6, 12))).toEqual(
      new Set(['gp', 'tpe']).has(arms[6] as string) ? new Set(arms.slice(6, 12)) : new Set(),
    );
    expect(arms.slice(6)).not.toContain('sobol');
    expect(arms).toContain('gp');
    expect(arms.slice(30)).toContain('cmaes'); // CMA-ES joins in the second part of the budget
    expect(arms.slice(0, 12)).not.toContain('cmaes');
    expect((await study.bestTrial()).values?.[0]).toBeLessThan(1); // random search: ~5 at 60 trials
  });

  it('prefers TPE for conditional spaces and never picks GP or CMA-ES there', async () => {
    const study = await Study.create({ sampler: new PortfolioSampler({ seed: 3, budget: 40 }) });
    await study.optimize(
      (t) => {
        const kind = t.suggestCategorical('kind', ['a', 'b']);
        return kind === 'a' ? t.suggestFloat('xa', 0, 1) : 1 + t.suggestFloat('xb', 0, 1);
      },
      { nTrials: 40 },
    );
    const arms = new Set((await study.getTrials()).map((t) => t.systemAttrs['portfolio:arm']));
    expect(arms).toEqual(new Set(['sobol', 'tpe']));
  });

  it('makes the same arm choice after a restart (choices are a function of the trials)', async () => {
    const journal = new MemoryJournal();
    const mk = () => new PortfolioSampler({ seed: 5, budget: 40 });
    const a = await Study.create({
      name: 'p',
      storage: new JournalStorage(journal),
      sampler: mk(),
    });
    await a.optimize(sphere, { nTrials: 25 });
    const b = await Study.load('p', {
      storage: new JournalStorage(new MemoryJournal(journal.dump())),
      sampler: mk(),
    });
    await a.optimize(sphere, { nTrials: 1 });
    await b.optimize(sphere, { nTrials: 1 });
    const arm = async (st: Study) => (await st.getTrials())[25]?.systemAttrs['portfolio:arm'];
    expect(await arm(b)).toBe(await arm(a));
    expect(await arm(a)).toBeDefined();
  });

  it('uses multi-objective TPE for several objectives', async () => {
    const study = await Study.create({
      directions: ['minimize', 'minimize'],
      sampler: new PortfolioSampler({ seed: 1 }),
    });
    await study.optimize((t) => [t.suggestFloat('x', 0, 1), 1 - t.suggestFloat('x', 0, 1)], {
      nTrials: 15,
    });
    expect(new Set((await study.getTrials()).map((t) => t.systemAttrs['portfolio:arm']))).toEqual(
      new Set(['tpe']),
    );
  });
});

describe('GP maxPoints and CMA-ES warm start', () => {
  it('GP with maxPoints still optimizes and validates the option', async () => {
    const study = await Study.create({
      sampler: new GpSampler({ seed: 1, maxPoints: 15, nCandidates: 64 }),
    });
    await study.optimize(sphere, { nTrials: 30 });
    expect((await study.bestTrial()).values?.[0]).toBeLessThan(3);
    expect(() => new GpSampler({ maxPoints: 1 })).toThrow(/maxPoints/);
    expect(new GpSampler({ seed: 1, maxPoints: 15 }).toConfig()).toMatchObject({ maxPoints: 15 });
  });

  it('CMA-ES warm start begins near the best earlier trial', async () => {
    const study = await Study.create({
      sampler: new CmaEsSampler({ seed: 1, warmStart: true, warmSigma: 0.02 }),
    });
    await study.addTrial({
      params: { x0: 4, x1: -4 },
      distributions: { x0: floatDistribution('x0', -5, 5), x1: floatDistribution('x1', -5, 5) },
      values: [0],
    });
    await study.optimize((t) => t.suggestFloat('x0', -5, 5) + t.suggestFloat('x1', -5, 5) + 100, {
      nTrials: 6,
    });
    for (const t of (await study.getTrials()).slice(1)) {
      expect(Math.abs((t.params['x0'] as number) - 4)).toBeLessThan(1);
      expect(Math.abs((t.params['x1'] as number) + 4)).toBeLessThan(1);
    }
  });
});
