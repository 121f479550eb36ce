import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { Rng } from '../../core/rng.js';
import { Study } from '../study.js';
import { GpModel, GpSampler, defaultTheta, gpNegLogLik, logEI, logH } from './gp.js';
import { RandomSampler } from './random.js';

samplerConformance('gp', { create: (seed) => new GpSampler({ seed, nCandidates: 64 }) });

function data(n: number, d: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * d }, () => rng.float());
  const y = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(6 * (x[i * d] as number)) + 0.5 * (x[i * d + 1] as number),
  );
  return { x, y };
}

describe('GP internals', () => {
  it('the likelihood gradient matches finite differences', () => {
    const { x, y } = data(12, 2, 1);
    const theta = Float64Array.from([-0.7, 0.3, 0.2, -4]);
    const { value, grad } = gpNegLogLik(theta, x, 12, 2, y);
    expect(Number.isFinite(value)).toBe(true);
    for (let i = 0; i < theta.length; i++) {
      const h = 1e-5;
      const up = Float64Array.from(theta);
      const dn = Float64Array.from(theta);
      up[i]! += h;
      dn[i]! -= h;
      const fd =
        (gpNegLogLik(up, x, 12, 2, y).value - gpNegLogLik(dn, x, 12, 2, y).value) / (2 * h);
      expect(grad[i]).toBeCloseTo(fd, 4);
    }
  });

  it('the posterior interpolates its data and is uncertain far away', () => {
    const { x, y } = data(10, 2, 2);
    const theta = defaultTheta(2);
    theta[3] = -14;
    const gp = new GpModel(x, 10, 2, y, theta);
    for (let i = 0; i < 10; i++) {
      const p = gp.predict(x.subarray(i * 2, i * 2 + 2));
      expect(p.mean).toBeCloseTo(y[i] as number, 3);
      expect(p.variance).toBeLessThan(1e-3);
    }
    expect(gp.predict([50, 50]).variance).toBeCloseTo(1, 6);
  });

  it('log EI is finite and monotone far into the tail', () => {
    expect(logH(0)).toBeCloseTo(Math.log(1 / Math.sqrt(2 * Math.PI)), 12);
    expect(Math.exp(logH(1.5))).toBeCloseTo(
      0.3989422804 * Math.exp(-1.125) + 1.5 * 0.9331927987,
      6,
    );
    const zs = [-2, -5, -10, -30, -80, -200, -1000];
    const vals = zs.map(logH);
    for (const v of vals) expect(Number.isFinite(v)).toBe(true);
    for (let i = 1; i < vals.length; i++) expect(vals[i]).toBeLessThan(vals[i - 1] as number);
    // phi(z) + z Phi(z) ~ phi(z) / z^2 for z -> -inf
    expect(logH(-30)).toBeCloseTo(-0.5 * 900 - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(30), 2);
    expect(logEI(0, 1, 0)).toBeCloseTo(logH(0), 12);
  });

  it('beats random search on Branin with 40 trials (fixed seeds)', async () => {
    const branin = (t: { suggestFloat: (n: string, lo: number, hi: number) => number }): number => {
      const a = t.suggestFloat('x1', -5, 10);
      const b = t.suggestFloat('x2', 0, 15);
      return (
        (b - (5.1 / (4 * Math.PI ** 2)) * a * a + (5 / Math.PI) * a - 6) ** 2 +
        10 * (1 - 1 / (8 * Math.PI)) * Math.cos(a) +
        10
      );
    };
    const best = async (sampler: GpSampler | RandomSampler): Promise<number> => {
      const s = await Study.create({ sampler });
      await s.optimize(branin, { nTrials: 40 });
      return (await s.bestTrial()).values?.[0] as number;
    };
    const gp = [await best(new GpSampler({ seed: 1 })), await best(new GpSampler({ seed: 2 }))];
    const rnd = [
      await best(new RandomSampler({ seed: 1 })),
      await best(new RandomSampler({ seed: 2 })),
    ];
    expect(Math.max(...gp)).toBeLessThan(Math.min(...rnd));
    expect(Math.max(...gp)).toBeLessThan(0.6);
  });

  it('falls back to TPE past maxTrials and for multi-objective studies', async () => {
    const s = await Study.create({
      sampler: new GpSampler({ seed: 4, nStartupTrials: 3, maxTrials: 8, nCandidates: 32 }),
    });
    await s.optimize((t) => (t.suggestFloat('x', -2, 2) - 0.5) ** 2, { nTrials: 25 });
    expect((await s.bestTrial()).values?.[0]).toBeLessThan(0.05);
    const mo = await Study.create({
      directions: ['minimize', 'maximize'],
      sampler: new GpSampler({ seed: 4 }),
    });
    await mo.optimize((t) => [t.suggestFloat('x', 0, 1), t.suggestFloat('x', 0, 1)], {
      nTrials: 15,
    });
    expect(await mo.getTrials(['complete'])).toHaveLength(15);
  });

  it('handles ints and categoricals (one-hot) and rejects bad options', async () => {
    const s = await Study.create({ sampler: new GpSampler({ seed: 3, nCandidates: 128 }) });
    await s.optimize(
      (t) => {
        const k = t.suggestInt('k', -5, 5);
        const c = t.suggestCategorical('c', ['a', 'b', 'c']);
        return (k - 2) ** 2 + (c === 'b' ? 0 : 3);
      },
      { nTrials: 30 },
    );
    expect((await s.bestTrial()).params).toEqual({ k: 2, c: 'b' });
    expect(() => new GpSampler({ maxTrials: 0 })).toThrow(/maxTrials/);
  });
});
