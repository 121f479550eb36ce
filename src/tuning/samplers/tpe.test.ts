import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { Rng } from '../../core/rng.js';
import { floatDistribution } from '../distributions.js';
import { Study } from '../study.js';
import { ParzenEstimator } from './parzen.js';
import { TpeSampler, defaultGamma, defaultWeights, splitTrials } from './tpe.js';

samplerConformance('tpe (univariate)', { create: (seed) => new TpeSampler({ seed }) });
samplerConformance('tpe (multivariate, group, constant liar)', {
  create: (seed) => new TpeSampler({ seed, multivariate: true, group: true, constantLiar: true }),
});

describe('TPE internals', () => {
  it("gamma and weights follow Optuna's defaults", () => {
    expect([1, 10, 11, 100, 250, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25, 25]);
    expect([...defaultWeights(3)]).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(w[29]).toBe(1);
  });

  it('univariate bandwidths: neighbour distances, magic clip, prior sigma = range', () => {
    const d = floatDistribution('x', 0, 10);
    const est = new ParzenEstimator({ x: Float64Array.from([1, 2, 9]) }, { x: d }, [1, 1, 1], {
      priorWeight: 1,
      considerMagicClip: true,
      considerEndpoints: false,
      multivariate: false,
    });
    // Kernels at 1, 2, 9 and the prior at 5 (sigma 10). Evaluate at 1: mostly the kernel at 1.
    const lp = est.logPdf({ x: Float64Array.from([1, 5, 9.9]) }, 3);
    // Sorted mus [1, 2, 5, 9]; sigmas: 1 -> 2 - 1 = 1, clipped up to 10 / (1 + 4) = 2 (magic clip);
    // 2 -> max(1, 3) = 3; 9 -> 9 - 5 = 4 (endpoint rule); the prior's sigma is the range, 10.
    const tn = (x: number, mu: number, s: number): number => {
      const phi = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));
      return (
        Math.exp(-0.5 * ((x - mu) / s) ** 2) /
        (s * Math.sqrt(2 * Math.PI)) /
        (phi((10 - mu) / s) - phi((0 - mu) / s))
      );
    };
    const expected = (x: number): number =>
      (tn(x, 1, 2) + tn(x, 2, 3) + tn(x, 9, 4) + tn(x, 5, 10)) / 4;
    expect(lp[0]).toBeCloseTo(Math.log(expected(1)), 5);
    expect(lp[1]).toBeCloseTo(Math.log(expected(5)), 5);
    expect(lp[2]).toBeCloseTo(Math.log(expected(9.9)), 5);
  });

  it('samples concentrate on the observations', () => {
    const d = floatDistribution('x', 0, 100);
    const est = new ParzenEstimator(
      { x: Float64Array.from(Array(30).fill(42)) },
      { x: d },
      Array(30).fill(1),
      {
        priorWeight: 1,
        considerMagicClip: true,
        considerEndpoints: false,
        multivariate: false,
      },
    );
    const s = est.sample(new Rng(1), 200).x as Float64Array;
    const near = [...s].filter((v) => Math.abs(v - 42) < 10).length;
    expect(near).toBeGreaterThan(150);
  });

  it('split: complete by value, then pruned by step, infeasible last, running above', async () => {
    const study = await Study.create({
      sampler: new TpeSampler({ seed: 1 }),
      constraints: ['c <= 0'],
    });
    const vals = [5, 1, 3];
    for (const v of vals) await study.tell(await study.ask(), { values: v, metrics: { c: 0 } });
    await study.tell(await study.ask(), { values: 0, metrics: { c: 1 } }); // infeasible, best value
    const p = await study.ask();
    await p.report(7, 100);
    await study.tell(p, { state: 'pruned' });
    await study.ask(); // running
    const trials = await study.getTrials();
    const s = splitTrials({ name: 'x', directions: ['minimize'], trials: () => trials }, trials, 3);
    expect(s.below.map((t) => t.number)).toEqual([0, 1, 2]);
    expect(s.above.map((t) => t.number)).toEqual([3, 4, 5]);
    const s2 = splitTrials(
      { name: 'x', directions: ['minimize'], trials: () => trials },
      trials,
      4,
    );
    expect(s2.below.map((t) => t.number)).toEqual([0, 1, 2, 4]);
  });

  it('rejects bad options', () => {
    expect(() => new TpeSampler({ group: true })).toThrow(/multivariate/);
    expect(() => new TpeSampler({ nEiCandidates: 0 })).toThrow(/nEiCandidates/);
  });

  it('constant liar spreads parallel suggestions away from pending trials', async () => {
    const spread = async (constantLiar: boolean): Promise<number> => {
      const study = await Study.create({
        sampler: new TpeSampler({ seed: 3, constantLiar, nStartupTrials: 5 }),
      });
      await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 3) ** 2, { nTrials: 20 });
      const batch = [];
      for (let i = 0; i < 8; i++) {
        const t = await study.ask();
        batch.push(t.suggestFloat('x', -10, 10));
      }
      batch.sort((a, b) => a - b);
      return (batch[7] as number) - (batch[0] as number);
    };
    expect(await spread(true)).toBeGreaterThan(await spread(false));
  });
});

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is not precise enough here; integrate instead (Simpson, 2000 steps).
  const n = 2000;
  const h = x / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const t = i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    s += w * Math.exp(-t * t);
  }
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
}
