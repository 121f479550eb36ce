import { describe, expect, expectTypeOf, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { isMortarError } from '../core/errors.js';
import { floatDistribution } from './distributions.js';
import { JournalStorage, MemoryJournal } from './journal.js';
import { RandomSampler } from './samplers/random.js';
import { defineSpace } from './space.js';
import { Study, TrialPruned } from './study.js';

async function failure(
  p: Promise<unknown> | (() => unknown),
): Promise<{ code: string; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isMortarError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

const random = (): RandomSampler => new RandomSampler({ seed: 7 });

describe('Study ask/tell', () => {
  it('define-by-run suggestions are stored and told', async () => {
    const study = await Study.create({ name: 's', sampler: random() });
    const t = await study.ask();
    const lr = t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
    const opt = t.suggestCategorical('opt', ['adam', 'sgd']);
    expectTypeOf(opt).toEqualTypeOf<'adam' | 'sgd'>();
    const units = opt === 'sgd' ? t.suggestInt('units', 16, 256, { step: 16 }) : undefined;
    expect(t.suggestFloat('lr', 1e-5, 1e-1, { log: true })).toBe(lr);
    const note = { tags: ['a'] };
    t.setUserAttr('note', note);
    note.tags.push('b'); // the caller's object stays mutable and the trial keeps its copy
    const told = await study.tell(t, 0.5);
    expect(told.state).toBe('complete');
    expect(told.values).toEqual([0.5]);
    expect(told.params).toEqual(units === undefined ? { lr, opt } : { lr, opt, units });
    expect((await study.bestTrial()).number).toBe(0);
    expect(told.userAttrs['note']).toEqual({ tags: ['a'] });
    expect(Object.isFrozen(told.userAttrs['note'])).toBe(true);
  });

  it('rejects a conflicting distribution for the same name, within and across trials', async () => {
    const study = await Study.create({ sampler: random() });
    const t = await study.ask();
    t.suggestFloat('x', 0, 1);
    expect((await failure(() => t.suggestFloat('x', 0, 2))).message).toContain(
      '"x" was already suggested in trial 0',
    );
    await study.tell(t, 1);
    const t2 = await study.ask();
    expect(t2.suggestFloat('x', 0, 5)).toBeLessThanOrEqual(5);
    expect((await failure(() => t2.suggestInt('x2', 3, 1))).message).toContain('"x2"');
    const t3 = await study.ask();
    expect((await failure(() => t3.suggestCategorical('x', ['a']))).message).toContain(
      'cannot become',
    );
  });

  it('refuses NaN, non-numbers and wrong arity; the trial stays running and can be told again', async () => {
    const study = await Study.create({ sampler: random() });
    const t = await study.ask();
    t.suggestFloat('x', 0, 1);
    expect((await failure(study.tell(t, NaN))).message).toContain('objective value 0 is NaN');
    expect((await failure(study.tell(t, 'bad' as never))).message).toContain('a string');
    expect((await failure(study.tell(t, [1, 2]))).message).toContain(
      '2 value(s) for a study with 1 objective',
    );
    expect((await failure(study.tell(t, Infinity))).code).toBe('INVALID_ARGUMENT');
    expect((await study.getTrials())[0]?.state).toBe('running');
    await study.tell(t, 0.1);
    expect((await failure(study.tell(t, 0.2))).code).toBe('FAILED_PRECONDITION');
    expect((await failure(study.tell(42, 0.2))).code).toBe('NOT_FOUND');
    expect((await failure(() => t.suggestFloat('y', 0, 1))).code).toBe('FAILED_PRECONDITION');
    expect((await study.getTrials()).map((x) => x.values)).toEqual([[0.1]]);
  });

  it('tells failed and pruned; pruned keeps the last intermediate value', async () => {
    const study = await Study.create({ sampler: random() });
    const a = await study.ask();
    await a.report(0, 5);
    await a.report(3, 2);
    expect((await study.tell(a, { state: 'pruned' })).values).toEqual([2]);
    const b = await study.ask();
    const told = await study.tell(b.number, { state: 'failed', reason: 'OOM' });
    expect(told.systemAttrs['fail_reason']).toBe('OOM');
    expect((await failure(b.report(1, 1))).code).toBe('FAILED_PRECONDITION');
    expect((await failure(study.bestTrial())).code).toBe('NOT_FOUND');
  });

  it('ask(space) suggests a typed fixed space', async () => {
    const space = defineSpace([
      { name: 'kind', type: 'categorical', choices: ['linear', 'rbf'] },
      {
        name: 'gamma',
        type: 'float',
        low: 1e-3,
        high: 1,
        log: true,
        condition: { param: 'kind', in: ['rbf'] },
      },
    ] as const);
    const study = await Study.create({ sampler: random() });
    const kinds = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const t = await study.ask(space);
      const p = t.params;
      expectTypeOf(p.kind).toEqualTypeOf<'linear' | 'rbf'>();
      expectTypeOf(p.gamma).toEqualTypeOf<number | undefined>();
      expect(p.gamma === undefined).toBe(p.kind === 'linear');
      kinds.add(p.kind);
      await study.tell(t, p.gamma ?? 1);
    }
    expect(kinds).toEqual(new Set(['linear', 'rbf']));
    const stored = await study.getTrials(['complete']);
    expect(stored.every((t) => 'gamma' in t.params === (t.params['kind'] === 'rbf'))).toBe(true);
  });

  it('enqueueTrial fixes params for the next ask; the rest is sampled; skipIfExists dedups', async () => {
    const study = await Study.create({ sampler: random() });
    await study.enqueueTrial({ x: 0.25 });
    expect(await study.enqueueTrial({ x: 0.25 }, { skipIfExists: true })).toBeUndefined();
    const t = await study.ask();
    expect(t.suggestFloat('x', 0, 1)).toBe(0.25);
    const y = t.suggestFloat('y', 0, 1);
    expect(y).toBeGreaterThanOrEqual(0);
    await study.tell(t, 1);
    await study.enqueueTrial({ x: 5 });
    const bad = await study.ask();
    expect((await failure(() => bad.suggestFloat('x', 0, 1))).message).toContain(
      'enqueued value 5',
    );
  });

  it('constraints: infeasible trials rank after feasible ones; missing metrics are an error', async () => {
    const study = await Study.create({ sampler: random(), constraints: ['latency_ms <= 20'] });
    expect((await failure(Study.create({ constraints: ['latency < 2'] }))).message).toContain(
      'use <= or >=',
    );
    const vals = [
      { v: 0.1, lat: 30 },
      { v: 0.5, lat: 10 },
      { v: 0.3, lat: 20 },
      { v: 0.05, lat: 25 },
    ];
    for (const { v, lat } of vals) {
      const t = await study.ask();
      await study.tell(t, { values: v, metrics: { latency_ms: lat } });
    }
    const best = await study.bestTrial();
    expect(best.values).toEqual([0.3]);
    expect(best.constraints).toEqual([0]);
    expect((await study.bestTrials()).map((t) => t.number)).toEqual([2]);
    const t = await study.ask();
    expect((await failure(study.tell(t, 0.01))).message).toContain('needs metric "latency_ms"');
  });

  it('with only infeasible trials, the least-violating one is best', async () => {
    const study = await Study.create({ sampler: random(), constraints: ['acc >= 0.9'] });
    for (const acc of [0.5, 0.8, 0.7])
      await study.tell(await study.ask(), { values: 1, metrics: { acc } });
    expect((await study.bestTrial()).metrics['acc']).toBe(0.8);
    expect(await study.bestTrials()).toEqual([]);
  });

  it('multi-objective: Pareto front, and bestTrial refuses', async () => {
    const study = await Study.create({ directions: ['minimize', 'maximize'], sampler: random() });
    const pts = [
      [1, 1],
      [2, 3],
      [2, 2],
      [0.5, 0],
      [3, 3],
    ];
    for (const p of pts) await study.tell(await study.ask(), p);
    expect((await study.bestTrials()).map((t) => t.number)).toEqual([0, 1, 3]);
    expect((await failure(study.bestTrial())).code).toBe('FAILED_PRECONDITION');
  });

  it('warm start: addTrial validates and counts for the sampler', async () => {
    const study = await Study.create({ sampler: random() });
    const d = { x: floatDistribution('x', 0, 1) };
    await study.addTrial({ params: { x: 0.5 }, distributions: d, values: [3] });
    expect(
      (await failure(study.addTrial({ params: { x: 2 }, distributions: d, values: [3] }))).code,
    ).toBe('INVALID_ARGUMENT');
    expect(
      (await failure(study.addTrial({ params: { x: 0.1 }, distributions: d, values: [NaN] }))).code,
    ).toBe('INVALID_ARGUMENT');
    const other = await Study.create({ sampler: random() });
    await other.addTrials(await study.getTrials(['complete']));
    expect((await other.bestTrial()).params).toEqual({ x: 0.5 });
  });

  it('resumes after a crash from the journal', async () => {
    const journal = new MemoryJournal();
    const study = await Study.create({
      name: 'resume',
      storage: new JournalStorage(journal),
      sampler: random(),
    });
    await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2, { nTrials: 5 });
    const crashed = await study.ask();
    crashed.suggestFloat('x', -1, 1);
    await crashed.flush();
    // process dies here; a new process replays the journal
    const storage = new JournalStorage(new MemoryJournal(journal.dump()));
    const resumed = await Study.load('resume', { storage, sampler: random() });
    expect((await resumed.getTrials()).map((t) => t.state)).toEqual([
      ...Array<string>(5).fill('complete'),
      'running',
    ]);
    const own = await resumed.ask();
    expect((await resumed.failStaleTrials()).map((t) => t.number)).toEqual([5]);
    expect((await resumed.getTrials())[5]!.systemAttrs['fail_reason']).toContain('stale');
    await resumed.tell(own, 1);
    await resumed.optimize((t) => t.suggestFloat('x', -1, 1) ** 2, { nTrials: 3 });
    expect(await resumed.getTrials(['complete'])).toHaveLength(9);
    expect((await failure(Study.load('nope', { storage }))).code).toBe('NOT_FOUND');
    expect((await Study.create({ name: 'resume', storage, loadIfExists: true })).name).toBe(
      'resume',
    );
    expect((await failure(Study.create({ name: 'resume', storage }))).code).toBe('ALREADY_EXISTS');
  });
  it('a failing sampler fails the trial instead of leaving it running', async () => {
    const broken = new RandomSampler({ seed: 1 });
    broken.inferRelativeSearchSpace = () => {
      throw new Error('bug in sampler');
    };
    const study = await Study.create({ sampler: broken });
    await expect(study.ask()).rejects.toThrow('bug in sampler');
    const [t] = await study.getTrials();
    expect(t?.state).toBe('failed');
    expect(t?.systemAttrs['fail_reason']).toContain('sampler "random" failed: bug in sampler');
  });
});

describe('Study.optimize', () => {
  it('runs nTrials with concurrency and reports counts', async () => {
    const study = await Study.create({ sampler: random() });
    let inFlight = 0;
    let maxInFlight = 0;
    const res = await study.optimize(
      async (t) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const x = t.suggestFloat('x', -2, 2);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        if (t.number % 5 === 4) throw new TrialPruned();
        return x * x;
      },
      { nTrials: 20, concurrency: 4 },
    );
    expect(res.complete).toBe(16);
    expect(res.pruned).toBe(4);
    expect(res.trials.map((t) => t.number)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(maxInFlight).toBe(4);
  });

  it('fails the trial and rethrows objective errors unless caught', async () => {
    const study = await Study.create({ sampler: random() });
    await expect(
      study.optimize(
        (t) => {
          if (t.number === 2) throw new Error('boom');
          return 1;
        },
        { nTrials: 10 },
      ),
    ).rejects.toThrow('boom');
    expect((await study.getTrials()).map((t) => t.state)).toEqual([
      'complete',
      'complete',
      'failed',
    ]);
    const res = await study.optimize(() => NaN, { nTrials: 3, catch: true });
    expect(res.failed).toBe(3);
    expect(res.errors).toHaveLength(3);
    expect(String((res.errors[0]?.error as Error).message)).toContain('is NaN');
    await expect(study.optimize(() => 'x' as never, { nTrials: 1 })).rejects.toThrow(/a string/);
    expect((await study.getTrials()).at(-1)?.state).toBe('failed');
  });

  it('stops at timeoutMs measured on the injected clock', async () => {
    const clock = new ManualClock(0);
    const study = await Study.create({ sampler: random(), clock });
    const res = await study.optimize(
      () => {
        clock.advance(10);
        return 0;
      },
      { timeoutMs: 35 },
    );
    expect(res.complete).toBe(4);
    expect((await failure(study.optimize(() => 0, {}))).code).toBe('INVALID_ARGUMENT');
  });

  it('optimize with a space passes typed params', async () => {
    const space = defineSpace([{ name: 'x', type: 'int', low: -3, high: 3 }] as const);
    const study = await Study.create({ sampler: random() });
    await study.optimize(
      (t) => {
        expectTypeOf(t.params.x).toEqualTypeOf<number>();
        return t.params.x ** 2;
      },
      { nTrials: 30, space },
    );
    expect((await study.bestTrial()).values).toEqual([0]);
  });
});
