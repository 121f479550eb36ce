import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { JournalStorage, MemoryJournal } from '../journal.js';
import { Study, type Trial } from '../study.js';
import { Nsga2Sampler, selectPopulation } from './nsga2.js';
import { RandomSampler } from './random.js';
import type { Sampler } from './sampler.js';

samplerConformance('nsga2', { create: (seed) => new Nsga2Sampler({ seed, populationSize: 8 }) });

function zdt1(t: Trial): number[] {
  const x = Array.from({ length: 5 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
  const f1 = x[0] as number;
  const g = 1 + (9 / 4) * x.slice(1).reduce((a, b) => a + b, 0);
  return [f1, g * (1 - Math.sqrt(f1 / g))];
}

/** 2-D hypervolume (minimization) dominated by `pts` up to `ref`. */
function hypervolume(pts: number[][], ref: [number, number]): number {
  const front = pts
    .filter((p) => (p[0] as number) < ref[0] && (p[1] as number) < ref[1])
    .sort((a, b) => (a[0] as number) - (b[0] as number));
  let hv = 0;
  let bestY = ref[1];
  for (const [x, y] of front as [number, number][]) {
    if (y < bestY) {
      hv += (ref[0] - x) * (bestY - y);
      bestY = y;
    }
  }
  return hv;
}

async function hvAfter(sampler: Sampler, n: number): Promise<number> {
  const study = await Study.create({ sampler, directions: ['minimize', 'minimize'] });
  await study.optimize(zdt1, { nTrials: n });
  return hypervolume(
    (await study.bestTrials()).map((t) => [...(t.values as number[])]),
    [1.1, 11],
  );
}

describe('NSGA-II', () => {
  it('beats random search on ZDT1 hypervolume (300 trials, fixed seeds)', async () => {
    for (const seed of [1, 2]) {
      const nsga = await hvAfter(new Nsga2Sampler({ seed, populationSize: 20 }), 300);
      const rnd = await hvAfter(new RandomSampler({ seed }), 300);
      expect(nsga).toBeGreaterThan(rnd);
    }
  });

  it('tags generations of populationSize trials and resumes identically', async () => {
    const journal = new MemoryJournal();
    const a = await Study.create({
      name: 'n',
      storage: new JournalStorage(journal),
      directions: ['minimize', 'minimize'],
      sampler: new Nsga2Sampler({ seed: 3, populationSize: 6 }),
    });
    await a.optimize(zdt1, { nTrials: 20 });
    const snap = journal.dump();
    await a.optimize(zdt1, { nTrials: 10 });
    const gens = (await a.getTrials()).map((t) => t.systemAttrs['nsga2:generation']);
    expect(gens.slice(0, 13)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2]);
    const b = await Study.load('n', {
      storage: new JournalStorage(new MemoryJournal(snap)),
      sampler: new Nsga2Sampler({ seed: 3, populationSize: 6 }),
    });
    await b.optimize(zdt1, { nTrials: 10 });
    expect((await b.getTrials()).map((t) => t.params)).toEqual(
      (await a.getTrials()).map((t) => t.params),
    );
  });

  it('survival: rank first, then crowding; infeasible last', async () => {
    const study = await Study.create({
      directions: ['minimize', 'minimize'],
      constraints: ['c <= 0'],
      sampler: new RandomSampler({ seed: 1 }),
    });
    const pts = [
      [0, 3, 0],
      [1, 2, 0],
      [2, 1, 0],
      [3, 0, 0],
      [2, 2, 0],
      [-1, -1, 5],
    ];
    for (const [a, b, c] of pts)
      await study.tell(await study.ask(), {
        values: [a as number, b as number],
        metrics: { c: c as number },
      });
    const trials = await study.getTrials();
    const view = { name: 's', directions: study.directions, trials: () => trials };
    const sel = selectPopulation(trials, view, 3).map((r) => r.trial.number);
    expect(sel.slice(0, 2).sort()).toEqual([0, 3]); // the boundary points have infinite crowding
    expect(sel).toHaveLength(3);
    expect(
      selectPopulation(trials, view, 6)
        .map((r) => r.trial.number)
        .at(-1),
    ).toBe(5);
    expect(() => new Nsga2Sampler({ populationSize: 1 })).toThrow(/populationSize/);
  });
});
