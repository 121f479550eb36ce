import { MortarError } from '../errors.js';
import { Rng } from '../rng.js';
import type { RecordBatch } from './batch.js';
import { concatBatches } from './concat.js';
import type { Schema } from './types.js';

interface Slot {
  /** Global row index in the stream. */
  index: number;
  /** A batch holding the kept rows of one input batch, and this row's position in it. */
  batch: RecordBatch;
  pos: number;
}

/**
 * A seeded uniform sample of `k` rows without replacement from a stream of batches, in one pass
 * and O(k) memory (reservoir sampling, Li's Algorithm L: it draws O(k log(n/k)) random numbers,
 * skipping rows in between). Same seed + same input gives the same rows; `result()` returns them
 * in input order.
 *
 * @example
 * const r = new Reservoir(1000, 42);
 * for await (const b of readBatches('big.parquet')) r.offer(b);
 * const sample = r.result();
 */
export class Reservoir {
  private readonly rng: Rng;
  private readonly slots: Slot[] = [];
  private seen = 0;
  private next = 0;
  private w = 0;
  private schema: Schema | undefined;

  constructor(
    readonly k: number,
    seed: number,
  ) {
    if (!Number.isInteger(k) || k < 0) {
      throw new MortarError('INVALID_ARGUMENT', `sample size must be an integer >= 0, got ${k}`);
    }
    this.rng = new Rng(seed);
  }

  /** A uniform draw in the open interval (0, 1). */
  private u(): number {
    return (this.rng.nextUint32() + 0.5) / 4294967296;
  }

  private skip(): void {
    this.w *= Math.exp(Math.log(this.u()) / this.k);
    this.next += Math.floor(Math.log(this.u()) / Math.log(1 - this.w)) + 1;
  }

  /** Rows seen so far. */
  get rowsSeen(): number {
    return this.seen;
  }

  /** Feeds the next batch of the stream. */
  offer(batch: RecordBatch): void {
    this.schema ??= batch.schema;
    const base = this.seen;
    const end = base + batch.numRows;
    this.seen = end;
    if (this.k === 0) return;
    const picks: number[] = []; // positions in this batch
    const targets: number[] = []; // slot index each pick goes to (-1: append)
    let i = base;
    while (this.slots.length + picks.length < this.k && i < end) {
      picks.push(i - base);
      targets.push(-1);
      i++;
    }
    if (this.slots.length + picks.length === this.k && this.w === 0) {
      // Reservoir just filled: start Algorithm L.
      this.w = Math.exp(Math.log(this.u()) / this.k);
      this.next = this.k - 1;
      this.next += Math.floor(Math.log(this.u()) / Math.log(1 - this.w)) + 1;
    }
    while (this.w !== 0 && this.next < end) {
      if (this.next >= i) {
        picks.push(this.next - base);
        targets.push(Math.floor(this.u() * this.k));
      }
      this.skip();
    }
    if (picks.length === 0) return;
    const kept = batch.take(picks);
    picks.forEach((p, j) => {
      const slot: Slot = { index: base + p, batch: kept, pos: j };
      const t = targets[j] as number;
      if (t < 0) this.slots.push(slot);
      else this.slots[t] = slot;
    });
  }

  /** The sample, in input order (fewer than k rows when the stream was shorter). */
  result(schema?: Schema): RecordBatch {
    const s = schema ?? this.schema;
    if (!s)
      throw new MortarError(
        'FAILED_PRECONDITION',
        'Reservoir.result: no batch was offered and no schema given',
      );
    const sorted = [...this.slots].sort((a, b) => a.index - b.index);
    const parts: RecordBatch[] = [];
    for (let i = 0; i < sorted.length;) {
      const b = (sorted[i] as Slot).batch;
      const pos: number[] = [];
      while (i < sorted.length && (sorted[i] as Slot).batch === b)
        pos.push((sorted[i++] as Slot).pos);
      parts.push(b.take(pos));
    }
    return concatBatches(s, parts);
  }
}
