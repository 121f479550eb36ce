// readBatches' parallel Parquet mode: worker threads, each with its own single-threaded DuckDB,
// decode disjoint row-group ranges of one Parquet file into Mortar columns and hand the typed
// arrays back zero-copy (transferred ArrayBuffers). The main thread only reassembles batches.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MortarError } from '../errors.js';
import { RecordBatch } from './batch.js';
import { concatBatches } from './concat.js';
import { planFor } from './decode.js';
import { sqlString, type Engine, type EngineOptions } from './duckdb.js';
import { mapReadError } from './errors.js';
import {
  fromWire,
  fromWireError,
  type ReadJob,
  type WorkerReply,
  type WorkerRequest,
} from './parallel-protocol.js';
import type { Field, Format, Schema } from './types.js';

/** How readBatches may use worker threads (see `ReadOptions.parallel`). */
export type ParallelOption = boolean | number;

/** Batches each worker may run ahead of the reader. */
const WINDOW = 2;
/** Idle workers are kept this long for the next read, then terminated. */
const IDLE_MS = 15_000;

/** A read that parallel mode will run. */
export interface ParallelPlan {
  readonly schema: Schema;
  readonly job: ReadJob;
  /** File row ranges `[start, end)`, in order; every start is a multiple of `batchRows`. */
  readonly tasks: readonly { readonly start: number; readonly end: number }[];
  readonly workers: number;
  readonly ordered: boolean;
  readonly format: Format;
}

/** What {@link planParallel} needs from readBatches. */
export interface ParallelRequest {
  readonly path: string;
  readonly format: Format;
  readonly src: string;
  readonly projection: string;
  readonly fields: readonly Field[];
  readonly exact: readonly ('int64' | 'uint64' | undefined)[];
  readonly sourceColumns: readonly string[];
  readonly int64: 'number' | 'bigint';
  readonly batchRows: number;
  readonly maxRows: number;
  readonly parallel: ParallelOption | undefined;
  readonly ordered: boolean;
  readonly engine: EngineOptions;
}

/**
 * Decides whether `readBatches` runs in parallel mode and plans it; undefined means read on
 * this thread. Parallel mode is opt-in (`parallel: true` = one worker per core, or a count) and
 * needs a single local Parquet file whose rows to read span at least two tasks, and columns
 * that decode to typed arrays (not `other`).
 *
 * Tasks are cut on the global `batchRows` grid, at the multiple of `batchRows` nearest each
 * row-group boundary: every worker then makes whole batches (the same ones the sequential
 * reader makes), and the main thread never re-slices. DuckDB prunes the row groups outside a
 * task through the `file_row_number` filter; the part of a row group before a task's start is
 * skipped inside the reader (measured: no slower than starting on the row-group boundary).
 */
export async function planParallel(
  engine: Engine,
  req: ParallelRequest,
): Promise<ParallelPlan | undefined> {
  const p = req.parallel ?? false;
  if (p === false) return undefined;
  const workers = p === true ? availableParallelism() : Math.floor(p);
  if (!(workers >= 1) || req.format !== 'parquet' || /[*?[]/.test(req.path)) return undefined;
  if (req.sourceColumns.some((c) => c.toLowerCase() === 'file_row_number')) return undefined;
  const groups = await engine.conn.runAndReadAll(
    `SELECT row_group_id::DOUBLE AS id, any_value(row_group_num_rows)::DOUBLE AS n ` +
      `FROM parquet_metadata(${sqlString(req.path)}) GROUP BY ALL ORDER BY 1`,
  );
  let total = 0;
  const cuts = new Set<number>();
  for (const g of groups.getRowObjectsJS()) {
    if (total > 0) cuts.add(Math.round(total / req.batchRows) * req.batchRows);
    total += Number(g['n']);
  }
  const limit = Math.min(total, Math.max(0, Math.floor(req.maxRows)));
  const bounds = [0, ...[...cuts].filter((c) => c > 0 && c < limit).sort((a, b) => a - b), limit];
  const tasks: { start: number; end: number }[] = [];
  for (let i = 1; i < bounds.length; i++) {
    tasks.push({ start: bounds[i - 1] as number, end: bounds[i] as number });
  }
  if (tasks.length < 2) return undefined;
  const probe = await engine.conn.run(`SELECT ${req.projection} FROM ${req.src} LIMIT 0`);
  const types = req.fields.map(
    (f, i) =>
      planFor(probe.columnTypeId(i), { file: req.path, column: f.name }, req.int64, req.exact[i])
        .type,
  );
  if (types.includes('other')) return undefined;
  return {
    schema: req.fields.map((f, i) => ({ ...f, type: types[i] as Field['type'] })),
    job: {
      path: req.path,
      src: req.src,
      projection: req.projection,
      names: req.fields.map((f) => f.name),
      exact: req.exact,
      int64: req.int64,
      batchRows: req.batchRows,
      window: WINDOW,
      memoryLimit: req.engine.memoryLimit,
      tempDirectory: req.engine.tempDirectory,
    },
    tasks,
    workers: Math.min(workers, tasks.length),
    ordered: req.ordered,
    format: req.format,
  };
}

// ---- the worker pool -------------------------------------------------------------------------

interface Slot {
  readonly worker: Worker;
  /** The read using this worker, if any. */
  listener: ((m: WorkerReply) => void) | undefined;
  onDeath: ((e: Error) => void) | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  dead: boolean;
}

const idle: Slot[] = [];

function newWorker(): Worker {
  const here = import.meta.url;
  const js = new URL('./read-worker.js', here);
  if (!here.endsWith('.ts') && existsSync(fileURLToPath(js))) return new Worker(js);
  // Running from TypeScript sources (tests, `tsx`): Node 20 applies no loader to a worker's
  // entry module, so a tiny bootstrap registers tsx in the worker, then imports the .ts entry.
  const api = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./read-worker.ts', here).href;
  const code =
    `import(${JSON.stringify(pathToFileURL(api).href)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true });
}

function spawn(): Slot {
  const worker = newWorker();
  const slot: Slot = {
    worker,
    listener: undefined,
    onDeath: undefined,
    idleTimer: undefined,
    dead: false,
  };
  worker.on('message', (m: WorkerReply) => slot.listener?.(m));
  const die = (e: Error) => {
    if (slot.dead) return;
    slot.dead = true;
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.onDeath?.(e);
  };
  worker.on('error', die);
  worker.on('exit', (code) => die(new Error(`read worker exited with code ${code}`)));
  return slot;
}

function acquire(n: number): Slot[] {
  const out: Slot[] = [];
  while (out.length < n) {
    const slot = idle.pop() ?? spawn();
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    slot.worker.ref();
    out.push(slot);
  }
  return out;
}

function release(slot: Slot): void {
  slot.listener = undefined;
  slot.onDeath = undefined;
  if (slot.dead) return;
  slot.worker.postMessage({ t: 'end' } satisfies WorkerRequest);
  slot.worker.unref();
  if (idle.length >= availableParallelism()) {
    void slot.worker.terminate();
    return;
  }
  slot.idleTimer = setTimeout(() => {
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
    void slot.worker.terminate();
  }, IDLE_MS);
  slot.idleTimer.unref();
  idle.push(slot);
}

let nextReadId = 1;

interface TaskState {
  readonly pieces: { batch: RecordBatch; slot: Slot }[];
  slot: Slot | undefined;
  done: boolean;
  error: Error | undefined;
}

/**
 * Runs a parallel plan: tasks go to idle workers in file order; each worker posts batches on
 * the file's global `batchRows` grid, so `ordered` reads yield exactly the batches (sizes,
 * values, dictionaries) that the sequential reader yields. (Pieces that do not fill a batch,
 * which grid-aligned tasks never make, would be joined.) Unordered reads yield batches as they
 * arrive.
 */
export async function* readParallel(plan: ParallelPlan): AsyncGenerator<RecordBatch> {
  const { job, tasks, schema } = plan;
  const readId = nextReadId++;
  const slots = acquire(plan.workers);
  const state: TaskState[] = tasks.map(() => ({
    pieces: [],
    slot: undefined,
    done: false,
    error: undefined,
  }));
  const busy = new Map<Slot, number>(); // slot -> task id
  const consumed = new Map<Slot, number>();
  let nextTask = 0;
  let stopAt = tasks.length; // no tasks are started at or past this one
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const arrivals: number[] = []; // task ids in piece-arrival order (unordered mode)

  const assign = (slot: Slot) => {
    if (nextTask >= stopAt || slot.dead) return;
    const id = nextTask++;
    const task = tasks[id] as { start: number; end: number };
    (state[id] as TaskState).slot = slot;
    busy.set(slot, id);
    slot.worker.postMessage({
      t: 'task',
      readId,
      id,
      job,
      start: task.start,
      end: task.end,
    } satisfies WorkerRequest);
  };
  const fail = (id: number, e: Error) => {
    const s = state[id] as TaskState;
    s.error ??= e;
    s.done = true;
    stopAt = Math.min(stopAt, id + 1);
    poke();
  };
  for (const slot of slots) {
    slot.listener = (m) => {
      if (m.readId !== readId) return;
      const s = state[m.id] as TaskState;
      if (m.t === 'piece') {
        const columns = m.columns.map(fromWire);
        s.pieces.push({ batch: new RecordBatch(schema, m.numRows, columns), slot });
        arrivals.push(m.id);
      } else {
        busy.delete(slot);
        if (m.t === 'error') fail(m.id, fromWireError(m.error));
        else s.done = true;
        assign(slot);
      }
      poke();
    };
    slot.onDeath = (e) => {
      const id = busy.get(slot);
      busy.delete(slot);
      if (id !== undefined) {
        fail(id, new MortarError('INTERNAL', `${job.path}: a read worker died: ${e.message}`));
      }
    };
  }
  const credit = (slot: Slot) => {
    const n = (consumed.get(slot) ?? 0) + 1;
    consumed.set(slot, n);
    if (!slot.dead) {
      slot.worker.postMessage({ t: 'credit', readId, consumed: n } satisfies WorkerRequest);
    }
  };
  const raise = async (e: Error): Promise<never> => {
    throw await mapReadError(e, job.path, plan.format);
  };
  try {
    for (const slot of slots) assign(slot);
    if (plan.ordered) {
      let parts: RecordBatch[] = [];
      let partRows = 0;
      for (let id = 0; id < tasks.length; id++) {
        const s = state[id] as TaskState;
        for (;;) {
          const piece = s.pieces.shift();
          if (piece) {
            credit(piece.slot);
            const b = piece.batch;
            if (partRows === 0 && b.numRows === job.batchRows) {
              yield b;
              continue;
            }
            parts.push(b);
            partRows += b.numRows;
            if (partRows >= job.batchRows) {
              yield concatBatches(schema, parts);
              parts = [];
              partRows = 0;
            }
            continue;
          }
          if (s.error) await raise(s.error);
          if (s.done) break;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      }
      if (partRows > 0) yield concatBatches(schema, parts);
    } else {
      let left = tasks.length;
      while (left > 0) {
        const id = arrivals.shift();
        if (id !== undefined) {
          const piece = (state[id] as TaskState).pieces.shift();
          if (piece) {
            credit(piece.slot);
            yield piece.batch;
          }
          continue;
        }
        const failed = state.find((s) => s.error);
        if (failed?.error) await raise(failed.error);
        left = state.filter((s) => !s.done || s.pieces.length > 0).length;
        if (left > 0) await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    for (const slot of slots) {
      if (!slot.dead) slot.worker.postMessage({ t: 'cancel', readId } satisfies WorkerRequest);
      release(slot);
    }
  }
}
