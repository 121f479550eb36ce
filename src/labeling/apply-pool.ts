import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MortarError } from '../core/errors.js';
import { FailureTally, applyChunk, type ApplyOptions, type ApplyResult } from './apply.js';
import type { PoolReply, PoolRequest } from './apply-protocol.js';
import { checkLfNames } from './lf.js';
import { LabelMatrix } from './matrix.js';
import type { LabelingFunction } from './types.js';

/**
 * Applies LFs to chunks of points, wherever the LFs run (this thread or a worker pool).
 *
 * **Contract.** `apply(points, startRow)` resolves to the chunk's label matrix (rows in the
 * order of `points`) and the chunk's failures; calls may overlap, and each resolves with its own
 * rows. Errors name the LF and the absolute row (`startRow + i`). `close()` once at the end.
 */
export interface ChunkApplier<X> {
  readonly lfNames: readonly string[];
  apply(points: readonly X[], startRow: number): Promise<ApplyResult>;
  close(): Promise<void>;
}

/** A {@link ChunkApplier} on the calling thread. */
export function inProcessApplier<X>(
  lfs: readonly LabelingFunction<X>[],
  opts: ApplyOptions = {},
): ChunkApplier<X> {
  const names = checkLfNames(lfs);
  return {
    lfNames: names,
    apply(points, startRow) {
      const tally = new FailureTally();
      const matrix = applyChunk(lfs, points, { ...opts, startRow, names }, tally);
      return Promise.resolve({ matrix, failures: tally.snapshot() });
    },
    close: () => Promise.resolve(),
  };
}

/** Options of {@link createApplierPool}. */
export interface PoolOptions extends ApplyOptions {
  /** Path of an ES module exporting the LFs (`lfs`, the default export, or `exportName`). */
  readonly module: string;
  readonly exportName?: string;
  /** Worker threads (default: every core, `os.availableParallelism()`). */
  readonly workers?: number;
  /** Points per task handed to a worker (default 1,024): smaller balances better, larger costs less. */
  readonly taskRows?: number;
}

interface Task {
  id: number;
  points: unknown[];
  startRow: number;
  resolve: (r: ApplyResult) => void;
  reject: (e: unknown) => void;
}

function newWorker(module: string): Worker {
  const here = import.meta.url;
  const js = new URL('./apply-worker.js', here);
  const tsModule = /\.[mc]?ts$/.test(module);
  if (!here.endsWith('.ts') && !tsModule && existsSync(fileURLToPath(js))) return new Worker(js);
  // TypeScript sources (tests, tsx, or an lfs.ts module): register tsx in the worker first.
  let api: string;
  try {
    api = createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
  } catch (e) {
    throw new MortarError(
      'DEPENDENCY_MISSING',
      `loading ${module} in worker threads needs tsx (npm install tsx), or compile it to JavaScript`,
      { cause: e },
    );
  }
  const entry = here.endsWith('.ts') ? new URL('./apply-worker.ts', here).href : js.href;
  const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true });
}

/**
 * Starts a pool of worker threads (one per core by default), each loading the LF module once,
 * and returns a {@link ChunkApplier} that splits chunks into tasks and hands them to idle workers.
 * Points must be structured-cloneable (plain objects, strings, numbers).
 *
 * @example
 * const pool = await createApplierPool({ module: 'lfs.js', cardinality: 2 });
 * const { matrix } = await pool.apply(rows, 0);
 * await pool.close();
 */
export async function createApplierPool<X>(opts: PoolOptions): Promise<ChunkApplier<X>> {
  const module = resolve(opts.module);
  if (!existsSync(module))
    throw new MortarError('NOT_FOUND', `LF module not found: ${module}`, { details: { module } });
  const count = Math.max(1, opts.workers ?? availableParallelism());
  const taskRows = Math.max(1, opts.taskRows ?? 1024);
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: Task[] = [];
  const running = new Map<Worker, Task>();
  let nextId = 0;
  let names: string[] = [];
  let fatal: unknown;

  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const task = queue.shift()!;
      running.set(w, task);
      w.postMessage({
        t: 'apply',
        id: task.id,
        points: task.points,
        startRow: task.startRow,
      } satisfies PoolRequest);
    }
  };
  const fail = (e: unknown) => {
    fatal ??= e;
    for (const t of [...running.values(), ...queue.splice(0)]) t.reject(e);
    running.clear();
  };

  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const w = newWorker(module);
        workers.push(w);
        const ready = await new Promise<string[]>((res, rej) => {
          w.once('error', rej);
          w.once('message', (m: PoolReply) => {
            w.off('error', rej);
            if (m.t === 'ready') res(m.names);
            else if (m.t === 'error')
              rej(new MortarError(m.code, m.message, { details: m.details }));
          });
          w.postMessage({
            t: 'init',
            module,
            exportName: opts.exportName,
            cardinality: opts.cardinality,
            faultTolerant: opts.faultTolerant,
          } satisfies PoolRequest);
        });
        names = ready;
        w.on('message', (m: PoolReply) => {
          const task = running.get(w);
          if (!task) return;
          running.delete(w);
          idle.push(w);
          if (m.t === 'done') {
            task.resolve({
              matrix: new LabelMatrix(m.n, names.length, names, m.rowPtr, m.cols, m.labels),
              failures: m.failures,
            });
          } else if (m.t === 'error') {
            task.reject(new MortarError(m.code, m.message, { details: m.details }));
          }
          pump();
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (code !== 0)
            fail(new MortarError('INTERNAL', `an applier worker exited with code ${code}`));
        });
        idle.push(w);
      }),
    );
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }

  return {
    lfNames: names,
    async apply(points, startRow) {
      if (fatal) throw fatal;
      const parts: Promise<ApplyResult>[] = [];
      for (let s = 0; s < points.length || (s === 0 && points.length === 0); s += taskRows) {
        const slice = points.slice(s, s + taskRows) as unknown[];
        parts.push(
          new Promise<ApplyResult>((res, rej) => {
            queue.push({
              id: nextId++,
              points: slice,
              startRow: startRow + s,
              resolve: res,
              reject: rej,
            });
          }),
        );
        if (points.length === 0) break;
      }
      pump();
      const results = await Promise.all(parts);
      const tally = new FailureTally();
      for (const r of results) tally.merge(r.failures);
      return {
        matrix: LabelMatrix.concat(results.map((r) => r.matrix)),
        failures: tally.snapshot(),
      };
    },
    async close() {
      for (const w of workers) w.removeAllListeners('exit');
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Applies the LFs of `opts.module` to `points` on a worker pool and closes the pool. */
export async function applyInWorkers<X>(
  points: readonly X[],
  opts: PoolOptions,
): Promise<ApplyResult> {
  const pool = await createApplierPool<X>(opts);
  try {
    return await pool.apply(points, 0);
  } finally {
    await pool.close();
  }
}
