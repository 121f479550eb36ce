import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { conv2d } from './conv.js';
import { add, axpy, fill, mul, scale } from './elementwise.js';
import { loadEngine, type Engine } from './engine.js';
import { gemm } from './gemm.js';
import {
  refAdd,
  refAxpy,
  refMul,
  refScale,
  refSum,
  refSumAxis0,
  refSumAxis1,
} from './reference.js';
import { sum, sumAxis0, sumAxis1 } from './reduce.js';
import { softmax, softmaxCrossEntropy } from './softmax.js';
import { compareArrays, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

describe('elementwise', () => {
  const rng = new Rng(8);
  for (const n of [1, 3, 4, 5, 31, 1000]) {
    it(`add, mul, scale, axpy, fill match the reference on ${n} elements`, () => {
      const av = randomArray(rng, n);
      const bv = randomArray(rng, n);
      const want = new Float64Array(n);
      e.scope(() => {
        const a = e.fromArray(av);
        const b = e.fromArray(bv);
        const out = e.empty([n]);
        add(a, b, out);
        refAdd(av, bv, want);
        expect(compareArrays(out.data, want, 1e-7)).toBeNull();
        mul(a, b, out);
        refMul(av, bv, want);
        expect(compareArrays(out.data, want, 1e-7)).toBeNull();
        scale(a, -2.5, a); // in place
        refScale(av, -2.5, want);
        expect(compareArrays(a.data, want, 1e-6)).toBeNull();
        const y = Float64Array.from(bv);
        axpy(0.3, a, b);
        refAxpy(0.3, want, y);
        expect(compareArrays(b.data, y, 1e-6)).toBeNull();
        fill(out, 7);
        expect(out.data.every((v) => v === 7)).toBe(true);
      });
    });
  }

  it('rejects mismatched shapes with INVALID_ARGUMENT naming them', () => {
    e.scope(() => {
      const a = e.zeros([2, 3]);
      const cases: [() => void, RegExp][] = [
        [() => add(a, e.zeros([3, 2]), a), /add: b has shape \[3,2\], expected \[2,3\]/],
        [() => mul(a, a, e.zeros([6])), /mul: out has shape \[6\], expected \[2,3\]/],
        [() => axpy(1, a, e.zeros([2, 4])), /axpy: y has shape \[2,4\], expected \[2,3\]/],
        [() => scale(a, Number.POSITIVE_INFINITY, a), /s must be a finite number/],
        [
          () => add(e.zeros([2, 3], 'int32') as never, a, a),
          /add: a must be float32, got int32 with shape \[2,3\]/,
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

describe('reductions', () => {
  const rng = new Rng(9);
  for (const [rows, cols] of [
    [1, 1],
    [3, 5],
    [8, 4],
    [17, 33],
    [2, 5000],
  ] as const) {
    it(`sumAxis0, sumAxis1, sum match the reference at ${rows}x${cols}`, () => {
      const xv = randomArray(rng, rows * cols);
      const c = new Float64Array(cols);
      const r = new Float64Array(rows);
      refSumAxis0(xv, rows, cols, c);
      refSumAxis1(xv, rows, cols, r);
      e.scope(() => {
        const x = e.fromArray(xv, [rows, cols]);
        const ct = e.fromArray(randomArray(rng, cols)); // overwritten, not accumulated
        const rt = e.empty([rows]);
        sumAxis0(x, ct);
        sumAxis1(x, rt);
        expect(compareArrays(ct.data, c, 1e-5, 1e-5)).toBeNull();
        expect(compareArrays(rt.data, r, 1e-4, 1e-5)).toBeNull();
        expect(sum(x)).toBeCloseTo(refSum(xv), 3);
      });
    });
  }

  it('rejects mismatched output shapes with INVALID_ARGUMENT', () => {
    e.scope(() => {
      const x = e.zeros([2, 3]);
      expect(() => sumAxis0(x, e.zeros([2]))).toThrow(/out has shape \[2\], expected \[3\]/);
      try {
        sumAxis1(x, e.zeros([3]));
        expect.unreachable();
      } catch (err) {
        expect(isMortarError(err, 'INVALID_ARGUMENT')).toBe(true);
      }
    });
  });
});

describe('zero-sized tensors', () => {
  it('are accepted by every op family and leave outputs untouched', () => {
    e.scope(() => {
      const c = e.zeros([0, 4]);
      gemm(e.zeros([0, 3]), e.zeros([3, 4]), c);
      expect(c.size).toBe(0);
      const x = e.zeros([0, 5]);
      softmax(x, x);
      expect(softmaxCrossEntropy(x, e.zeros([0], 'int32'), e.zeros([0, 5]))).toBe(0);
      expect(sum(e.zeros([0]))).toBe(0);
      const col = e.fromArray([1, 2]);
      sumAxis0(e.zeros([0, 2]), col);
      expect([...col.data]).toEqual([0, 0]);
      const y = e.zeros([0, 2, 3, 3]);
      conv2d(e.zeros([0, 1, 3, 3]), e.zeros([2, 1, 1, 1]), e.fromArray([1, 1]), y);
      expect(y.size).toBe(0);
    });
  });
});
