import { z } from 'zod';
import type { BatchDecision, BatchPolicy, QueueView } from './policy.js';

/** Config of {@link DynamicBatching} (Triton's dynamic batcher). */
export const DynamicBatchingSchema = z
  .object({
    /** Largest batch, rows. */
    maxBatchSize: z.number().int().min(1).max(65_536).default(64),
    /** Longest the oldest request waits for a fuller batch, ms (0 = run what is there). */
    maxQueueDelayMs: z.number().min(0).max(60_000).default(0),
    /** Batch sizes to run as soon as they can be formed, without waiting. */
    preferredBatchSizes: z.array(z.number().int().min(1)).default([]),
  })
  .strict();

/** The config of {@link DynamicBatching}. */
export type DynamicBatchingConfig = z.input<typeof DynamicBatchingSchema>;

/**
 * Dynamic batching like Triton's: run `maxBatchSize` rows as soon as that many wait; else run the
 * largest preferred size that can be formed; else wait until the oldest request has waited
 * `maxQueueDelayMs`, then run what is there. With the default delay of 0 it runs whatever waits
 * whenever a worker frees up (batches grow with load on their own).
 */
export class DynamicBatching implements BatchPolicy {
  readonly kind = 'dynamic';
  readonly maxBatchSize: number;
  readonly maxQueueDelayMs: number;
  private readonly preferred: readonly number[];

  constructor(config: DynamicBatchingConfig = {}) {
    const c = DynamicBatchingSchema.parse(config);
    this.maxBatchSize = c.maxBatchSize;
    this.maxQueueDelayMs = c.maxQueueDelayMs;
    this.preferred = [...new Set(c.preferredBatchSizes.filter((p) => p <= c.maxBatchSize))].sort(
      (a, b) => b - a,
    );
  }

  decide(q: QueueView): BatchDecision {
    if (q.rows >= this.maxBatchSize) return { kind: 'flush', rows: this.maxBatchSize };
    const pref = this.preferred.find((p) => p <= q.rows);
    if (pref !== undefined) return { kind: 'flush', rows: pref };
    const due = q.oldestAt + this.maxQueueDelayMs;
    if (q.now >= due) return { kind: 'flush', rows: Math.min(q.rows, this.maxBatchSize) };
    return { kind: 'wait', at: due };
  }

  toConfig() {
    return {
      maxBatchSize: this.maxBatchSize,
      maxQueueDelayMs: this.maxQueueDelayMs,
      preferredBatchSizes: [...this.preferred].reverse(),
    };
  }
}
