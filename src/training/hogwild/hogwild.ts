import type { Worker } from 'node:worker_threads';
import { MortarError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { spawnWorker } from '../train/spawn-worker.js';
import type { HogwildInit, HogwildReply, HogwildTask } from './protocol.js';
import { logregSgdPass, type SparseRows } from './sparse-logreg.js';

/** Options of {@link hogwildLogreg}. */
export interface HogwildOptions {
  /** Threads updating the shared weights, this one included (1 = plain, deterministic SGD). */
  readonly threads: number;
  readonly epochs: number;
  /** Initial learning rate (default 0.01); epoch e (0-based) uses lr / (1 + decay * e), decay default 0. */
  readonly lr?: number;
  readonly decay?: number;
  /** L2 penalty per touched coordinate (default 1e-5). */
  readonly l2?: number;
  /** Seeds the per-epoch row shuffles. */
  readonly seed: number;
  /** Called after every epoch with the mean training log-loss (as the weights moved). */
  readonly onEpoch?: (epoch: number, loss: number) => void | boolean;
  /** Milliseconds clock for {@link HogwildResult.seconds} (default performance.now). */
  readonly now?: () => number;
}

/** What {@link hogwildLogreg} returns: weights (the last entry is the bias) and loss history. */
export interface HogwildResult {
  readonly w: Float32Array;
  readonly history: readonly { readonly epoch: number; readonly loss: number }[];
  /** Seconds spent in the epochs (after the workers started). */
  readonly seconds: number;
}

function shared<T extends Int32Array | Float32Array>(
  a: ArrayLike<number>,
  make: (b: SharedArrayBuffer) => T,
): T {
  const t = make(new SharedArrayBuffer(a.length * 4));
  t.set(a);
  return t;
}

/**
 * Hogwild! (Niu et al. 2011) sparse logistic regression: the data, the epoch's row order and the
 * weights live in SharedArrayBuffers; each epoch the seeded shuffle is cut into `threads`
 * contiguous shares and every thread runs plain SGD on its share, writing the shared weights
 * without locks. On sparse rows the threads rarely touch the same coordinates, so the races cost
 * little accuracy. With threads > 1 the result depends on thread timing (not bit-reproducible);
 * with 1 thread it is deterministic for a seed. `y` holds 0/1 (anything > 0 counts as 1).
 */
export async function hogwildLogreg(
  x: SparseRows,
  y: ArrayLike<number>,
  o: HogwildOptions,
): Promise<HogwildResult> {
  if (!Number.isInteger(o.threads) || o.threads < 1)
    throw new MortarError(
      'INVALID_ARGUMENT',
      `hogwild: threads must be an integer >= 1, got ${o.threads}`,
    );
  if (!Number.isInteger(o.epochs) || o.epochs < 1)
    throw new MortarError(
      'INVALID_ARGUMENT',
      `hogwild: epochs must be an integer >= 1, got ${o.epochs}`,
    );
  if (y.length !== x.rows)
    throw new MortarError('INVALID_ARGUMENT', `hogwild: ${y.length} labels for ${x.rows} rows`);
  const lr0 = o.lr ?? 0.01;
  const decay = o.decay ?? 0;
  const l2 = o.l2 ?? 1e-5;
  const now = o.now ?? (() => performance.now());
  const init: HogwildInit = {
    x: {
      rows: x.rows,
      cols: x.cols,
      indptr: shared(x.indptr, (b) => new Int32Array(b)),
      indices: shared(x.indices, (b) => new Int32Array(b)),
      values: shared(x.values, (b) => new Float32Array(b)),
    },
    y: shared(
      Array.from({ length: x.rows }, (_, i) => ((y[i] as number) > 0 ? 1 : 0)),
      (b) => new Float32Array(b),
    ),
    w: new Float32Array(new SharedArrayBuffer((x.cols + 1) * 4)),
    order: new Int32Array(new SharedArrayBuffer(x.rows * 4)),
  };
  const workers: Worker[] = Array.from({ length: o.threads - 1 }, () =>
    spawnWorker(import.meta.url, 'worker', init),
  );
  const rng = new Rng(o.seed);
  const history: { epoch: number; loss: number }[] = [];
  let ms = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>(
            (resolve, reject) => (w.once('message', () => resolve()), w.once('error', reject)),
          ),
      ),
    );
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const t0 = now();
      const order = init.order;
      for (let i = 0; i < order.length; i++) order[i] = i;
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      const lr = lr0 / (1 + decay * (epoch - 1));
      const per = Math.ceil(x.rows / o.threads);
      const pending = workers.map(
        (w, k) =>
          new Promise<number>((resolve, reject) => {
            const task: HogwildTask = {
              start: Math.min(x.rows, (k + 1) * per),
              end: Math.min(x.rows, (k + 2) * per),
              lr,
              l2,
            };
            w.once('message', (m: HogwildReply) =>
              'error' in m
                ? reject(new MortarError('INTERNAL', `hogwild worker ${k + 1}: ${m.error}`))
                : resolve(m.loss),
            );
            w.postMessage(task);
          }),
      );
      let loss = logregSgdPass(init.w, init.x, init.y, order, 0, Math.min(x.rows, per), lr, l2);
      for (const l of await Promise.all(pending)) loss += l;
      ms += now() - t0;
      history.push({ epoch, loss: loss / Math.max(1, x.rows) });
      if (o.onEpoch?.(epoch, loss / Math.max(1, x.rows)) === false) break;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { w: Float32Array.from(init.w), history, seconds: ms / 1000 };
}
