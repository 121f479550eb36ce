/**
 * Fixed-seed quality checks: on Branin and a shifted 5-D sphere, TPE and CMA-ES at 100 trials beat
 * random search's median best value over the same seeds. Deterministic (seeded), no timings.
 */
import { describe, expect, it } from 'vitest';
import { Study, type Trial } from '../study.js';
import { CmaEsSampler } from './cmaes.js';
import { RandomSampler } from './random.js';
import type { Sampler } from './sampler.js';
import { TpeSampler } from './tpe.js';

/** Branin-Hoo on [-5, 10] x [0, 15]; global minimum 0.397887. */
function branin(t: Trial): number {
  const x = t.suggestFloat('x1', -5, 10);
  const y = t.suggestFloat('x2', 0, 15);
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
}

/** Sphere on [-5, 5]^5 with its optimum at 1.5 in every coordinate. */
function sphere(t: Trial): number {
  let s = 0;
  for (let i = 0; i < 5; i++) s += (t.suggestFloat(`x${i}`, -5, 5) - 1.5) ** 2;
  return s;
}

async function bestAfter(
  sampler: Sampler,
  objective: (t: Trial) => number,
  nTrials: number,
): Promise<number> {
  const study = await Study.create({ sampler });
  await study.optimize(objective, { nTrials });
  return (await study.bestTrial()).values?.[0] as number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

const SEEDS = [1, 2, 3, 4, 5];
const samplers: Record<string, (seed: number) => Sampler> = {
  random: (seed) => new RandomSampler({ seed }),
  tpe: (seed) => new TpeSampler({ seed }),
  cmaes: (seed) => new CmaEsSampler({ seed }),
};

async function medians(objective: (t: Trial) => number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, make] of Object.entries(samplers)) {
    const bests: number[] = [];
    for (const seed of SEEDS) bests.push(await bestAfter(make(seed), objective, 100));
    out[name] = median(bests);
  }
  return out;
}

describe('sampler quality (100 trials, 5 seeds, median of best values)', () => {
  it('Branin: TPE and CMA-ES beat random search', async () => {
    const m = await medians(branin);
    expect(m['tpe']).toBeLessThan(m['random'] as number);
    expect(m['cmaes']).toBeLessThan(m['random'] as number);
    expect(m['tpe']).toBeLessThan(0.5); // optimum 0.398
  });

  it('5-D sphere: TPE and CMA-ES beat random search by a wide margin', async () => {
    const m = await medians(sphere);
    expect(m['tpe']).toBeLessThan(0.5 * (m['random'] as number));
    expect(m['cmaes']).toBeLessThan(0.5 * (m['random'] as number));
  });
});
