import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { batchPolicyConformance } from '../../testing/batch-policy-conformance.js';
import { AdaptiveBatching } from './adaptive.js';
import { DynamicBatching } from './dynamic.js';
import { BatchQueue } from './queue.js';

batchPolicyConformance('dynamic (defaults)', () => new DynamicBatching());
batchPolicyConformance(
  'dynamic (delay, preferred)',
  () => new DynamicBatching({ maxBatchSize: 8, maxQueueDelayMs: 5, preferredBatchSizes: [4, 2] }),
);
batchPolicyConformance(
  'adaptive',
  () => new AdaptiveBatching({ objectiveMs: 20, maxBatchSize: 16 }),
);

describe('DynamicBatching', () => {
  it('flushes full batches at once, preferred sizes without waiting, the rest after the delay', () => {
    const p = new DynamicBatching({
      maxBatchSize: 8,
      maxQueueDelayMs: 5,
      preferredBatchSizes: [4],
    });
    expect(p.decide({ rows: 9, oldestAt: 0, now: 0 })).toEqual({ kind: 'flush', rows: 8 });
    expect(p.decide({ rows: 5, oldestAt: 0, now: 0 })).toEqual({ kind: 'flush', rows: 4 });
    expect(p.decide({ rows: 3, oldestAt: 10, now: 12 })).toEqual({ kind: 'wait', at: 15 });
    expect(p.decide({ rows: 3, oldestAt: 10, now: 15 })).toEqual({ kind: 'flush', rows: 3 });
  });
});

describe('AdaptiveBatching (AIMD)', () => {
  it('grows additively on full batches under the objective and backs off by 10% when over', () => {
    const p = new AdaptiveBatching({
      objectiveMs: 50,
      initialBatchSize: 1,
      increase: 2,
      maxBatchSize: 10,
    });
    expect(p.maxBatchSize).toBe(1);
    p.observe({ rows: 1, serviceMs: 1, worstLatencyMs: 10 });
    expect(p.maxBatchSize).toBe(3);
    p.observe({ rows: 2, serviceMs: 1, worstLatencyMs: 10 }); // not full: no growth
    expect(p.maxBatchSize).toBe(3);
    for (let i = 0; i < 10; i++)
      p.observe({ rows: p.maxBatchSize, serviceMs: 1, worstLatencyMs: 10 });
    expect(p.maxBatchSize).toBe(10); // capped
    p.observe({ rows: 10, serviceMs: 60, worstLatencyMs: 60 });
    expect(p.maxBatchSize).toBe(9);
    p.observe({ rows: 9, serviceMs: 60, worstLatencyMs: 60 });
    expect(p.maxBatchSize).toBe(8);
    expect(p.decide({ rows: 20, oldestAt: 0, now: 0 })).toEqual({ kind: 'flush', rows: 8 });
  });
});

describe('BatchQueue under a manual clock', () => {
  type Item = { rows: number; enqueuedAt: number; deadline: number; id: string };
  it('waits for the delay, then runs what is there; expires late requests', () => {
    const clock = new ManualClock(0);
    const q = new BatchQueue<Item>(
      new DynamicBatching({ maxBatchSize: 4, maxQueueDelayMs: 10 }),
      100,
    );
    q.push({ rows: 1, enqueuedAt: 0, deadline: 1000, id: 'a' });
    q.push({ rows: 1, enqueuedAt: 0, deadline: 5, id: 'late' });
    let r = q.poll(clock.monotonic(), true);
    expect(r.batch).toEqual([]);
    expect(r.wakeAt).toBe(5); // the sooner of the delay (10) and a deadline (5)
    clock.advance(5);
    r = q.poll(clock.monotonic(), true);
    expect(r.expired.map((x) => x.id)).toEqual(['late']);
    expect(r.wakeAt).toBe(10);
    clock.advance(2);
    q.push({ rows: 2, enqueuedAt: 7, deadline: 1000, id: 'b' });
    q.push({ rows: 2, enqueuedAt: 7, deadline: 1000, id: 'c' });
    r = q.poll(clock.monotonic(), true);
    // 5 rows wait: a full batch of at most 4 rows runs now: a (1) + b (2); c would make 5.
    expect(r.batch.map((x) => x.id)).toEqual(['a', 'b']);
    r = q.poll(clock.monotonic(), false);
    expect(r.batch).toEqual([]); // no free worker
    clock.advance(10);
    r = q.poll(clock.monotonic(), true);
    expect(r.batch.map((x) => x.id)).toEqual(['c']);
    expect(q.length).toBe(0);
  });

  it('refuses work beyond its bound with RESOURCE_EXHAUSTED and a retry estimate', () => {
    const q = new BatchQueue<Item>(new DynamicBatching(), 3);
    q.push({ rows: 2, enqueuedAt: 0, deadline: 1e9, id: 'a' });
    q.push({ rows: 1, enqueuedAt: 0, deadline: 1e9, id: 'b' });
    try {
      q.push({ rows: 1, enqueuedAt: 0, deadline: 1e9, id: 'c' }, 2000);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { retryAfterS: 6 } });
    }
    expect(q.rows).toBe(3);
  });
});
