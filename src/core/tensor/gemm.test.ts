import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { loadEngine, type Engine } from './engine.js';
import { gemm } from './gemm.js';
import { refBiasAct, refGemm } from './reference.js';
import type { Activation } from './activation.js';
import { compareArrays, dot, numericGradient, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

/** Runs the engine's gemm and the reference on the same random inputs; returns both C's. */
function both(
  rng: Rng,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
  alpha: number,
  beta: number,
) {
  const aShape = ta ? [k, m] : [m, k];
  const bShape = tb ? [n, k] : [k, n];
  const av = randomArray(rng, m * k);
  const bv = randomArray(rng, k * n);
  const cv = randomArray(rng, m * n);
  return e.scope(() => {
    const a = e.fromArray(av, aShape);
    const b = e.fromArray(bv, bShape);
    const c = e.fromArray(cv, [m, n]);
    gemm(a, b, c, ta, tb, alpha, beta);
    const want = Float64Array.from(cv);
    refGemm(
      ta,
      tb,
      m,
      n,
      k,
      alpha,
      av,
      aShape[1] as number,
      bv,
      bShape[1] as number,
      beta,
      want,
      n,
    );
    return { got: c.toArray(), want };
  });
}

describe('gemm', () => {
  const rng = new Rng(1);
  // Odd sizes, sizes straddling the 4x8 register tile and the MC=128 / KC=256 / NC=2048 blocks.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 8, 16],
    [5, 9, 3],
    [17, 31, 13],
    [64, 64, 64],
    [129, 33, 257],
    [7, 2049, 300],
    [131, 12, 513],
  ];
  for (const [m, n, k] of shapes) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        it(`matches the reference for ${m}x${n}x${k} transA=${ta} transB=${tb}`, () => {
          const { got, want } = both(rng, m, n, k, ta, tb, 1, 0);
          expect(compareArrays(got, want, 2e-6 * k, 1e-5)).toBeNull();
        });
      }
    }
  }

  it('applies alpha and beta (and beta = 0 ignores NaN in C)', () => {
    const { got, want } = both(rng, 13, 10, 9, false, true, -0.75, 0.5);
    expect(compareArrays(got, want, 1e-5, 1e-5)).toBeNull();
    e.scope(() => {
      const a = e.fromArray([1, 2], [1, 2]);
      const b = e.fromArray([3, 4], [2, 1]);
      const c = e.fromArray([NaN], [1, 1]);
      gemm(a, b, c);
      expect([...c.data]).toEqual([11]);
      gemm(a, b, c, false, false, 0, 2);
      expect([...c.data]).toEqual([22]);
    });
  });

  for (const [m, n, k] of [
    [5, 7, 3],
    [130, 19, 300],
    [6, 2051, 9],
    [3, 4, 0],
  ] as const) {
    for (const activation of ['relu', 'gelu', 'sigmoid'] as Activation[]) {
      it(`fuses bias + ${activation} once, after the last K block, at ${m}x${n}x${k}`, () => {
        const av = randomArray(rng, m * k);
        const bv = randomArray(rng, k * n);
        const cv = randomArray(rng, m * n);
        const bias = randomArray(rng, n);
        const want = Float64Array.from(cv);
        refGemm(true, false, m, n, k, 0.5, av, m, bv, n, 0.25, want, n);
        refBiasAct(Float64Array.from(want), bias, want, m, n, activation);
        e.scope(() => {
          const c = e.fromArray(cv, [m, n]);
          gemm(e.fromArray(av, [k, m]), e.fromArray(bv, [k, n]), c, true, false, 0.5, 0.25, {
            bias: e.fromArray(bias),
            activation,
          });
          expect(compareArrays(c.data, want, 2e-6 * (k + 1), 1e-5)).toBeNull();
        });
      });
    }
  }

  it('handles empty dimensions (k = 0 gives beta * C)', () => {
    e.scope(() => {
      const a = e.zeros([2, 0]);
      const b = e.zeros([0, 3]);
      const c = e.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
      gemm(a, b, c, false, false, 1, 0.5);
      expect([...c.data]).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    });
  });

  it('gives the gradients of sum(R * A B) by finite differences', () => {
    const [m, n, k] = [3, 4, 5];
    const av = randomArray(rng, m * k);
    const bv = randomArray(rng, k * n);
    const r = randomArray(rng, m * n);
    const loss = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      const c = new Float64Array(m * n);
      refGemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
      return dot(r, c);
    };
    const fdA = numericGradient((a) => loss(a, bv), Float64Array.from(av));
    const fdB = numericGradient((b) => loss(av, b), Float64Array.from(bv));
    e.scope(() => {
      const a = e.fromArray(av, [m, k]);
      const b = e.fromArray(bv, [k, n]);
      const dc = e.fromArray(r, [m, n]);
      const da = e.empty([m, k]);
      const db = e.empty([k, n]);
      gemm(dc, b, da, false, true); // dA = dC B^T
      gemm(a, dc, db, true, false); // dB = A^T dC
      expect(compareArrays(da.data, fdA, 1e-5, 1e-5)).toBeNull();
      expect(compareArrays(db.data, fdB, 1e-5, 1e-5)).toBeNull();
    });
  });

  it('rejects mismatched shapes with INVALID_ARGUMENT naming them', () => {
    e.scope(() => {
      const a = e.zeros([2, 3]);
      const b = e.zeros([4, 5]);
      const c = e.zeros([2, 5]);
      const cases: [() => void, RegExp][] = [
        [
          () => gemm(a, b, c),
          /inner dimensions differ: op\(A\) \[2,3\] from A \[2,3\], op\(B\) \[4,5\] from B \[4,5\]/,
        ],
        [() => gemm(a, e.zeros([3, 5]), e.zeros([5, 2])), /C has shape \[5,2\], expected \[2,5\]/],
        [() => gemm(e.zeros([6]), b, c), /A must have rank 2, got shape \[6\]/],
        [
          () => gemm(a, a, e.zeros([2, 2]), false, true, Number.NaN),
          /alpha must be a finite number/,
        ],
        [
          () => gemm(a, e.zeros([3, 3]), a.view(0, [2, 3])),
          /C \[2,3\] overlaps A \[2,3\] in memory/,
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

  it('refuses tensors from another engine', async () => {
    const other = await loadEngine();
    const a = e.zeros([1, 1]);
    expect(() => gemm(a, other.zeros([1, 1]), e.zeros([1, 1]))).toThrow(/different engines/);
  });
});
