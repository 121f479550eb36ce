import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { DenseMatrix } from './dense.js';
import { type LogregModel, logisticRegression } from './logreg.js';
import { CsrMatrix } from './sparse.js';

function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const p = 6;
  const w = [1.5, -2, 0, 0.5, 0, 1];
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = -0.3;
    for (let j = 0; j < p; j++) {
      const v = rng.float() < 0.4 ? 0 : rng.normal();
      x[i * p + j] = v;
      s += w[j]! * v;
    }
    y[i] = rng.float() < 1 / (1 + Math.exp(-s)) ? 1 : -1;
  }
  return { x: new DenseMatrix(n, p, x), y, w };
}

describe('logistic regression (L-BFGS)', () => {
  const { x, y, w } = data(3000, 2);

  it('recovers the generating weights approximately and classifies well', async () => {
    const m = (await logisticRegression.fit({ kind: 'features', x, y }, { C: 100 })) as LogregModel;
    for (let j = 0; j < w.length; j++) expect(Math.abs(m.coef[j]! - w[j]!)).toBeLessThan(0.2);
    expect(m.classes).toEqual([-1, 1]);
    const ev = m.evaluate({ kind: 'features', x, y });
    expect(ev.accuracy).toBeGreaterThan(0.75);
    expect(ev.auc).toBeGreaterThan(0.85);
  });

  it('dense and CSR inputs give the same model', async () => {
    const a = (await logisticRegression.fit({ kind: 'features', x, y }, {})) as LogregModel;
    const b = (await logisticRegression.fit(
      { kind: 'features', x: CsrMatrix.fromDense(x.rows, x.cols, x.data), y },
      {},
    )) as LogregModel;
    for (let j = 0; j < w.length; j++) expect(b.coef[j]).toBeCloseTo(a.coef[j]!, 10);
  });

  it('reports cost-sensitive metrics when costs are configured', async () => {
    const m = await logisticRegression.fit(
      { kind: 'features', x, y },
      { costs: { falsePositive: 1, falseNegative: 10 } },
    );
    const ev = m.evaluate({ kind: 'features', x, y });
    expect(ev.minCost).toBeLessThanOrEqual(ev.cost!);
    expect(ev.minCostThreshold).toBeLessThan(0.5); // expensive misses push the threshold down
  });

  it('reports validation metrics once per L-BFGS iteration', async () => {
    const epochs: number[] = [];
    let last: Record<string, number> = {};
    await logisticRegression.fit(
      { kind: 'features', x, y },
      { epochs: 8 },
      {
        validation: { kind: 'features', x, y },
        onEpoch: (e) => {
          epochs.push(e.epoch);
          last = { ...e.metrics };
        },
      },
    );
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(last.val_accuracy).toBeGreaterThan(0.7);
  });

  it('refuses non-binary labels and foreign labels at evaluation', async () => {
    const y3 = Float64Array.from(y, (v, i) => (i % 3 === 0 ? 2 : v));
    await expect(logisticRegression.fit({ kind: 'features', x, y: y3 }, {})).rejects.toThrow(
      /exactly two values/,
    );
    const m = await logisticRegression.fit({ kind: 'features', x, y }, { epochs: 5 });
    expect(() => m.evaluate({ kind: 'features', x, y: y3 })).toThrow(
      /label 2 at row 0 is neither -1 nor 1/,
    );
  });
});
