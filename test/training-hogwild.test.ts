// Hogwild! sparse logistic regression on a slice of real a9a (../shared/data/a9a, read in place):
// deterministic on one thread, and lock-free updates from two threads lose (almost) no accuracy.
import { describe, expect, it } from 'vitest';
import { readLibsvm } from '../src/training/classic/index.js';
import { hogwildLogreg, logregPredict, type SparseRows } from '../src/training/index.js';
import { hasData, SHARED_DATA } from './helpers/classic-data.js';

function head(x: SparseRows, rows: number): SparseRows {
  return { ...x, rows, indptr: x.indptr.subarray(0, rows + 1) };
}

function accuracy(w: Float32Array, x: SparseRows, y: ArrayLike<number>): number {
  const p = logregPredict(w, x);
  let ok = 0;
  for (let i = 0; i < x.rows; i++) if (p[i]! >= 0.5 === (y[i] as number) > 0) ok++;
  return ok / x.rows;
}

describe.skipIf(!hasData('a9a'))('hogwild logistic regression on a9a', () => {
  it('one thread is deterministic; two threads reach the same accuracy', async () => {
    const train = await readLibsvm(`${SHARED_DATA}a9a/a9a`);
    const test = await readLibsvm(`${SHARED_DATA}a9a/a9a.t`, { nFeatures: train.x.cols });
    const xs = head(train.x, 8000);
    const xt = head(test.x, 4000);
    const opts = { epochs: 4, seed: 3 };
    const ys = train.y.subarray(0, 8000);
    const a = await hogwildLogreg(xs, ys, { ...opts, threads: 1 });
    const b = await hogwildLogreg(xs, ys, { ...opts, threads: 1 });
    expect(Array.from(b.w)).toEqual(Array.from(a.w));
    expect(a.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(a.history[3]!.loss).toBeLessThan(a.history[0]!.loss);
    const acc1 = accuracy(a.w, xt, test.y);
    expect(acc1).toBeGreaterThan(0.82);
    const c = await hogwildLogreg(xs, ys, { ...opts, threads: 2 });
    const acc2 = accuracy(c.w, xt, test.y);
    expect(acc2).toBeGreaterThan(acc1 - 0.01);
  });

  it('bad arguments are INVALID_ARGUMENT', async () => {
    const x: SparseRows = {
      rows: 1,
      cols: 1,
      indptr: Int32Array.from([0, 1]),
      indices: Int32Array.from([0]),
      values: Float64Array.from([1]),
    };
    await expect(hogwildLogreg(x, [1, 0], { threads: 1, epochs: 1, seed: 1 })).rejects.toThrow(
      /2 labels for 1 rows/,
    );
    await expect(hogwildLogreg(x, [1], { threads: 0, epochs: 1, seed: 1 })).rejects.toThrow(
      /threads must be an integer >= 1/,
    );
  });
});
