import { describe, expect, it } from 'vitest';
import { RandomSampler } from './samplers/random.js';
import { TpeSampler, hypervolumeWeights } from './samplers/tpe.js';
import { Study, type Trial } from './study.js';
import {
  crowdingDistance,
  dominates,
  hypervolume,
  nondominatedSort,
  referencePoint,
  selectByHypervolume,
} from './ranking.js';

describe('dominance and sorting', () => {
  it('dominates and non-dominated fronts', () => {
    expect(dominates([1, 1], [1, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([0, 3], [1, 2])).toBe(false);
    expect(
      nondominatedSort([
        [1, 2],
        [2, 1],
        [2, 2],
        [3, 3],
        [0, 5],
      ]),
    ).toEqual([[0, 1, 4], [2], [3]]);
  });

  it('crowding distance: ends infinite, middle by neighbour gaps', () => {
    const d = crowdingDistance([
      [0, 4],
      [1, 2],
      [4, 0],
    ]);
    expect(d[0]).toBe(Infinity);
    expect(d[2]).toBe(Infinity);
    expect(d[1]).toBeCloseTo(4 / 4 + 4 / 4, 12);
  });
});

describe('hypervolume', () => {
  it('known answers in 1, 2 and 3 dimensions', () => {
    expect(hypervolume([[1], [3]], [4])).toBe(3);
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
        [4, 4],
      ),
    ).toBe(6);
    expect(hypervolume([[1, 1, 1]], [2, 2, 2])).toBe(1);
    // Two unit-offset boxes overlapping: 2*1*1 + 1*2*1 - overlap 1*1*1 = 3
    expect(
      hypervolume(
        [
          [0, 1, 1],
          [1, 0, 1],
        ],
        [2, 2, 2],
      ),
    ).toBe(3);
    expect(hypervolume([[5, 5]], [4, 4])).toBe(0);
  });

  it('reference point and greedy subset selection', () => {
    expect(
      referencePoint([
        [1, -2],
        [2, -4],
      ]),
    ).toEqual([2.2, -1.8]);
    // On a front, the extremes plus the knee maximize the area.
    const pts = [
      [0, 10],
      [1, 3],
      [2, 2.5],
      [3, 1],
      [10, 0],
    ];
    const ref = [11, 11];
    const picked = selectByHypervolume(pts, 2, ref);
    expect(picked).toHaveLength(2);
    const best = Math.max(
      ...pts.flatMap((_, i) =>
        pts.map((__, j) =>
          i < j ? hypervolume([pts[i] as number[], pts[j] as number[]], ref) : 0,
        ),
      ),
    );
    expect(
      hypervolume(
        picked.map((i) => pts[i] as number[]),
        ref,
      ),
    ).toBeCloseTo(best, 9);
  });
});

describe('MOTPE', () => {
  it('weights below trials by hypervolume contribution, dominated ones ~0', async () => {
    const study = await Study.create({
      directions: ['minimize', 'minimize'],
      sampler: new RandomSampler({ seed: 1 }),
    });
    for (const v of [
      [0, 4],
      [1, 1],
      [4, 0],
      [2, 2],
    ])
      await study.tell(await study.ask(), v);
    const w = hypervolumeWeights(await study.getTrials(), study.directions);
    expect(w[1]).toBe(1);
    expect(w[0]).toBeGreaterThan(0.01);
    expect(w[3]).toBeLessThan(1e-9);
  });

  it('beats random search on ZDT1 (hypervolume, 150 trials, fixed seeds)', async () => {
    const zdt1 = (t: Trial): number[] => {
      const x = Array.from({ length: 5 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
      const f1 = x[0] as number;
      const g = 1 + (9 / 4) * x.slice(1).reduce((a, b) => a + b, 0);
      return [f1, g * (1 - Math.sqrt(f1 / g))];
    };
    const hv = async (sampler: TpeSampler | RandomSampler): Promise<number> => {
      const s = await Study.create({ directions: ['minimize', 'minimize'], sampler });
      await s.optimize(zdt1, { nTrials: 150 });
      return hypervolume(
        (await s.bestTrials()).map((t) => [...(t.values as number[])]),
        [1.1, 11],
      );
    };
    for (const seed of [1, 2]) {
      expect(await hv(new TpeSampler({ seed }))).toBeGreaterThan(
        await hv(new RandomSampler({ seed })),
      );
    }
  });
});
