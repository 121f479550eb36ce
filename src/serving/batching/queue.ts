import { MortarError } from '../../core/errors.js';
import type { BatchPolicy } from './policy.js';

/** A request waiting in a {@link BatchQueue}. */
export interface Queued {
  /** Rows the request carries (its batch-axis size). */
  readonly rows: number;
  /** When it was enqueued (monotonic ms). */
  readonly enqueuedAt: number;
  /** Answer with DEADLINE_EXCEEDED instead of running at or after this time (monotonic ms). */
  readonly deadline: number;
}

/** What {@link BatchQueue.poll} says to do now. */
export interface PollResult<T extends Queued> {
  /** Requests to run now as one batch (empty: none). */
  readonly batch: readonly T[];
  /** Requests whose deadline passed while waiting: answer them with DEADLINE_EXCEEDED. */
  readonly expired: readonly T[];
  /** When to poll again if nothing else happens (undefined: only when a request arrives). */
  readonly wakeAt: number | undefined;
}

/**
 * The pure part of the batching runner: a bounded FIFO of requests plus a {@link BatchPolicy}.
 * It owns no timers; the caller passes the time, and polls on arrival, on completion of a batch,
 * and at `wakeAt`. Memory is bounded by `maxQueueRows`: `push` beyond it throws
 * RESOURCE_EXHAUSTED (HTTP 429) with a `retryAfterS` estimate.
 */
export class BatchQueue<T extends Queued> {
  private items: T[] = [];
  private head = 0;
  private queuedRows = 0;

  constructor(
    readonly policy: BatchPolicy,
    readonly maxQueueRows: number,
  ) {}

  /** Rows waiting. */
  get rows(): number {
    return this.queuedRows;
  }

  /** Requests waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  /**
   * Adds a request, or throws RESOURCE_EXHAUSTED when it would exceed `maxQueueRows`.
   * @param drainMsPerRow recent service time per row, for the Retry-After estimate
   */
  push(item: T, drainMsPerRow = 1): void {
    if (this.queuedRows + item.rows > this.maxQueueRows && this.length > 0) {
      const retryAfterS = Math.max(1, Math.ceil((this.queuedRows * drainMsPerRow) / 1000));
      throw new MortarError(
        'RESOURCE_EXHAUSTED',
        `the queue is full (${this.queuedRows} rows waiting, limit ${this.maxQueueRows}); retry after ${retryAfterS} s`,
        { details: { queuedRows: this.queuedRows, maxQueueRows: this.maxQueueRows, retryAfterS } },
      );
    }
    this.items.push(item);
    this.queuedRows += item.rows;
  }

  /**
   * Drops expired requests, then asks the policy whether to run a batch now.
   * @param canRun whether a worker is free; when false, only expired requests are returned.
   */
  poll(now: number, canRun: boolean): PollResult<T> {
    const expired = this.expire(now);
    if (this.length === 0) return { batch: [], expired, wakeAt: undefined };
    const first = this.items[this.head]!;
    const soonestDeadline = this.soonestDeadline();
    if (!canRun) return { batch: [], expired, wakeAt: soonestDeadline };
    const d = this.policy.decide({ rows: this.queuedRows, oldestAt: first.enqueuedAt, now });
    if (d.kind === 'wait') {
      return { batch: [], expired, wakeAt: Math.min(d.at, soonestDeadline) };
    }
    const batch: T[] = [first];
    let rows = first.rows;
    this.head++;
    while (this.head < this.items.length) {
      const next = this.items[this.head]!;
      if (rows + next.rows > d.rows) break;
      batch.push(next);
      rows += next.rows;
      this.head++;
    }
    this.queuedRows -= rows;
    this.compact();
    return { batch, expired, wakeAt: this.length > 0 ? now : undefined };
  }

  /** Removes and returns every waiting request (on shutdown). */
  drain(): T[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.queuedRows = 0;
    return out;
  }

  private expire(now: number): T[] {
    let expired: T[] | undefined;
    for (let i = this.head; i < this.items.length; i++) {
      if (this.items[i]!.deadline <= now) (expired ??= []).push(this.items[i]!);
    }
    if (!expired) return [];
    const gone = new Set(expired);
    this.items = this.items.slice(this.head).filter((x) => !gone.has(x));
    this.head = 0;
    for (const x of expired) this.queuedRows -= x.rows;
    return expired;
  }

  private soonestDeadline(): number {
    let d = Infinity;
    for (let i = this.head; i < this.items.length; i++) d = Math.min(d, this.items[i]!.deadline);
    return d;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
