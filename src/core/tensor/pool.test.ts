import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { loadEngine, type Engine } from './engine.js';
import {
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  pool2dOutputShape,
  type Pool2dOptions,
} from './pool.js';
import {
  refAvgPool,
  refAvgPoolBackward,
  refMaxPool,
  refMaxPoolBackward,
  type RefGeometry,
} from './reference.js';
import { compareArrays, dot, numericGradient, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

function geom(x: readonly number[], o: Pool2dOptions): RefGeometry {
  const [n, c, h, w] = x as [number, number, number, number];
  const p = (v: Pool2dOptions['stride'], d: readonly [number, number]) =>
    v === undefined ? d : typeof v === 'number' ? ([v, v] as const) : v;
  const [kh, kw] = p(o.kernel, [1, 1]);
  const [sh, sw] = p(o.stride, [kh, kw]);
  const [ph, pw] = p(o.padding, [0, 0]);
  const [, , oh, ow] = pool2dOutputShape(x, o) as [number, number, number, number];
  return { n, c, h, w, oc: c, kh, kw, sh, sw, ph, pw, dh: 1, dw: 1, oh, ow };
}

const CASES: [number[], Pool2dOptions][] = [
  [[1, 1, 4, 4], { kernel: 2 }],
  [[2, 3, 7, 5], { kernel: 3, stride: 2, padding: 1 }],
  [[1, 2, 9, 6], { kernel: [3, 2], stride: [2, 1] }],
  [[3, 1, 5, 5], { kernel: 2, stride: 1, padding: 1 }],
];

describe('pooling', () => {
  const rng = new Rng(6);
  for (const [shape, o] of CASES) {
    it(`max and avg forward/backward match the reference for ${shape} ${JSON.stringify(o)}`, () => {
      const g = geom(shape, o);
      const xv = randomArray(rng, g.n * g.c * g.h * g.w);
      const outShape = [g.n, g.c, g.oh, g.ow];
      const dyv = randomArray(rng, g.n * g.c * g.oh * g.ow);
      const y = new Float64Array(dyv.length);
      const am = new Int32Array(dyv.length);
      const dx = new Float64Array(xv.length);
      refMaxPool(xv, y, am, g);
      refMaxPoolBackward(dyv, am, dx, g);
      const ya = new Float64Array(dyv.length);
      const dxa = new Float64Array(xv.length);
      refAvgPool(xv, ya, g);
      refAvgPoolBackward(dyv, dxa, g);
      e.scope(() => {
        const x = e.fromArray(xv, shape);
        const yt = e.empty(outShape);
        const amt = e.empty(outShape, 'int32');
        maxPool2d(x, yt, amt, o);
        expect([...yt.data]).toEqual([...y].map(Math.fround));
        expect([...amt.data]).toEqual([...am]);
        const dy = e.fromArray(dyv, outShape);
        const dxt = e.fromArray(randomArray(rng, xv.length), shape);
        maxPool2dBackward(dy, amt, dxt);
        expect(compareArrays(dxt.data, dx, 1e-6)).toBeNull();
        avgPool2d(x, yt, o);
        expect(compareArrays(yt.data, ya, 1e-6, 1e-6)).toBeNull();
        avgPool2dBackward(dy, dxt, o);
        expect(compareArrays(dxt.data, dxa, 1e-6, 1e-6)).toBeNull();
      });
    });
  }

  it('reference backwards equal finite differences', () => {
    const shape = [2, 2, 6, 5];
    const o: Pool2dOptions = { kernel: 3, stride: 2, padding: 1 };
    const g = geom(shape, o);
    const xv = Float64Array.from(randomArray(rng, g.n * g.c * g.h * g.w));
    const r = randomArray(rng, g.n * g.c * g.oh * g.ow);
    const am = new Int32Array(r.length);
    const maxLoss = (x: ArrayLike<number>) => {
      const y = new Float64Array(r.length);
      refMaxPool(x, y, am, g);
      return dot(r, y);
    };
    const avgLoss = (x: ArrayLike<number>) => {
      const y = new Float64Array(r.length);
      refAvgPool(x, y, g);
      return dot(r, y);
    };
    maxLoss(xv);
    const dmax = new Float64Array(xv.length);
    refMaxPoolBackward(r, am, dmax, g);
    expect(compareArrays(dmax, numericGradient(maxLoss, xv), 1e-7, 1e-6)).toBeNull();
    const davg = new Float64Array(xv.length);
    refAvgPoolBackward(r, davg, g);
    expect(compareArrays(davg, numericGradient(avgLoss, xv), 1e-7, 1e-6)).toBeNull();
  });

  it('max pooling propagates NaN and picks the first of tied maxima', () => {
    e.scope(() => {
      const x = e.fromArray([1, Number.NaN, 3, 4, 5, 5, 5, 5], [1, 2, 2, 2]);
      const y = e.empty([1, 2, 1, 1]);
      const am = e.empty([1, 2, 1, 1], 'int32');
      maxPool2d(x, y, am, { kernel: 2 });
      expect(Number.isNaN(y.data[0])).toBe(true);
      expect([...am.data]).toEqual([1, 0]);
    });
  });

  it('rejects mismatched shapes with INVALID_ARGUMENT naming them', () => {
    e.scope(() => {
      const x = e.zeros([1, 2, 4, 4]);
      const cases: [() => void, RegExp][] = [
        [
          () => maxPool2d(x, e.zeros([1, 2, 3, 3]), e.zeros([1, 2, 2, 2], 'int32'), { kernel: 2 }),
          /y has shape \[1,2,3,3\], expected \[1,2,2,2\]/,
        ],
        [
          () => maxPool2d(x, e.zeros([1, 2, 2, 2]), e.zeros([1, 2, 2, 2]) as never, { kernel: 2 }),
          /argmax must be int32/,
        ],
        [
          () => avgPool2d(x, e.zeros([1, 2, 1, 1]), { kernel: 5 }),
          /kernel 5x5 does not fit input \[1,2,4,4\]/,
        ],
        [
          () => avgPool2d(x, e.zeros([1, 2, 1, 1]), { kernel: 2, padding: 2 }),
          /padding 2x2 must be at most half the kernel/,
        ],
        [
          () => avgPool2dBackward(e.zeros([1, 2, 3, 3]), x, { kernel: 2 }),
          /dy has shape \[1,2,3,3\], expected \[1,2,2,2\]/,
        ],
        [
          () => maxPool2dBackward(e.zeros([1, 2, 1, 1]), e.fromInts([99, 0], [1, 2, 1, 1]), x),
          /argmax\[0\] = 99 is outside the 4x4 plane/,
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
