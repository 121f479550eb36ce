/**
 * Conformance suite for serving batch policies (`BatchPolicy` in `mortar/serving`): run it
 * against every implementation, with the policy's own config.
 *
 * @example
 * batchPolicyConformance('dynamic', () => new DynamicBatching({ maxBatchSize: 8, maxQueueDelayMs: 5 }));
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { BatchQueue, type BatchPolicy } from '../serving/index.js';

/** Runs the contract of `BatchPolicy` against policies built by `create`. */
export function batchPolicyConformance(name: string, create: () => BatchPolicy): void {
  describe(`BatchPolicy conformance: ${name}`, () => {
    it('flushes at most maxBatchSize rows, and at least one', () => {
      const p = create();
      for (const rows of [1, 2, 7, p.maxBatchSize, p.maxBatchSize * 3 + 1]) {
        const d = p.decide({ rows, oldestAt: 0, now: 1e9 });
        expect(d.kind).toBe('flush');
        if (d.kind === 'flush') {
          expect(d.rows).toBeGreaterThanOrEqual(1);
          expect(d.rows).toBeLessThanOrEqual(Math.max(p.maxBatchSize, 1));
        }
      }
    });

    it('a wait names a time in the future', () => {
      const p = create();
      for (const rows of [1, 2, 3]) {
        const d = p.decide({ rows, oldestAt: 100, now: 100 });
        if (d.kind === 'wait') expect(d.at).toBeGreaterThan(100);
      }
    });

    it('is deterministic for the same inputs', () => {
      const a = create();
      const b = create();
      for (let t = 0; t < 50; t++) {
        const q = { rows: (t % 9) + 1, oldestAt: t * 3, now: t * 4 };
        expect(a.decide(q)).toEqual(b.decide(q));
        a.observe?.({ rows: q.rows, serviceMs: t % 7, worstLatencyMs: (t * 13) % 90 });
        b.observe?.({ rows: q.rows, serviceMs: t % 7, worstLatencyMs: (t * 13) % 90 });
      }
      expect(a.maxBatchSize).toBe(b.maxBatchSize);
    });

    it('drains a queue completely under a manual clock, in FIFO order', () => {
      const clock = new ManualClock(0);
      const q = new BatchQueue<{ rows: number; enqueuedAt: number; deadline: number; id: number }>(
        create(),
        1000,
      );
      for (let i = 0; i < 40; i++)
        q.push({ rows: 1 + (i % 3), enqueuedAt: 0, deadline: Infinity, id: i });
      const seen: number[] = [];
      for (let step = 0; step < 10_000 && q.length > 0; step++) {
        const r = q.poll(clock.monotonic(), true);
        seen.push(...r.batch.map((x) => x.id));
        if (r.batch.length === 0) clock.set(Math.max(clock.monotonic() + 1, r.wakeAt ?? 0));
      }
      expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i));
    });

    it('has a kind and a JSON config', () => {
      const p = create();
      expect(p.kind).toMatch(/^[a-z-]+$/);
      expect(JSON.parse(JSON.stringify(p.toConfig()))).toEqual(p.toConfig());
    });
  });
}
