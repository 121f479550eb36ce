import type { Worker } from 'node:worker_threads';
import { MortarError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { axpy, compileKernels, fill, scale, type Tensor } from '../../core/tensor/index.js';
import type { NetworkModel } from '../models/model.js';
import type { Dataset } from './dataset.js';
import type { GradientExecutor } from './executor.js';
import { spawnWorker } from './spawn-worker.js';
import { runRows, type StepResult } from './step.js';
import type { WorkerInit, WorkerReply, WorkerTask } from './worker-protocol.js';

/** Options of {@link ParallelExecutor}. */
export interface ParallelExecutorOptions {
  /** Threads computing each batch, this one included (>= 2; 1 would be the LocalExecutor). */
  readonly threads: number;
}

/**
 * Synchronous data parallelism on worker threads: every batch is cut into `threads` contiguous
 * shards; this thread computes shard 0 while each worker (its own engine and a replica of the
 * network built from the recipe) computes one other shard from the current weights; the shard
 * gradients are averaged weighted by shard size, in shard order, so results are deterministic
 * for a given thread count. Training data is copied once into SharedArrayBuffers that all
 * workers read; each step's weights and each worker's gradients also travel through
 * SharedArrayBuffers (messages carry only row indices). Dropout in shard s draws from `rng.stream(s)`. BatchNorm running statistics
 * come from shard 0 (like PyTorch DDP's rank-0 buffers).
 */
export class ParallelExecutor implements GradientExecutor {
  private workers: Worker[] = [];
  private weights: Float32Array = new Float32Array(0);
  private grads: Float32Array[] = [];
  private readonly threads: number;

  constructor(
    private readonly model: NetworkModel,
    options: ParallelExecutorOptions,
  ) {
    if (!Number.isInteger(options.threads) || options.threads < 2) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `ParallelExecutor: threads must be an integer >= 2, got ${options.threads}`,
      );
    }
    this.threads = options.threads;
  }

  async start(data: Dataset): Promise<void> {
    const module = await compileKernels();
    const share = <T extends Float32Array | Int32Array>(a: T): T => {
      const sab = new SharedArrayBuffer(a.byteLength);
      const copy = (a instanceof Int32Array ? new Int32Array(sab) : new Float32Array(sab)) as T;
      copy.set(a);
      return copy;
    };
    const net = this.model.net;
    const total = net.namedParams().reduce((a, p) => a + p.param.value.size, 0);
    const trainable = net.trainableParams().reduce((a, p) => a + p.value.size, 0);
    this.weights = new Float32Array(new SharedArrayBuffer(total * 4));
    this.grads = this.workersCount().map(
      () => new Float32Array(new SharedArrayBuffer(trainable * 4)),
    );
    const shared: Dataset = {
      n: data.n,
      x: share(data.x),
      sampleShape: [...data.sampleShape],
      y: share(data.y),
      targetWidth: data.targetWidth,
      weights: data.weights ? share(data.weights) : undefined,
    };
    this.workers = this.grads.map((grads) =>
      spawnWorker(import.meta.url, 'worker', {
        module,
        recipe: this.model.recipe,
        data: shared,
        weights: this.weights,
        grads,
      } satisfies WorkerInit),
    );
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
          }),
      ),
    );
  }

  private workersCount(): number[] {
    return Array.from({ length: this.threads - 1 }, (_, i) => i);
  }

  async gradients(data: Dataset, idx: Int32Array, rng: Rng): Promise<StepResult> {
    const net = this.model.net;
    let o = 0;
    for (const { param } of net.namedParams()) {
      this.weights.set(param.value.data, o);
      o += param.value.size;
    }
    const per = Math.ceil(idx.length / this.threads);
    const shards = Array.from({ length: this.threads }, (_, s) =>
      idx.slice(s * per, Math.min(idx.length, (s + 1) * per)),
    );
    const pending = this.workers.map((w, k) => {
      const task: WorkerTask = { idx: shards[k + 1] as Int32Array, rng: rng.stream(k + 1).state() };
      return new Promise<{ lossSum: number; correct: number; rows: number }>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        w.once('error', onError);
        w.once('message', (m: WorkerReply) => {
          w.off('error', onError);
          if ('error' in m)
            reject(new MortarError('INTERNAL', `training worker ${k + 1} failed: ${m.error}`));
          else resolve(m);
        });
        w.postMessage(task);
      });
    });
    const local = runRows(this.model, data, shards[0] as Int32Array, true, rng);
    const replies = await Promise.all(pending);
    const total = idx.length;
    let lossSum = local.lossSum;
    let correct = local.correct;
    for (const r of replies) {
      lossSum += r.lossSum;
      correct += r.correct;
    }
    // g = sum_s (rows_s / total) g_s, in shard order (deterministic), with the engine's kernels
    const e = net.engine;
    let offset = 0;
    e.scope(() => {
      for (const p of net.trainableParams()) {
        const g = p.grad as Tensor;
        if (p.isFresh) fill(g, 0);
        scale(g, local.rows / total, g);
        const tmp = e.empty(g.shape);
        replies.forEach((r, k) => {
          tmp.set((this.grads[k] as Float32Array).subarray(offset, offset + g.size));
          axpy(r.rows / total, tmp, g);
        });
        p.commit(g);
        offset += g.size;
      }
    });
    return { lossSum, correct, rows: total };
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}
