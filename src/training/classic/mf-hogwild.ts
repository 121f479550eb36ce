/**
 * Hogwild matrix factorization over SharedArrayBuffer: the factor and bias arrays, the ratings
 * and the shuffled order live in shared memory; every epoch the calling thread takes the first
 * shard of the order and `threads - 1` worker threads the others, all updating the same arrays
 * without locks. Sparse updates rarely collide, so this converges like serial SGD (Recht et al.
 * 2011) — but results depend on thread timing: only `threads: 1` is bit-for-bit reproducible.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MortarError } from '../../core/errors.js';
import { mfSgdEpoch, type MfParams } from './mf-kernel.js';

/** What each worker receives at start. */
export interface MfWorkerInit {
  readonly rank: number;
  readonly mean: number;
  readonly reg: number;
  readonly regBias: number;
  readonly p: SharedArrayBuffer;
  readonly q: SharedArrayBuffer;
  readonly userBias: SharedArrayBuffer;
  readonly itemBias: SharedArrayBuffer;
  readonly u: SharedArrayBuffer;
  readonly i: SharedArrayBuffer;
  readonly r: SharedArrayBuffer;
  readonly order: SharedArrayBuffer;
}

/** One epoch's shard for a worker: positions [start, end) of the shared order. */
export interface MfWorkerTask {
  readonly lr: number;
  readonly start: number;
  readonly end: number;
}

/** A worker's answer: its shard's sum of squared errors, or an error message. */
export type MfWorkerReply = { readonly sse: number } | { readonly error: string };

/** A Float64Array on a fresh SharedArrayBuffer holding a copy of `a`. */
export function sharedF64(a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.length * 8));
  out.set(a);
  return out;
}

/** An Int32Array on a fresh SharedArrayBuffer holding a copy of `a`. */
export function sharedI32(a: ArrayLike<number>): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(a.length * 4));
  out.set(a);
  return out;
}

function sab(a: Float64Array | Int32Array): SharedArrayBuffer {
  if (!(a.buffer instanceof SharedArrayBuffer)) {
    throw new MortarError(
      'INTERNAL',
      'Hogwild MF: arrays must live on SharedArrayBuffers (use sharedF64/sharedI32)',
    );
  }
  return a.buffer;
}

/**
 * Starts one worker: the compiled .js beside this file, or — running from TypeScript sources
 * (tests, tsx), where Node 20 applies no loader to a worker's entry — a tiny bootstrap that
 * registers tsx in the worker and then imports the .ts entry (as src/core/data/parallel.ts does).
 */
function newWorker(init: MfWorkerInit): Worker {
  const here = import.meta.url;
  const js = new URL('./mf-worker.js', here);
  if (!here.endsWith('.ts') && existsSync(fileURLToPath(js)))
    return new Worker(js, { workerData: init });
  const api = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./mf-worker.ts', here).href;
  const code =
    `import(${JSON.stringify(pathToFileURL(api).href)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: init });
}

/** Resolves when the worker reports ready; rejects if it fails to start. */
function ready(w: Worker, k: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void =>
      reject(
        new MortarError('INTERNAL', `Hogwild MF worker ${k} failed to start: ${e.message}`, {
          cause: e,
        }),
      );
    w.once('error', onError);
    w.once('message', () => {
      w.off('error', onError);
      resolve();
    });
  });
}

/** A pool of Hogwild workers bound to one training run's shared arrays. Call `stop()` when done. */
export class MfHogwild {
  private constructor(
    private readonly workers: Worker[],
    private readonly params: MfParams,
    private readonly rank: number,
    private readonly u: Int32Array,
    private readonly i: Int32Array,
    private readonly r: Float64Array,
    private readonly order: Int32Array,
    private readonly reg: number,
    private readonly regBias: number,
  ) {}

  /** Starts `threads - 1` workers over the shared arrays (all must be on SharedArrayBuffers). */
  static async start(
    threads: number,
    params: MfParams,
    rank: number,
    data: { u: Int32Array; i: Int32Array; r: Float64Array; order: Int32Array },
    reg: number,
    regBias: number,
  ): Promise<MfHogwild> {
    const init: MfWorkerInit = {
      rank,
      mean: params.mean,
      reg,
      regBias,
      p: sab(params.p),
      q: sab(params.q),
      userBias: sab(params.userBias),
      itemBias: sab(params.itemBias),
      u: sab(data.u),
      i: sab(data.i),
      r: sab(data.r),
      order: sab(data.order),
    };
    const workers = Array.from({ length: threads - 1 }, () => newWorker(init));
    try {
      await Promise.all(workers.map((w, k) => ready(w, k + 1)));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new MfHogwild(workers, params, rank, data.u, data.i, data.r, data.order, reg, regBias);
  }

  /** One Hogwild epoch over the (already shuffled) shared order; returns the total squared error. */
  async epoch(lr: number): Promise<number> {
    const n = this.order.length;
    const T = this.workers.length + 1;
    const bound = (k: number): number => Math.floor((n * k) / T);
    const replies = this.workers.map(
      (w, k) =>
        new Promise<number>((resolve, reject) => {
          const onError = (e: Error): void =>
            reject(
              new MortarError('INTERNAL', `Hogwild MF worker ${k + 1} failed: ${e.message}`, {
                cause: e,
              }),
            );
          w.once('error', onError);
          w.once('message', (m: MfWorkerReply) => {
            w.off('error', onError);
            if ('error' in m)
              reject(new MortarError('INTERNAL', `Hogwild MF worker ${k + 1} failed: ${m.error}`));
            else resolve(m.sse);
          });
          const task: MfWorkerTask = { lr, start: bound(k + 1), end: bound(k + 2) };
          w.postMessage(task);
        }),
    );
    const own = mfSgdEpoch(
      this.params,
      this.rank,
      this.u,
      this.i,
      this.r,
      this.order.subarray(0, bound(1)),
      lr,
      this.reg,
      this.regBias,
    );
    const rest = await Promise.all(replies);
    return rest.reduce((a, b) => a + b, own);
  }

  /** Terminates the workers. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
