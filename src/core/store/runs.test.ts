import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { createMemoryStore } from './memory.js';
import {
  createRun,
  finishRun,
  getRun,
  listRuns,
  logMetricBatch,
  logMetrics,
  metricsStream,
  newRunId,
  readMetrics,
  requireRun,
} from './runs.js';
import { openSqliteStore } from './sqlite.js';

describe('newRunId', () => {
  it('is 26 Crockford base-32 characters that sort by time', () => {
    const rng = new Rng(1);
    const ids = [5, 1_000, 1_700_000_000_000, 1_700_000_000_001, 2 ** 47].map((t) =>
      newRunId(t, rng),
    );
    for (const id of ids) expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(newRunId(1_700_000_000_000, new Rng(3))).toBe(newRunId(1_700_000_000_000, new Rng(3)));
    expect(newRunId(0)).not.toBe(newRunId(0));
    expect(() => newRunId(-1)).toThrow(/now/);
  });
});

describe('runs', () => {
  it('create, log metrics, finish, get', async () => {
    const store = createMemoryStore();
    const clock = new ManualClock(1_000);
    const run = await createRun(store, { kind: 'train', name: 'mlp', params: { lr: 0.1 }, clock });
    expect(run).toMatchObject({
      kind: 'train',
      name: 'mlp',
      status: 'running',
      params: { lr: 0.1 },
      startedAt: 1_000,
    });
    expect(run.endedAt).toBeNull();
    expect(await getRun(store, run.id)).toEqual(run);

    expect(await logMetrics(store, run.id, 1, { loss: 0.5 })).toBe(1);
    await logMetricBatch(store, run.id, [
      { step: 2, values: { loss: 0.25, acc: 0.9 } },
      {
        step: 3,
        values: { loss: Number.NaN, grad: Number.POSITIVE_INFINITY, neg: Number.NEGATIVE_INFINITY },
      },
    ]);
    const points = await readMetrics(store, run.id);
    expect(points.map((p) => [p.seq, p.step, p.values])).toEqual([
      [1, 1, { loss: 0.5 }],
      [2, 2, { loss: 0.25, acc: 0.9 }],
      [3, 3, { loss: Number.NaN, grad: Number.POSITIVE_INFINITY, neg: Number.NEGATIVE_INFINITY }],
    ]);
    expect((await readMetrics(store, run.id, { afterSeq: 2 })).map((p) => p.step)).toEqual([3]);
    expect(await store.listStreams('runs/')).toEqual([metricsStream(run.id)]);

    clock.advance(500);
    const done = await finishRun(store, run.id, 'completed', { loss: 0.25 }, { clock });
    expect(done).toMatchObject({ status: 'completed', endedAt: 1_500, summary: { loss: 0.25 } });
    const again = await finishRun(store, run.id, 'failed').catch((e: unknown) => e);
    expect(isMortarError(again, 'FAILED_PRECONDITION')).toBe(true);
    expect((await getRun(store, run.id))?.status).toBe('completed');
    await store.close();
  });

  it('unknown ids: getRun undefined, requireRun/logMetrics/finishRun NOT_FOUND', async () => {
    const store = createMemoryStore();
    expect(await getRun(store, 'nope')).toBeUndefined();
    for (const p of [
      requireRun(store, 'nope'),
      logMetrics(store, 'nope', 1, { x: 1 }),
      finishRun(store, 'nope', 'failed'),
    ]) {
      const err = await p.catch((e: unknown) => e);
      expect(isMortarError(err, 'NOT_FOUND'), String(err)).toBe(true);
    }
    expect(await store.listStreams()).toEqual([]);
  });

  it('rejects bad metric values and kinds', async () => {
    const store = createMemoryStore();
    const run = await createRun(store, { kind: 'k' });
    const bad = await logMetrics(store, run.id, 1, { loss: 'high' as unknown as number }).catch(
      (e: unknown) => e,
    );
    expect(isMortarError(bad, 'INVALID_ARGUMENT')).toBe(true);
    const badKind = await createRun(store, { kind: '' }).catch((e: unknown) => e);
    expect(isMortarError(badKind, 'INVALID_ARGUMENT')).toBe(true);
    expect(await readMetrics(store, run.id)).toEqual([]);
  });

  it('lists newest first, filtered by kind and status, with a limit (across pages)', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    const clock = new ManualClock(1_000);
    const rng = new Rng(9);
    const made = [];
    for (let i = 0; i < 450; i++) {
      clock.advance(1);
      made.push(
        await createRun(store, { kind: i % 3 === 0 ? 'tune' : 'train', name: `r${i}`, clock, rng }),
      );
    }
    await finishRun(store, made[447]!.id, 'failed');
    const all = await listRuns(store);
    expect(all.map((r) => r.name)).toEqual(made.map((r) => r.name).reverse());
    const tune = await listRuns(store, { kind: 'tune', limit: 5 });
    expect(tune.map((r) => r.name)).toEqual(['r447', 'r444', 'r441', 'r438', 'r435']);
    const tuneAll = await listRuns(store, { kind: 'tune' });
    expect(tuneAll).toHaveLength(150);
    expect((await listRuns(store, { status: 'failed' })).map((r) => r.name)).toEqual(['r447']);
    await store.close();
  });

  it('exactly one of several concurrent finishers wins', async () => {
    const store = createMemoryStore();
    const run = await createRun(store, { kind: 'k' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        finishRun(store, run.id, i % 2 ? 'failed' : 'completed', { by: i }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected')
        expect(isMortarError(o.reason, 'FAILED_PRECONDITION')).toBe(true);
  });
});
