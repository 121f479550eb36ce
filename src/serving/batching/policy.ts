import type { JsonValue } from '../../core/json.js';

/** What a {@link BatchPolicy} sees when asked to decide. Times are monotonic milliseconds. */
export interface QueueView {
  /** Rows waiting (a request may carry several rows). Always >= 1 when `decide` is called. */
  readonly rows: number;
  /** When the oldest waiting request was enqueued. */
  readonly oldestAt: number;
  /** The current time. */
  readonly now: number;
}

/** Run a batch of up to `rows` rows now, or ask again at `at` (or when more work arrives). */
export type BatchDecision =
  | { readonly kind: 'flush'; readonly rows: number }
  | { readonly kind: 'wait'; readonly at: number };

/** What happened to a batch, reported after it ran. */
export interface BatchOutcome {
  /** Rows in the batch. */
  readonly rows: number;
  /** Time the model took for the batch, ms. */
  readonly serviceMs: number;
  /** The largest enqueue-to-answer latency of the batch's requests, ms. */
  readonly worstLatencyMs: number;
}

/**
 * Decides when queued requests run as one batch and how large it is. Pure decision logic: no
 * timers, no clock of its own (time arrives in {@link QueueView.now}), so it is tested step by
 * step; the runner that owns timers and workers wraps it.
 *
 * Contract:
 * - `decide` is called only when at least one row waits and a worker is free to run a batch.
 *   A `flush` of `rows` means: run the oldest requests whose rows add up to at most `rows`
 *   (at least one request, even if it alone is larger). A `wait` must name a time `at > now`;
 *   the runner asks again at `at` or when a request arrives, whichever is first.
 * - `observe` is called once per finished batch, in completion order (optional hook).
 * - `maxBatchSize` bounds every flush and may change only through `observe`.
 * - Not thread-safe; one policy instance serves one model version.
 */
export interface BatchPolicy {
  readonly kind: string;
  /** The largest batch the policy will ask for right now. */
  readonly maxBatchSize: number;
  decide(q: QueueView): BatchDecision;
  observe?(o: BatchOutcome): void;
  /** The JSON config that rebuilds this policy (its registry kind is `kind`). */
  toConfig(): JsonValue;
}
