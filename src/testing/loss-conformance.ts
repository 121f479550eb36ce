/**
 * Conformance suite for training losses (`Loss` in `mortar/training`): the gradient it writes
 * matches central finite differences of the value it returns, with and without per-row weights,
 * and the output and target are left untouched.
 *
 * @example
 * lossConformance('mse', () => new MseLoss(), { classes: 0, width: 2 });
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { loadEngine, type Engine, type Tensor } from '../core/tensor/index.js';
import type { Loss } from '../training/index.js';

/** Target layout: class indices over `classes` (width = classes), soft distributions, or values. */
export interface LossCase {
  readonly target: 'class' | 'soft' | 'value' | 'binary';
  /** Outputs per row. */
  readonly width: number;
}

/** Runs the suite for one loss configuration. */
export function lossConformance(name: string, create: () => Loss, c: LossCase): void {
  describe(`loss conformance: ${name}`, () => {
    const rows = 5;
    const make = (e: Engine) => {
      const r = new Rng(9);
      const out = e.fromArray(
        Float32Array.from({ length: rows * c.width }, () => r.uniform(-2, 2)),
        [rows, c.width],
      );
      let target: Tensor<'int32'> | Tensor;
      if (c.target === 'class')
        target = e.fromInts(Int32Array.from({ length: rows }, () => r.int(0, c.width - 1)));
      else if (c.target === 'soft') {
        const t = Float32Array.from({ length: rows * c.width }, () => r.float());
        for (let i = 0; i < rows; i++) {
          let s = 0;
          for (let j = 0; j < c.width; j++) s += t[i * c.width + j] as number;
          for (let j = 0; j < c.width; j++) t[i * c.width + j] = (t[i * c.width + j] as number) / s;
        }
        target = e.fromArray(t, [rows, c.width]);
      } else if (c.target === 'binary')
        target = e.fromArray(
          Float32Array.from({ length: rows * c.width }, () => r.int(0, 1)),
          [rows, c.width],
        );
      else
        target = e.fromArray(
          Float32Array.from({ length: rows * c.width }, () => r.uniform(-1, 1)),
          [rows, c.width],
        );
      const weights = e.fromArray(Float32Array.from({ length: rows }, () => r.uniform(0.2, 2)));
      return { out, target, weights };
    };

    for (const weighted of [false, true]) {
      it(`its gradient matches finite differences${weighted ? ' (per-row weights)' : ''}`, async () => {
        const e = await loadEngine();
        const loss = create();
        const { out, target, weights } = make(e);
        const w = weighted ? weights : null;
        const grad = e.empty(out.shape);
        const before = { out: out.toArray(), target: target.toArray() };
        const value = loss.compute(out, target, grad, w);
        expect(Number.isFinite(value)).toBe(true);
        expect(Array.from(out.data)).toEqual(Array.from(before.out));
        expect(Array.from(target.data)).toEqual(Array.from(before.target));
        const g = grad.toArray();
        const eps = 1e-2;
        for (let i = 0; i < out.size; i++) {
          const keep = out.data[i] as number;
          out.data[i] = keep + eps;
          const up = loss.compute(out, target, null, w);
          out.data[i] = keep - eps;
          const down = loss.compute(out, target, null, w);
          out.data[i] = keep;
          const fd = (up - down) / (2 * eps);
          expect(Math.abs((g[i] as number) - fd), `grad[${i}] ${g[i]} vs ${fd}`).toBeLessThan(
            1e-3 + 1e-2 * Math.abs(fd),
          );
        }
        loss.dispose();
      });
    }
  });
}
