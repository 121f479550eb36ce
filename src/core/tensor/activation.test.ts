import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { biasActivation, biasActivationBackward, type Activation } from './activation.js';
import { loadEngine, type Engine } from './engine.js';
import { refBiasAct, refBiasActBackward } from './reference.js';
import { compareArrays, dot, numericGradient, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

const ACTS: Activation[] = ['none', 'relu', 'gelu', 'tanh', 'sigmoid'];

describe('biasActivation', () => {
  const rng = new Rng(2);
  for (const act of ACTS) {
    for (const [rows, cols] of [
      [1, 1],
      [3, 7],
      [5, 16],
      [4, 33],
    ] as const) {
      for (const withBias of [true, false]) {
        it(`${act} forward/backward match the reference at ${rows}x${cols} bias=${withBias}`, () => {
          const xv = randomArray(rng, rows * cols, -4, 4);
          const bv = withBias ? randomArray(rng, cols) : null;
          const dyv = randomArray(rng, rows * cols);
          const y = new Float64Array(rows * cols);
          const dx = new Float64Array(rows * cols);
          const db = new Float64Array(cols);
          refBiasAct(xv, bv, y, rows, cols, act);
          refBiasActBackward(xv, bv, dyv, dx, db, rows, cols, act);
          e.scope(() => {
            const x = e.fromArray(xv, [rows, cols]);
            const b = bv ? e.fromArray(bv) : null;
            const yt = e.empty([rows, cols]);
            biasActivation(x, b, yt, act);
            expect(compareArrays(yt.data, y, 2e-6, 2e-6)).toBeNull();
            const dy = e.fromArray(dyv, [rows, cols]);
            const dxt = e.empty([rows, cols]);
            const dbt = e.empty([cols]);
            biasActivationBackward(x, b, dy, dxt, dbt, act);
            expect(compareArrays(dxt.data, dx, 2e-6, 2e-6)).toBeNull();
            expect(compareArrays(dbt.data, db, 1e-5, 1e-5)).toBeNull();
          });
        });
      }
    }

    it(`${act}: reference backward equals finite differences (float64)`, () => {
      const [rows, cols] = [3, 5];
      const xv = Float64Array.from(randomArray(rng, rows * cols, -3, 3));
      const bv = Float64Array.from(randomArray(rng, cols));
      const r = randomArray(rng, rows * cols);
      const loss = (x: ArrayLike<number>, b: ArrayLike<number>) => {
        const y = new Float64Array(rows * cols);
        refBiasAct(x, b, y, rows, cols, act);
        return dot(r, y);
      };
      const dx = new Float64Array(rows * cols);
      const db = new Float64Array(cols);
      refBiasActBackward(xv, bv, r, dx, db, rows, cols, act);
      expect(
        compareArrays(
          dx,
          numericGradient((x) => loss(x, bv), xv),
          1e-7,
          1e-6,
        ),
      ).toBeNull();
      expect(
        compareArrays(
          db,
          numericGradient((b) => loss(xv, b), bv),
          1e-7,
          1e-6,
        ),
      ).toBeNull();
    });
  }

  it('works in place, on any rank, and handles extremes', () => {
    e.scope(() => {
      const x = e.fromArray([-100, -1, 0, 1, 100, 1e-3], [1, 2, 3]);
      biasActivation(x, null, x, 'sigmoid');
      const want = new Float64Array(6);
      refBiasAct([-100, -1, 0, 1, 100, 1e-3], null, want, 2, 3, 'sigmoid');
      expect(compareArrays(x.data, want, 1e-7, 1e-6)).toBeNull();
      const t = e.fromArray([-50, -0.5, 0, 0.5, 50]);
      biasActivation(t, null, t, 'tanh');
      expect(compareArrays(t.data, [-1, Math.tanh(-0.5), 0, Math.tanh(0.5), 1], 1e-7)).toBeNull();
      const n = e.fromArray([Number.NaN, 1]);
      biasActivation(n, null, n, 'gelu');
      expect(Number.isNaN(n.data[0])).toBe(true);
    });
  });

  it('rejects mismatched shapes and unknown activations with INVALID_ARGUMENT', () => {
    e.scope(() => {
      const x = e.zeros([2, 3]);
      const cases: [() => void, RegExp][] = [
        [
          () => biasActivation(x, e.zeros([2]), x, 'relu'),
          /bias has shape \[2\], expected \[3\] \(last axis of x \[2,3\]\)/,
        ],
        [
          () => biasActivation(x, null, e.zeros([3, 2]), 'relu'),
          /y has shape \[3,2\], expected x's shape \[2,3\]/,
        ],
        [() => biasActivation(x, null, x, 'swish' as Activation), /unknown activation "swish"/],
        [
          () => biasActivationBackward(x, null, x, x, e.zeros([4]), 'relu'),
          /dbias has shape \[4\], expected \[3\]/,
        ],
      ];
      for (const [f, msg] of cases) {
        try {
          f();
          expect.unreachable();
        } catch (err) {
          expect(isMortarError(err, 'INVALID_ARGUMENT')).toBe(true);
          expect((err as Error).message).toMatch(msg);
        }
      }
    });
  });
});
