import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { rmse } from '../metrics.js';
import { type MfModel, matrixFactorization } from './mf.js';

// Ratings from a known rank-2 model plus biases; held-out pairs come from the same model.
function lowRank(seed: number) {
  const rng = new Rng(seed);
  const U = 60;
  const I = 80;
  const pu = Array.from({ length: U }, () => [rng.normal(), rng.normal()]);
  const qi = Array.from({ length: I }, () => [rng.normal(), rng.normal()]);
  const r = (u: number, i: number): number =>
    3 + 0.5 * (pu[u]![0]! * qi[i]![0]! + pu[u]![1]! * qi[i]![1]!);
  const make = (n: number) => {
    const users: number[] = [];
    const items: number[] = [];
    const ratings: number[] = [];
    for (let k = 0; k < n; k++) {
      const u = rng.int(0, U - 1);
      const i = rng.int(0, I - 1);
      users.push(u + 1000);
      items.push(i);
      ratings.push(r(u, i) + 0.1 * rng.normal());
    }
    return { kind: 'ratings' as const, users, items, ratings };
  };
  return { train: make(2400), test: make(400) };
}

describe('matrix factorization (SGD with biases)', () => {
  const { train, test } = lowRank(5);

  it('learns a low-rank structure far better than the global mean', async () => {
    const m = await matrixFactorization.fit(train, {
      rank: 4,
      epochs: 60,
      learningRate: 0.02,
      regularization: 0.02,
      clip: false,
      seed: 1,
    });
    const mean = train.ratings.reduce((a, b) => a + b, 0) / train.ratings.length;
    const base = rmse(
      test.ratings,
      test.ratings.map(() => mean),
    );
    const got = m.evaluate(test).rmse!;
    expect(got).toBeLessThan(0.6 * base);
  });

  it('falls back to biases for unknown users and items, and clips to the training range', async () => {
    const m = (await matrixFactorization.fit(train, { rank: 2, epochs: 5, seed: 1 })) as MfModel;
    const [unknownBoth, unknownUser] = m.predict({
      kind: 'ratings',
      users: [-1, -1],
      items: [-1, 3],
    });
    expect(unknownBoth).toBeCloseTo(m.state.mean, 12);
    expect(unknownUser).toBeCloseTo(m.state.mean + m.state.itemBias[m.state.itemIds.get(3)]!, 12);
    const p = m.predict(test);
    expect(Math.min(...p)).toBeGreaterThanOrEqual(m.state.min);
    expect(Math.max(...p)).toBeLessThanOrEqual(m.state.max);
  });

  it('accepts string ids and validates shapes and NaN', async () => {
    const s = {
      kind: 'ratings' as const,
      users: ['a', 'b', 'a'],
      items: ['x', 'x', 'y'],
      ratings: [5, 3, 4],
    };
    const m = await matrixFactorization.fit(s, { rank: 2, epochs: 2 });
    expect(m.predict({ kind: 'ratings', users: ['a'], items: ['y'] }).length).toBe(1);
    await expect(matrixFactorization.fit({ ...s, items: ['x'] }, {})).rejects.toThrow(
      /items has 1 entries but users has 3/,
    );
    await expect(matrixFactorization.fit({ ...s, ratings: [5, NaN, 4] }, {})).rejects.toThrow(
      /row 1/,
    );
    const dropped = await matrixFactorization.fit(
      { ...s, ratings: [5, NaN, 4] },
      { nan: 'drop', epochs: 1 },
    );
    expect((dropped as MfModel).state.userIds.size).toBe(1);
    await expect(
      matrixFactorization.fit({ kind: 'ratings', users: [1], items: [1] }, {}),
    ).rejects.toThrow(/no ratings \(the label column\)/);
  });
});

describe('Hogwild matrix factorization (worker threads over SharedArrayBuffer)', () => {
  const { train, test } = lowRank(5);
  it('with 2 threads learns as well as the serial run (within a small margin)', async () => {
    const cfg = {
      rank: 4,
      epochs: 60,
      learningRate: 0.02,
      regularization: 0.02,
      clip: false,
      seed: 1,
    };
    const serial = (await matrixFactorization.fit(train, cfg)).evaluate(test).rmse!;
    const epochs: number[] = [];
    const hog = await matrixFactorization.fit(
      train,
      { ...cfg, threads: 2 },
      { onEpoch: (e) => void epochs.push(e.epoch) },
    );
    expect(epochs.length).toBe(60);
    expect(hog.evaluate(test).rmse!).toBeLessThan(serial * 1.1);
    // the returned model no longer holds shared memory and serializes like any other
    expect((hog as MfModel).state.p.buffer).toBeInstanceOf(ArrayBuffer);
    expect(JSON.parse(JSON.stringify(hog.toJSON())).kind).toBe('mf');
  });
});
