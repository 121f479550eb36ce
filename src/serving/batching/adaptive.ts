import { z } from 'zod';
import type { BatchDecision, BatchOutcome, BatchPolicy, QueueView } from './policy.js';

/** Config of {@link AdaptiveBatching} (Clipper's AIMD). */
export const AdaptiveBatchingSchema = z
  .object({
    /** The tail-latency objective, ms: batches whose slowest request exceeds it shrink the limit. */
    objectiveMs: z.number().positive().max(600_000).default(50),
    /** Starting batch-size limit. */
    initialBatchSize: z.number().int().min(1).default(1),
    /** Hard cap on the limit. */
    maxBatchSize: z.number().int().min(1).max(65_536).default(256),
    /** Rows added to the limit after a full batch that met the objective. */
    increase: z.number().int().min(1).default(2),
    /** Factor applied to the limit after a batch that missed the objective (Clipper: 0.9). */
    decrease: z.number().gt(0).lt(1).default(0.9),
    /** Longest the oldest request waits for a fuller batch, ms. */
    maxQueueDelayMs: z.number().min(0).max(60_000).default(0),
  })
  .strict();

/** The config of {@link AdaptiveBatching}. */
export type AdaptiveBatchingConfig = z.input<typeof AdaptiveBatchingSchema>;

/**
 * SLO-adaptive batching (AIMD, as in Clipper): the batch-size limit grows additively while full
 * batches keep their slowest request under the objective, and shrinks multiplicatively as soon
 * as one does not. Batches are flushed like {@link DynamicBatching} with the current limit.
 */
export class AdaptiveBatching implements BatchPolicy {
  readonly kind = 'adaptive';
  private readonly c: z.output<typeof AdaptiveBatchingSchema>;
  private limit: number;

  constructor(config: AdaptiveBatchingConfig = {}) {
    this.c = AdaptiveBatchingSchema.parse(config);
    this.limit = Math.min(this.c.initialBatchSize, this.c.maxBatchSize);
  }

  get maxBatchSize(): number {
    return this.limit;
  }

  decide(q: QueueView): BatchDecision {
    if (q.rows >= this.limit) return { kind: 'flush', rows: this.limit };
    const due = q.oldestAt + this.c.maxQueueDelayMs;
    if (q.now >= due) return { kind: 'flush', rows: q.rows };
    return { kind: 'wait', at: due };
  }

  observe(o: BatchOutcome): void {
    if (o.worstLatencyMs > this.c.objectiveMs) {
      this.limit = Math.max(1, Math.floor(this.limit * this.c.decrease));
    } else if (o.rows >= this.limit) {
      this.limit = Math.min(this.c.maxBatchSize, this.limit + this.c.increase);
    }
  }

  toConfig() {
    return { ...this.c, initialBatchSize: this.c.initialBatchSize };
  }
}
