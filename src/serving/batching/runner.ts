import type { Clock } from '../../core/clock.js';
import { MortarError } from '../../core/errors.js';
import type { InferOptions, Model } from '../model.js';
import { concatBatch, splitBatch, type Tensor, type TensorMap } from '../tensor.js';
import type { BatchPolicy } from './policy.js';
import { BatchQueue, type Queued } from './queue.js';

/** Options for {@link BatchRunner}. */
export interface BatchRunnerOptions {
  readonly model: Model;
  readonly policy: BatchPolicy;
  readonly clock: Clock;
  /** Batches run at the same time (usually the number of workers). */
  readonly concurrency: number;
  /** Rows allowed to wait; more are refused with RESOURCE_EXHAUSTED (429). */
  readonly maxQueueRows: number;
  /** Called after each batch (metrics). */
  readonly onBatch?: (rows: number, serviceMs: number) => void;
}

interface Request extends Queued {
  readonly inputs: TensorMap;
  readonly outputs: readonly string[] | undefined;
  resolve(out: TensorMap): void;
  reject(e: Error): void;
}

/**
 * Runs a {@link Model} behind a {@link BatchQueue}: owns the timer and the worker slots, and asks
 * the queue's pure policy what to run. Requests are concatenated along axis 0 into one
 * `model.infer` call and the outputs split back. A request whose deadline passes while it waits
 * is rejected with DEADLINE_EXCEEDED; one whose batch finishes after its deadline too (never a
 * late answer).
 */
export class BatchRunner {
  private readonly queue: BatchQueue<Request>;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private msPerRow = 1;
  private closed = false;
  private idle: (() => void) | undefined;

  constructor(private readonly opts: BatchRunnerOptions) {
    this.queue = new BatchQueue<Request>(opts.policy, opts.maxQueueRows);
  }

  /** Rows waiting. */
  get queuedRows(): number {
    return this.queue.rows;
  }

  /** Batches running. */
  get running(): number {
    return this.inFlight;
  }

  /**
   * Queues one request (`rows` rows along axis 0 of every input) and resolves with its outputs.
   * @param deadline monotonic ms after which it is answered with DEADLINE_EXCEEDED
   */
  infer(
    inputs: TensorMap,
    rows: number,
    deadline: number,
    opts: InferOptions = {},
  ): Promise<TensorMap> {
    if (this.closed) {
      return Promise.reject(new MortarError('FAILED_PRECONDITION', 'the model is being unloaded'));
    }
    return new Promise<TensorMap>((resolve, reject) => {
      const now = this.opts.clock.monotonic();
      this.queue.push(
        { rows, enqueuedAt: now, deadline, inputs, outputs: opts.outputs, resolve, reject },
        this.msPerRow / Math.max(1, this.opts.concurrency),
      );
      this.pump();
    });
  }

  /** Stops taking requests and resolves when every queued and running request is answered. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length > 0 || this.inFlight > 0) {
      await new Promise<void>((r) => (this.idle = r));
    }
    if (this.timer) clearTimeout(this.timer);
  }

  private pump(): void {
    for (;;) {
      const now = this.opts.clock.monotonic();
      const canRun = this.inFlight < this.opts.concurrency;
      const { batch, expired, wakeAt } = this.queue.poll(now, canRun);
      for (const r of expired) r.reject(deadlineError(r, now));
      if (batch.length > 0) {
        this.start(batch);
        continue;
      }
      this.arm(wakeAt);
      break;
    }
    if (this.queue.length === 0 && this.inFlight === 0) this.idle?.();
  }

  private arm(at: number | undefined): void {
    if (at === undefined || !Number.isFinite(at)) return;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    const delay = Math.max(0, at - this.opts.clock.monotonic());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.ceil(delay));
  }

  private start(batch: readonly Request[]): void {
    this.inFlight++;
    const started = this.opts.clock.monotonic();
    const rows = batch.reduce((n, r) => n + r.rows, 0);
    void this.runBatch(batch).then(
      (outs) => {
        const now = this.opts.clock.monotonic();
        this.finish(batch, rows, started, now);
        batch.forEach((r, i) => {
          if (now > r.deadline) r.reject(deadlineError(r, now));
          else r.resolve(outs[i]!);
        });
      },
      (e: Error) => {
        this.finish(batch, rows, started, this.opts.clock.monotonic());
        for (const r of batch) r.reject(e);
      },
    );
  }

  private finish(batch: readonly Request[], rows: number, started: number, now: number): void {
    this.inFlight--;
    const serviceMs = now - started;
    this.msPerRow = 0.8 * this.msPerRow + (0.2 * serviceMs) / Math.max(1, rows);
    const worst = Math.max(...batch.map((r) => now - r.enqueuedAt));
    this.opts.policy.observe?.({ rows, serviceMs, worstLatencyMs: worst });
    this.opts.onBatch?.(rows, serviceMs);
    this.pump();
  }

  private async runBatch(batch: readonly Request[]): Promise<TensorMap[]> {
    const first = batch[0]!;
    if (batch.length === 1) return [await this.opts.model.infer(first.inputs, outputsOf(first))];
    const names = Object.keys(first.inputs);
    const merged: Record<string, Tensor> = {};
    for (const name of names) {
      merged[name] = concatBatch(batch.map((r) => inputOf(r, name)));
    }
    // Every request of a batch gets the union of the outputs asked for.
    const wanted = batch.some((r) => !r.outputs)
      ? undefined
      : [...new Set(batch.flatMap((r) => r.outputs ?? []))];
    const out = await this.opts.model.infer(merged, wanted ? { outputs: wanted } : {});
    const rows = batch.map((r) => r.rows);
    const pieces = batch.map(() => ({}) as Record<string, Tensor>);
    for (const [name, t] of Object.entries(out)) {
      splitBatch(t, rows).forEach((p, i) => (pieces[i]![name] = p));
    }
    return pieces;
  }
}

function outputsOf(r: Request): InferOptions {
  return r.outputs ? { outputs: r.outputs } : {};
}

function inputOf(r: Request, name: string): Tensor {
  const t = r.inputs[name];
  if (!t) {
    throw new MortarError('INVALID_ARGUMENT', `input "${name}" is missing`, {
      details: { input: name },
    });
  }
  return t;
}

function deadlineError(r: Request, now: number): MortarError {
  const waited = Math.round(now - r.enqueuedAt);
  const budget = Math.round(r.deadline - r.enqueuedAt);
  return new MortarError(
    'DEADLINE_EXCEEDED',
    `the request's deadline of ${budget} ms passed after ${waited} ms (the model is overloaded); retry later, or send a longer timeout_ms`,
    { details: { deadlineMs: budget, waitedMs: waited } },
  );
}
