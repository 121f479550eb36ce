import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { conv2d, conv2dBackward, conv2dOutputShape, type Conv2dOptions } from './conv.js';
import { loadEngine, type Engine } from './engine.js';
import { refConv2d, refConv2dBackward, type RefGeometry } from './reference.js';
import { compareArrays, dot, numericGradient, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  o: Conv2dOptions;
}

function geom(c: Case): RefGeometry {
  const [n, ch, h, w] = c.x;
  const [oc, , kh, kw] = c.w;
  const [, , oh, ow] = conv2dOutputShape(c.x, c.w, c.o);
  const p = (v: Conv2dOptions['stride'], d: number) =>
    v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v;
  const [sh, sw] = p(c.o.stride, 1) as [number, number];
  const [ph, pw] = p(c.o.padding, 0) as [number, number];
  const [dh, dw] = p(c.o.dilation, 1) as [number, number];
  return { n, c: ch, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

const CASES: Case[] = [
  { x: [1, 1, 5, 5], w: [1, 1, 3, 3], o: {} },
  { x: [2, 3, 7, 6], w: [4, 3, 3, 3], o: { padding: 1 } },
  { x: [2, 3, 9, 8], w: [5, 3, 3, 2], o: { stride: 2, padding: [1, 0] } },
  { x: [1, 2, 9, 9], w: [3, 2, 3, 3], o: { dilation: 2, padding: 2 } },
  { x: [3, 5, 6, 7], w: [6, 5, 1, 1], o: { stride: [1, 2] } },
  { x: [1, 4, 11, 13], w: [7, 4, 5, 4], o: { stride: 3, padding: 2 } },
];

describe('conv2d', () => {
  const rng = new Rng(5);
  for (const c of CASES) {
    it(`forward and backward match the direct reference for x ${c.x} w ${c.w} ${JSON.stringify(c.o)}`, () => {
      const g = geom(c);
      const ySize = g.n * g.oc * g.oh * g.ow;
      const xv = randomArray(rng, g.n * g.c * g.h * g.w);
      const wv = randomArray(rng, g.oc * g.c * g.kh * g.kw);
      const bv = randomArray(rng, g.oc);
      const dyv = randomArray(rng, ySize);
      const y = new Float64Array(ySize);
      refConv2d(xv, wv, bv, y, g);
      const dx = new Float64Array(xv.length);
      const dw = new Float64Array(wv.length);
      const db = new Float64Array(g.oc);
      refConv2dBackward(xv, wv, dyv, dx, dw, db, g);
      e.scope(() => {
        const x = e.fromArray(xv, c.x);
        const w = e.fromArray(wv, c.w);
        const b = e.fromArray(bv);
        const yt = e.empty([g.n, g.oc, g.oh, g.ow]);
        conv2d(x, w, b, yt, c.o);
        expect(compareArrays(yt.data, y, 1e-5, 1e-5)).toBeNull();
        const dy = e.fromArray(dyv, yt.shape);
        const dxt = e.fromArray(randomArray(rng, xv.length), c.x); // garbage: must be overwritten
        const dwt = e.fromArray(randomArray(rng, wv.length), c.w);
        const dbt = e.empty([g.oc]);
        conv2dBackward(x, w, dy, dxt, dwt, dbt, c.o);
        expect(compareArrays(dxt.data, dx, 1e-5, 1e-5)).toBeNull();
        expect(compareArrays(dwt.data, dw, 1e-5, 1e-5)).toBeNull();
        expect(compareArrays(dbt.data, db, 1e-5, 1e-5)).toBeNull();
      });
    });
  }

  it('reference backward equals finite differences (stride, padding, dilation)', () => {
    const c: Case = {
      x: [2, 2, 6, 5],
      w: [3, 2, 2, 3],
      o: { stride: [2, 1], padding: 1, dilation: [1, 2] },
    };
    const g = geom(c);
    const xv = Float64Array.from(randomArray(rng, g.n * g.c * g.h * g.w));
    const wv = Float64Array.from(randomArray(rng, g.oc * g.c * g.kh * g.kw));
    const bv = Float64Array.from(randomArray(rng, g.oc));
    const r = randomArray(rng, g.n * g.oc * g.oh * g.ow);
    const loss = (x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>) => {
      const y = new Float64Array(r.length);
      refConv2d(x, w, b, y, g);
      return dot(r, y);
    };
    const dx = new Float64Array(xv.length);
    const dw = new Float64Array(wv.length);
    const db = new Float64Array(g.oc);
    refConv2dBackward(xv, wv, r, dx, dw, db, g);
    expect(
      compareArrays(
        dx,
        numericGradient((x) => loss(x, wv, bv), xv),
        1e-7,
        1e-6,
      ),
    ).toBeNull();
    expect(
      compareArrays(
        dw,
        numericGradient((w) => loss(xv, w, bv), wv),
        1e-7,
        1e-6,
      ),
    ).toBeNull();
    expect(
      compareArrays(
        db,
        numericGradient((b) => loss(xv, wv, b), bv),
        1e-7,
        1e-6,
      ),
    ).toBeNull();
  });

  it('works without bias and with only some gradients requested', () => {
    const c = CASES[1] as Case;
    const g = geom(c);
    const xv = randomArray(rng, g.n * g.c * g.h * g.w);
    const wv = randomArray(rng, g.oc * g.c * g.kh * g.kw);
    const y = new Float64Array(g.n * g.oc * g.oh * g.ow);
    refConv2d(xv, wv, null, y, g);
    const dw = new Float64Array(wv.length);
    refConv2dBackward(xv, wv, y, null, dw, null, g);
    e.scope(() => {
      const x = e.fromArray(xv, c.x);
      const w = e.fromArray(wv, c.w);
      const yt = e.empty([g.n, g.oc, g.oh, g.ow]);
      conv2d(x, w, null, yt, c.o);
      expect(compareArrays(yt.data, y, 1e-5, 1e-5)).toBeNull();
      const dwt = e.empty(c.w);
      const live = e.stats().liveBlocks;
      conv2dBackward(x, w, yt, null, dwt, null, c.o);
      expect(e.stats().liveBlocks).toBe(live); // the im2col scratch was freed
      expect(compareArrays(dwt.data, dw, 1e-4, 1e-5)).toBeNull();
    });
  });

  it('rejects mismatched shapes with INVALID_ARGUMENT naming them', () => {
    e.scope(() => {
      const x = e.zeros([1, 3, 5, 5]);
      const cases: [() => void, RegExp][] = [
        [
          () => conv2d(x, e.zeros([2, 4, 3, 3]), null, e.zeros([1, 2, 3, 3])),
          /w \[2,4,3,3\] expects 4 input channels but x \[1,3,5,5\] has 3/,
        ],
        [
          () => conv2d(x, e.zeros([2, 3, 3, 3]), null, e.zeros([1, 2, 5, 5])),
          /y has shape \[1,2,5,5\], expected \[1,2,3,3\]/,
        ],
        [
          () => conv2d(x, e.zeros([2, 3, 7, 7]), null, e.zeros([1, 2, 1, 1])),
          /does not fit input \[1,3,5,5\]/,
        ],
        [
          () => conv2d(x, e.zeros([2, 3, 3, 3]), e.zeros([3]), e.zeros([1, 2, 3, 3])),
          /bias has shape \[3\], expected \[2\]/,
        ],
        [
          () => conv2d(e.zeros([3, 5, 5]), e.zeros([2, 3, 3, 3]), null, e.zeros([1, 2, 3, 3])),
          /x must be NCHW \(rank 4\), got shape \[3,5,5\]/,
        ],
        [
          () => conv2d(x, e.zeros([2, 3, 3, 3]), null, e.zeros([1, 2, 3, 3]), { stride: 0 }),
          /stride must be integers >= 1/,
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
