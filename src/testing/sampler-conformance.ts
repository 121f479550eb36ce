/**
 * Conformance suites for tuning samplers and pruners, shipped so plugins can run them too (Optuna's
 * tests/samplers_tests run one suite over every sampler). Call from a `*.test.ts` file:
 *
 * @example
 * import { samplerConformance } from '../../testing/sampler-conformance.js';
 * samplerConformance('random', { create: (seed) => new RandomSampler({ seed }) });
 */
import { describe, expect, it } from 'vitest';
import {
  JournalStorage,
  MemoryJournal,
  Study,
  TrialPruned,
  categoricalDistribution,
  contains,
  floatDistribution,
  intDistribution,
  type Distribution,
  type FrozenTrial,
  type ParamValue,
  type Pruner,
  type Sampler,
  type StudyView,
  type Trial,
  type TrialState,
} from '../tuning/index.js';

/** Every parameter the sampler suite suggests (a grid sampler under test must cover them). */
export const CONFORMANCE_SPACE: Readonly<Record<string, Distribution>> = Object.freeze({
  f: floatDistribution('f', -5, 5),
  flog: floatDistribution('flog', 1e-4, 1, { log: true }),
  fstep: floatDistribution('fstep', 0, 1, { step: 0.25 }),
  i: intDistribution('i', -3, 7),
  istep: intDistribution('istep', 0, 20, { step: 5 }),
  ilog: intDistribution('ilog', 1, 256, { log: true }),
  c: categoricalDistribution('c', ['a', 1, true, null]),
  branch: categoricalDistribution('branch', ['left', 'right']),
  left: floatDistribution('left', 0, 1),
  right: intDistribution('right', 10, 20),
  single: floatDistribution('single', 2, 2),
});

/** Options of {@link samplerConformance}. */
export interface SamplerConformanceOptions {
  /** Builds the sampler under test. `space` lists every parameter the suite suggests. */
  readonly create: (seed: number, space: Readonly<Record<string, Distribution>>) => Sampler;
  /** Trials per run (default 30; enough to get past typical startup phases). */
  readonly nTrials?: number;
  /** Cases to skip, each with the reason (printed as the test name). */
  readonly skip?: Partial<Record<'differentSeeds' | 'multiObjective', string>>;
}

const FLAT = ['f', 'flog', 'fstep', 'i', 'istep', 'ilog', 'c'] as const;

function suggestAll(trial: Trial): number {
  let loss = 0;
  for (const name of FLAT) {
    const v = trial.suggest(name, CONFORMANCE_SPACE[name] as Distribution);
    loss += typeof v === 'number' ? Math.abs(v) : v === 'a' ? 0 : 1;
  }
  const branch = trial.suggest('branch', CONFORMANCE_SPACE['branch'] as Distribution);
  if (branch === 'left')
    loss += trial.suggest('left', CONFORMANCE_SPACE['left'] as Distribution) as number;
  else loss += (trial.suggest('right', CONFORMANCE_SPACE['right'] as Distribution) as number) / 10;
  loss += trial.suggest('single', CONFORMANCE_SPACE['single'] as Distribution) as number;
  return loss;
}

function expectContained(trials: readonly FrozenTrial[]): void {
  for (const t of trials) {
    for (const [name, v] of Object.entries(t.params)) {
      const d = CONFORMANCE_SPACE[name];
      expect(d, `unknown param ${name}`).toBeDefined();
      expect(
        contains(d as Distribution, v),
        `trial ${t.number}: ${name}=${JSON.stringify(v)}`,
      ).toBe(true);
    }
    const branch = t.params['branch'];
    if (branch !== undefined) {
      expect('left' in t.params).toBe(branch === 'left');
      expect('right' in t.params).toBe(branch === 'right');
    }
  }
}

async function run(
  sampler: Sampler,
  nTrials: number,
  opts: { directions?: ('minimize' | 'maximize')[] } = {},
): Promise<Study> {
  const study = await Study.create({
    sampler,
    ...(opts.directions ? { directions: opts.directions } : {}),
  });
  const k = study.directions.length;
  await study.optimize(
    (trial) => {
      const loss = suggestAll(trial);
      return k === 1
        ? loss
        : Array.from({ length: k }, (_, j) => (j === 0 ? loss : -loss + trial.number));
    },
    { nTrials },
  );
  return study;
}

function paramsOf(trials: readonly FrozenTrial[]): Record<string, ParamValue>[] {
  return trials.map((t) => ({ ...t.params }));
}

/** Registers the sampler conformance suite as a `describe` block. */
export function samplerConformance(name: string, opts: SamplerConformanceOptions): void {
  const n = opts.nTrials ?? 30;
  const make = (seed: number): Sampler => opts.create(seed, CONFORMANCE_SPACE);

  describe(`sampler conformance: ${name}`, () => {
    it('samples inside every distribution (float, log, step, int, categorical, conditional, single)', async () => {
      const study = await run(make(1), n);
      const trials = await study.getTrials();
      expect(trials.every((t) => t.state === 'complete')).toBe(true);
      expectContained(trials);
      expect(trials.every((t) => t.params['single'] === 2)).toBe(true);
      expect(new Set(trials.map((t) => t.params['branch'])).size).toBe(2);
    });

    it('is deterministic for a seed', async () => {
      const a = paramsOf(await (await run(make(7), n)).getTrials());
      const b = paramsOf(await (await run(make(7), n)).getTrials());
      expect(a).toEqual(b);
    });

    if (opts.skip?.differentSeeds)
      it.skip(`different seeds differ: ${opts.skip.differentSeeds}`, () => {});
    else {
      it('different seeds give different samples', async () => {
        const a = paramsOf(await (await run(make(7), n)).getTrials());
        const b = paramsOf(await (await run(make(8), n)).getTrials());
        expect(a).not.toEqual(b);
      });
    }

    it('handles an empty study and a trial that suggests nothing', async () => {
      const study = await Study.create({ sampler: make(3) });
      const t = await study.ask();
      await study.tell(t, 1);
      const t2 = await study.ask();
      expect(
        contains(
          CONFORMANCE_SPACE['f'] as Distribution,
          t2.suggest('f', CONFORMANCE_SPACE['f'] as Distribution),
        ),
      ).toBe(true);
      await study.tell(t2, 0);
    });

    it('works with failed and pruned trials, and with none complete', async () => {
      const study = await Study.create({ sampler: make(4) });
      const res = await study.optimize(
        async (trial) => {
          const loss = suggestAll(trial);
          if (trial.number % 3 === 0) throw new Error('flaky');
          if (trial.number % 3 === 1) {
            await trial.report(0, loss);
            await trial.report(1, loss / 2);
            throw new TrialPruned();
          }
          return loss;
        },
        { nTrials: n, catch: true },
      );
      expect(res.failed + res.pruned + res.complete).toBe(n);
      expectContained(await study.getTrials());
      const none = await Study.create({ sampler: make(5) });
      await none.optimize(
        (trial) => {
          suggestAll(trial);
          throw new TrialPruned();
        },
        { nTrials: 12 },
      );
      expectContained(await none.getTrials());
    });

    it('parallel asks with pending trials do not crash and stay in bounds', async () => {
      const study = await Study.create({ sampler: make(6) });
      for (let round = 0; round < 4; round++) {
        const batch: Trial[] = [];
        for (let k = 0; k < 8; k++) {
          const t = await study.ask();
          suggestAll(t);
          batch.push(t);
        }
        for (const t of batch) await study.tell(t, suggestAll(t));
      }
      await study.optimize((t) => suggestAll(t), { nTrials: 16, concurrency: 4 });
      const trials = await study.getTrials();
      expect(trials).toHaveLength(48);
      expectContained(trials);
    });

    it('supports maximize and constraints', async () => {
      const study = await Study.create({
        sampler: make(9),
        direction: 'maximize',
        constraints: ['cost <= 2'],
      });
      for (let k = 0; k < n; k++) {
        const trial = await study.ask();
        const loss = suggestAll(trial);
        await study.tell(trial, { values: -loss, metrics: { cost: k % 4 } });
      }
      const trials = await study.getTrials(['complete']);
      expect(trials).toHaveLength(n);
      expectContained(trials);
      expect((await study.bestTrial()).constraints?.[0]).toBeLessThanOrEqual(0);
    });

    if (opts.skip?.multiObjective)
      it.skip(`multi-objective: ${opts.skip.multiObjective}`, () => {});
    else {
      it('does not crash on multi-objective studies', async () => {
        const study = await run(make(10), n, { directions: ['minimize', 'maximize'] });
        expectContained(await study.getTrials());
        expect((await study.bestTrials()).length).toBeGreaterThan(0);
      });
    }

    it('resumes: a fresh sampler on a replayed journal keeps sampling in bounds', async () => {
      const journal = new MemoryJournal();
      const study = await Study.create({
        name: 'conf',
        storage: new JournalStorage(journal),
        sampler: make(11),
      });
      await study.optimize((t) => suggestAll(t), { nTrials: Math.ceil(n / 2) });
      const again = await Study.load('conf', {
        storage: new JournalStorage(new MemoryJournal(journal.dump())),
        sampler: make(11),
      });
      await again.optimize((t) => suggestAll(t), { nTrials: Math.ceil(n / 2) });
      expectContained(await again.getTrials());
    });

    it('has a JSON-safe config', () => {
      const s = make(12);
      expect(typeof s.kind).toBe('string');
      const cfg = s.toConfig();
      expect(JSON.parse(JSON.stringify(cfg))).toEqual(cfg);
    });
  });
}

/** Options of {@link prunerConformance}. */
export interface PrunerConformanceOptions {
  readonly create: () => Pruner;
  /** Steps the clearly-worse trial reports before the suite expects a prune (default 100). */
  readonly maxSteps?: number;
}

function view(
  trials: readonly FrozenTrial[],
  direction: 'minimize' | 'maximize' = 'minimize',
): StudyView {
  return {
    name: 'v',
    directions: [direction],
    trials: (states?: readonly TrialState[]) =>
      states ? trials.filter((t) => states.includes(t.state)) : trials,
  };
}

function frozen(number: number, state: TrialState, values: readonly number[]): FrozenTrial {
  return {
    number,
    state,
    params: {},
    distributions: {},
    values: state === 'complete' ? [values[values.length - 1] ?? 0] : undefined,
    intermediate: values.map((value, step) => ({ step, value })),
    metrics: {},
    constraints: undefined,
    userAttrs: {},
    systemAttrs: {},
    startedAt: 0,
    finishedAt: state === 'running' ? undefined : 0,
  };
}

/** Registers the pruner conformance suite as a `describe` block. */
export function prunerConformance(name: string, opts: PrunerConformanceOptions): void {
  const maxSteps = opts.maxSteps ?? 100;
  const curve = (scale: number): number[] =>
    Array.from({ length: maxSteps + 1 }, (_, s) => scale / (1 + s));
  const history = (): FrozenTrial[] => [
    ...Array.from({ length: 10 }, (_, k) => frozen(k, 'complete', curve(1 + k / 10))),
    frozen(10, 'failed', []),
    frozen(11, 'pruned', curve(5).slice(0, 3)),
  ];

  describe(`pruner conformance: ${name}`, () => {
    it('never prunes a trial without reports, or in an empty study', () => {
      const p = opts.create();
      expect(p.prune(view(history()), frozen(12, 'running', []))).toBe(false);
      expect(p.prune(view([]), frozen(0, 'running', [1, 2, 3]))).toBe(false);
    });

    it('prunes a clearly worse trial by the last step, in both directions', () => {
      for (const direction of ['minimize', 'maximize'] as const) {
        const sign = direction === 'minimize' ? 1 : -1;
        const hist = history().map((t) => ({
          ...t,
          intermediate: t.intermediate.map((r) => ({ step: r.step, value: sign * r.value })),
        }));
        const p = opts.create();
        const bad = curve(1000).map((v) => sign * v);
        let prunedAt: number | undefined;
        for (let s = 0; s <= maxSteps && prunedAt === undefined; s++) {
          const trial = frozen(12, 'running', bad.slice(0, s + 1));
          if (p.prune(view([...hist, trial], direction), trial)) prunedAt = s;
        }
        expect(prunedAt, `${direction}: never pruned`).toBeDefined();
      }
    });

    it('does not prune the best trial', () => {
      const p = opts.create();
      const good = curve(0.01);
      for (let s = 0; s <= maxSteps; s++) {
        const trial = frozen(12, 'running', good.slice(0, s + 1));
        expect(p.prune(view([...history(), trial]), trial)).toBe(false);
      }
    });

    it('is a pure function of its inputs, with a JSON-safe config', () => {
      const p = opts.create();
      const trial = frozen(12, 'running', curve(3).slice(0, 20));
      const v = view([...history(), trial]);
      expect(p.prune(v, trial)).toBe(p.prune(v, trial));
      const cfg = p.toConfig();
      expect(JSON.parse(JSON.stringify(cfg))).toEqual(cfg);
    });
  });
}
