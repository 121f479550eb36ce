// The training loop on a slice of real data (the mnist package's digits): learning, determinism,
// early stopping, pruning reports, checkpoints (resume = uninterrupted, corrupt = clear error),
// per-layer control (micro-batch accumulation), and worker-thread data parallelism.
import { beforeAll, describe, expect, it } from 'vitest';
import { MortarError } from '../src/core/errors.js';
import { Rng } from '../src/core/rng.js';
import { createMemoryStore } from '../src/core/store/index.js';
import { loadEngine, type Engine } from '../src/core/tensor/index.js';
import {
  CHECKPOINTS_COLLECTION,
  checkpointTo,
  earlyStopping,
  evaluateModel,
  fit,
  loadCheckpoint,
  modelRecipe,
  NetworkModel,
  OPTIMIZERS,
  ParallelExecutor,
  reportTo,
  runRows,
  type Dataset,
} from '../src/training/index.js';
import { mnistSplit } from './helpers/mnist.js';

let e: Engine;
let train: Dataset;
let test: Dataset;
beforeAll(async () => {
  e = await loadEngine();
  ({ train, test } = mnistSplit(600, 300, 3));
});

const mlp = (seed = 1, hidden = [32]) =>
  NetworkModel.create(e, modelRecipe('mlp', { features: 784, classes: 10 }, { hidden }), seed);
const adam = () => OPTIMIZERS.create('adam', { lr: 0.003 });

describe('fit on mnist digits', () => {
  it('an MLP learns (test accuracy far above chance) and the loss falls', async () => {
    const model = mlp();
    const r = await fit(model, adam(), train, {
      epochs: 4,
      batchSize: 32,
      seed: 1,
      validation: test,
    });
    expect(r.history).toHaveLength(4);
    expect(r.history[3]!.loss).toBeLessThan(r.history[0]!.loss);
    expect(evaluateModel(model, test).accuracy).toBeGreaterThan(0.75);
    model.dispose();
  });

  it('is deterministic: same seeds, bit-identical weights; another seed differs', async () => {
    const weights = async (seed: number) => {
      const model = NetworkModel.create(
        e,
        modelRecipe('mlp', { features: 784, classes: 10 }, { hidden: [16], dropout: 0.2 }),
        1,
      );
      await fit(model, adam(), train, { epochs: 2, batchSize: 50, seed });
      const w = model.net.getWeights().map((x) => Array.from(x.values));
      model.dispose();
      return w;
    };
    const a = await weights(5);
    expect(await weights(5)).toEqual(a);
    expect(await weights(6)).not.toEqual(a);
  });

  it('early stopping stops when the monitored metric stalls and keeps the best weights', async () => {
    const model = mlp();
    const es = earlyStopping({ monitor: 'valAccuracy', mode: 'max', patience: 0, minDelta: 1 });
    const r = await fit(model, adam(), train, {
      epochs: 10,
      batchSize: 32,
      seed: 1,
      validation: test,
      callbacks: [es],
    });
    expect(r.history).toHaveLength(2);
    expect(r.stopReason).toMatch(/early stopping: valAccuracy did not improve/);
    expect(es.best?.epoch).toBe(1);
    model.dispose();
  });

  it('a reporter that says prune stops training at that epoch', async () => {
    const reported: [number, number][] = [];
    const model = mlp();
    const r = await fit(model, adam(), train, {
      epochs: 5,
      batchSize: 64,
      seed: 1,
      callbacks: [
        reportTo(
          { report: (v, s) => void reported.push([s, v]), shouldPrune: () => reported.length >= 2 },
          'loss',
        ),
      ],
    });
    expect(reported.map(([s]) => s)).toEqual([1, 2]);
    expect(r.epochs).toBe(2);
    expect(r.stopReason).toMatch(/pruned at epoch 2/);
    model.dispose();
  });

  it('resuming from a checkpoint in the store equals training without interruption', async () => {
    const store = createMemoryStore();
    const full = mlp(2, [16]);
    await fit(full, adam(), train, { epochs: 3, batchSize: 40, seed: 9 });
    const first = mlp(2, [16]);
    await fit(first, adam(), train, {
      epochs: 2,
      batchSize: 40,
      seed: 9,
      callbacks: [checkpointTo(store, 'run-a')],
    });
    const snap = await loadCheckpoint(store, 'run-a');
    expect(snap.epoch).toBe(2);
    const resumed = mlp(77, [16]); // different init: everything must come from the checkpoint
    const r = await fit(resumed, adam(), train, {
      epochs: 3,
      batchSize: 40,
      seed: 9,
      resume: snap,
    });
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(resumed.net.getWeights().map((w) => Array.from(w.values))).toEqual(
      full.net.getWeights().map((w) => Array.from(w.values)),
    );
    for (const m of [full, first, resumed]) m.dispose();
    await store.close();
  });

  it('a corrupt checkpoint is DATA_INVALID naming it; a missing one is NOT_FOUND', async () => {
    const store = createMemoryStore();
    const model = mlp(1, [8]);
    await fit(model, adam(), train, {
      epochs: 1,
      batchSize: 100,
      seed: 1,
      callbacks: [checkpointTo(store, 'c')],
    });
    const doc = (await store.getDoc(CHECKPOINTS_COLLECTION, 'c'))!.value as Record<string, unknown>;
    const weights = doc['weights'] as { data: string }[];
    weights[0]!.data = weights[0]!.data.slice(0, 40); // truncated bytes
    await store.putDoc(CHECKPOINTS_COLLECTION, 'c', doc as never);
    await expect(loadCheckpoint(store, 'c')).rejects.toThrow(
      /checkpoint "c" .* is corrupt: its checksum does not match/,
    );
    await store.putDoc(CHECKPOINTS_COLLECTION, 'c', { format: 'mortar-checkpoint/1', epoch: 'x' });
    await expect(loadCheckpoint(store, 'c')).rejects.toSatisfy(
      (err: unknown) => err instanceof MortarError && err.code === 'DATA_INVALID',
    );
    await expect(loadCheckpoint(store, 'nope')).rejects.toSatisfy(
      (err: unknown) => err instanceof MortarError && err.code === 'NOT_FOUND',
    );
    model.dispose();
    await store.close();
  });

  it('shape mismatches between data and network are INVALID_ARGUMENT naming the shapes', async () => {
    const model = NetworkModel.create(e, modelRecipe('mlp', { features: 10, classes: 10 }, {}), 1);
    await expect(fit(model, adam(), train, { epochs: 1, batchSize: 8, seed: 1 })).rejects.toThrow(
      /samples have shape \[784\], the network expects \[10\]/,
    );
    model.dispose();
  });
});

describe('layer-by-layer control', () => {
  it('two half-batch micro-batches (own activations, accumulated gradients) equal one full batch', () => {
    const model = mlp(4, [24]);
    const net = model.net;
    const idx = Int32Array.from({ length: 20 }, (_, i) => i);
    net.zeroGrad();
    runRows(model, train, idx, true, new Rng(1));
    const full = net.trainableParams().map((p) => p.gradArray());
    // GPipe-style: two forwards in flight with their own states, then both backwards.
    net.zeroGrad();
    const s1 = net.createState();
    const s2 = net.createState();
    const half = (lo: number, state: typeof s1) =>
      runRows(model, train, idx.subarray(lo, lo + 10), true, new Rng(1), state);
    half(0, s1);
    half(10, s2);
    const micro = net.trainableParams().map((p) => p.gradArray());
    // each half's gradient is its own mean: the sum of the two is twice the full-batch mean
    micro.forEach((g, k) => {
      const f = full[k]!;
      for (let i = 0; i < g.length; i += 97) expect(g[i]! / 2).toBeCloseTo(f[i]!, 5);
    });
    s1.dispose();
    s2.dispose();
    model.dispose();
  });

  it('running the layers one by one equals the whole forward', () => {
    const model = mlp(4, [24]);
    const x = e.fromArray(train.x.subarray(0, 5 * 784), [5, 784]);
    const whole = model.net.forward(x).toArray();
    const state = model.net.createState();
    let h = x;
    for (let i = 0; i < model.net.layers.length; i++)
      h = model.net.forwardLayer(i, h, state, { training: false });
    expect(Array.from(h.data)).toEqual(Array.from(whole));
    state.dispose();
    model.dispose();
  });
});

describe('data parallelism on worker threads', () => {
  it('2 threads: same gradients as one thread (to float rounding), deterministic, and it learns', async () => {
    const model = mlp(3, [16]);
    const idx = Int32Array.from({ length: 30 }, (_, i) => i * 3);
    model.net.zeroGrad();
    runRows(model, train, idx, true, new Rng(1));
    const local = model.net.trainableParams().map((p) => p.gradArray());
    const ex = new ParallelExecutor(model, { threads: 2 });
    await ex.start(train);
    try {
      model.net.zeroGrad();
      const r = await ex.gradients(train, idx, new Rng(1));
      expect(r.rows).toBe(30);
      model.net.trainableParams().forEach((p, k) => {
        const g = p.gradArray();
        const l = local[k]!;
        for (let i = 0; i < g.length; i++) expect(Math.abs(g[i]! - l[i]!)).toBeLessThan(1e-5);
      });
    } finally {
      await ex.stop();
    }
    const trainParallel = async () => {
      const m = mlp(3, [16]);
      await fit(m, adam(), train, {
        epochs: 5,
        batchSize: 64,
        seed: 2,
        executor: new ParallelExecutor(m, { threads: 2 }),
      });
      const acc = evaluateModel(m, test).accuracy ?? 0;
      const w = m.net.getWeights().map((x) => Array.from(x.values));
      m.dispose();
      return { acc, w };
    };
    const a = await trainParallel();
    const b = await trainParallel();
    expect(b.w).toEqual(a.w);
    expect(a.acc).toBeGreaterThan(0.6);
    model.dispose();
  });
});
