import { describe, expect, it } from 'vitest';
import { lbfgs } from './lbfgs.js';

describe('L-BFGS', () => {
  it('minimizes the Rosenbrock function to (1, 1)', () => {
    const r = lbfgs(
      (x, g) => {
        const a = x[0]!;
        const b = x[1]!;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      new Float64Array([-1.2, 1]),
      { maxIter: 500, gtol: 1e-8 },
    );
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it('solves a quadratic exactly and stops when asked', () => {
    const q = (x: Float64Array, g: Float64Array): number => {
      g[0] = 2 * (x[0]! - 3);
      g[1] = 8 * (x[1]! + 1);
      return (x[0]! - 3) ** 2 + 4 * (x[1]! + 1) ** 2;
    };
    const r = lbfgs(q, new Float64Array(2));
    expect(r.x[0]).toBeCloseTo(3, 6);
    expect(r.x[1]).toBeCloseTo(-1, 6);
    expect(lbfgs(q, new Float64Array(2), { onIter: () => false }).iterations).toBe(1);
  });
});
