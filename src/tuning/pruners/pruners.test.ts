import { describe, expect, it } from 'vitest';
import { prunerConformance } from '../../testing/sampler-conformance.js';
import { RandomSampler } from '../samplers/random.js';
import { Study, TrialPruned } from '../study.js';
import type { FrozenTrial, StudyView, TrialState } from '../trial.js';
import { HyperbandPruner } from './hyperband.js';
import { MedianPruner } from './median.js';
import { PercentilePruner, isFirstInInterval, percentileOf } from './percentile.js';
import { prunerRegistry } from './index.js';
import { SuccessiveHalvingPruner } from './successive-halving.js';

prunerConformance('median', { create: () => new MedianPruner() });
prunerConformance('percentile', {
  create: () => new PercentilePruner({ percentile: 25, nWarmupSteps: 2 }),
});
prunerConformance('successive-halving', {
  create: () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
});
prunerConformance('successive-halving (auto)', { create: () => new SuccessiveHalvingPruner() });
prunerConformance('hyperband', {
  create: () => new HyperbandPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 }),
});

function trial(number: number, state: TrialState, values: number[], firstStep = 0): FrozenTrial {
  return {
    number,
    state,
    params: {},
    distributions: {},
    values: state === 'complete' ? [values.at(-1) ?? 0] : undefined,
    intermediate: values.map((value, i) => ({ step: firstStep + i, value })),
    metrics: {},
    constraints: undefined,
    userAttrs: {},
    systemAttrs: {},
    startedAt: 0,
    finishedAt: undefined,
  };
}
const view = (ts: FrozenTrial[], dir: 'minimize' | 'maximize' = 'minimize'): StudyView => ({
  name: 'v',
  directions: [dir],
  trials: (states) => (states ? ts.filter((t) => states.includes(t.state)) : ts),
});

describe('percentile and median', () => {
  it('percentile interpolates like numpy', () => {
    expect(percentileOf([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentileOf([10, 0, 5], 25)).toBe(2.5);
    expect(percentileOf([], 50)).toBeNaN();
  });

  it('median: prunes above the median of complete trials at the step, uses the best value so far', () => {
    const done = [
      trial(0, 'complete', [1, 1]),
      trial(1, 'complete', [2, 2]),
      trial(2, 'complete', [3, 3]),
    ];
    const p = new MedianPruner({ nStartupTrials: 3 });
    expect(p.prune(view([...done]), trial(3, 'running', [2.5, 2.5]))).toBe(true);
    expect(p.prune(view([...done]), trial(3, 'running', [1.5, 1.9]))).toBe(false);
    expect(p.prune(view([...done]), trial(3, 'running', [1.9, 9]))).toBe(false); // best so far 1.9 < 2
    expect(p.prune(view(done, 'maximize'), trial(3, 'running', [2.5, 2.5]))).toBe(false);
    expect(p.prune(view(done, 'maximize'), trial(3, 'running', [1.5, 1.5]))).toBe(true);
    expect(
      new MedianPruner({ nStartupTrials: 4 }).prune(view(done), trial(3, 'running', [9, 9])),
    ).toBe(false);
    expect(
      new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 2 }).prune(
        view(done),
        trial(3, 'running', [9, 9]),
      ),
    ).toBe(false);
  });

  it('interval steps: only the first report at or after each pruning step is checked', () => {
    const t = trial(0, 'running', [1, 1, 1, 1, 1, 1]);
    expect(isFirstInInterval(t, 5, 0, 5)).toBe(true);
    expect(isFirstInInterval(trial(0, 'running', [1, 1, 1, 1, 1, 1, 1]), 6, 0, 5)).toBe(false);
    expect(() => new PercentilePruner({ percentile: 120 })).toThrow(/percentile/);
  });
});

describe('successive halving', () => {
  it('promotes the top 1/eta at each rung (rungs at 1, 3, 9 for eta 3)', () => {
    const p = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
    const others = [
      trial(0, 'complete', [0, 1, 1, 1]),
      trial(1, 'complete', [0, 2, 2, 2]),
      trial(2, 'complete', [0, 3, 3, 3]),
    ];
    // Rung 0 is step 1: values {1, 2, 3, x}; with 4 competitors, promotable if x <= the best.
    expect(p.prune(view(others), trial(3, 'running', [0, 0.5]))).toBe(false);
    expect(p.prune(view(others), trial(3, 'running', [0, 1.5]))).toBe(true);
    // Not yet at rung 0: never prune.
    expect(p.prune(view(others), trial(3, 'running', [9]))).toBe(false);
  });

  it('auto min resource waits for a complete trial', () => {
    const p = new SuccessiveHalvingPruner();
    expect(p.prune(view([trial(0, 'running', [5, 5, 5])]), trial(1, 'running', [9, 9]))).toBe(
      false,
    );
  });
});

describe('hyperband', () => {
  it('assigns every trial to one bracket, weighted towards aggressive brackets', () => {
    const p = new HyperbandPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 });
    expect(p.nBrackets(81)).toBe(5);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 5000; i++) counts[p.bracketOf(i, 5)]!++;
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(counts[0]).toBeGreaterThan(counts[4] as number);
  });
});

describe('pruning inside a study', () => {
  it('median pruner stops bad trials early via shouldPrune', async () => {
    const study = await Study.create({
      sampler: new RandomSampler({ seed: 1 }),
      pruner: new MedianPruner({ nStartupTrials: 3 }),
    });
    const res = await study.optimize(
      async (t) => {
        const x = t.suggestFloat('x', 0, 1);
        for (let step = 0; step < 10; step++) {
          await t.report(step, x * (10 - step));
          if (await t.shouldPrune()) throw new TrialPruned();
        }
        return x;
      },
      { nTrials: 30 },
    );
    expect(res.pruned).toBeGreaterThan(5);
    expect(res.complete).toBeGreaterThan(3);
    const pruned = (await study.getTrials(['pruned']))[0] as FrozenTrial;
    expect(pruned.intermediate.length).toBeLessThan(10);
  });

  it('the registry builds every pruner and validates configs', () => {
    expect(prunerRegistry.kinds()).toEqual([
      'hyperband',
      'median',
      'nop',
      'percentile',
      'successive-halving',
    ]);
    const p = prunerRegistry.create('percentile', { percentile: 10 });
    expect(prunerRegistry.create(p.kind, p.toConfig()).toConfig()).toEqual(p.toConfig());
    expect(() => prunerRegistry.create('median', { bogus: 1 })).toThrow(/pruner "median"/);
  });
});
