import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { loadEngine, type Engine } from './engine.js';
import {
  refSoftmax,
  refSoftmaxBackward,
  refSoftmaxCrossEntropy,
  refSoftmaxCrossEntropyBackward,
  type RefTarget,
} from './reference.js';
import {
  softmax,
  softmaxBackward,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  type CrossEntropyTarget,
} from './softmax.js';
import { compareArrays, dot, numericGradient, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

const SHAPES = [
  [1, 1],
  [2, 3],
  [4, 8],
  [5, 13],
  [3, 1000],
] as const;

function labelsFor(rng: Rng, rows: number, cols: number): Int32Array {
  return Int32Array.from({ length: rows }, () => rng.int(0, cols - 1));
}

function softTargets(rng: Rng, rows: number, cols: number): Float32Array {
  const t = randomArray(rng, rows * cols, 0, 1);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += t[i * cols + j] as number;
    for (let j = 0; j < cols; j++) t[i * cols + j] = (t[i * cols + j] as number) / s;
  }
  return t;
}

describe('softmax', () => {
  const rng = new Rng(3);
  for (const [rows, cols] of SHAPES) {
    it(`forward and backward match the reference at ${rows}x${cols}`, () => {
      const xv = randomArray(rng, rows * cols, -10, 10);
      const dyv = randomArray(rng, rows * cols);
      const y = new Float64Array(rows * cols);
      const dx = new Float64Array(rows * cols);
      refSoftmax(xv, y, rows, cols);
      e.scope(() => {
        const x = e.fromArray(xv, [rows, cols]);
        const yt = e.empty([rows, cols]);
        softmax(x, yt);
        expect(compareArrays(yt.data, y, 1e-7, 1e-5)).toBeNull();
        refSoftmaxBackward(yt.data, dyv, dx, rows, cols);
        const dxt = e.fromArray(dyv, [rows, cols]);
        softmaxBackward(yt, dxt, dxt); // in place
        expect(compareArrays(dxt.data, dx, 1e-6, 1e-5)).toBeNull();
      });
    });
  }

  it('reference backward equals finite differences', () => {
    const [rows, cols] = [3, 6];
    const xv = Float64Array.from(randomArray(rng, rows * cols, -3, 3));
    const r = randomArray(rng, rows * cols);
    const y = new Float64Array(rows * cols);
    refSoftmax(xv, y, rows, cols);
    const dx = new Float64Array(rows * cols);
    refSoftmaxBackward(y, r, dx, rows, cols);
    const fd = numericGradient((x) => {
      const out = new Float64Array(rows * cols);
      refSoftmax(x, out, rows, cols);
      return dot(r, out);
    }, xv);
    expect(compareArrays(dx, fd, 1e-8, 1e-6)).toBeNull();
  });

  it('is stable for large logits and gives 0 for -Infinity', () => {
    e.scope(() => {
      const x = e.fromArray([1000, 1000, -Infinity, 999], [1, 4]);
      softmax(x, x);
      const e1 = Math.exp(-1);
      const s = 2 + e1;
      expect(compareArrays(x.data, [1 / s, 1 / s, 0, e1 / s], 1e-7, 1e-5)).toBeNull();
    });
  });
});

describe('softmaxCrossEntropy', () => {
  const rng = new Rng(4);
  for (const [rows, cols] of SHAPES) {
    for (const kind of ['hard', 'soft'] as const) {
      for (const weighted of [false, true]) {
        for (const reduction of ['mean', 'sum'] as const) {
          it(`${kind} labels, weighted=${weighted}, ${reduction}: matches the reference at ${rows}x${cols}`, () => {
            const xv = randomArray(rng, rows * cols, -5, 5);
            const labels = labelsFor(rng, rows, cols);
            const soft = softTargets(rng, rows, cols);
            const wv = weighted ? randomArray(rng, rows, 0, 2) : null;
            const target: RefTarget = kind === 'hard' ? { labels } : { soft };
            const probs = new Float64Array(rows * cols);
            const losses = new Float64Array(rows);
            const total = refSoftmaxCrossEntropy(xv, rows, cols, target, wv, probs, losses);
            const scale = reduction === 'mean' ? 1 / rows : 1;
            const grad = new Float64Array(rows * cols);
            refSoftmaxCrossEntropyBackward(probs, rows, cols, target, wv, scale, grad);
            e.scope(() => {
              const x = e.fromArray(xv, [rows, cols]);
              const t: CrossEntropyTarget =
                kind === 'hard' ? e.fromInts(labels) : e.fromArray(soft, [rows, cols]);
              const w = wv ? e.fromArray(wv) : null;
              const p = e.empty([rows, cols]);
              const l = e.empty([rows]);
              const loss = softmaxCrossEntropy(x, t, p, { weights: w, losses: l, reduction });
              expect(loss).toBeCloseTo(total * scale, 4);
              expect(compareArrays(p.data, probs, 1e-7, 1e-5)).toBeNull();
              expect(compareArrays(l.data, losses, 1e-5, 1e-5)).toBeNull();
              softmaxCrossEntropyBackward(p, t, p, { weights: w, reduction }); // in place
              expect(compareArrays(p.data, grad, 1e-7, 1e-5)).toBeNull();
            });
          });
        }
      }
    }
  }

  for (const kind of ['hard', 'soft'] as const) {
    it(`${kind} labels: reference backward equals finite differences of the loss`, () => {
      const [rows, cols] = [4, 5];
      const xv = Float64Array.from(randomArray(rng, rows * cols, -3, 3));
      const wv = randomArray(rng, rows, 0.5, 2);
      // soft targets that do not sum to 1 exercise the sum(t) * p term
      const target: RefTarget =
        kind === 'hard'
          ? { labels: labelsFor(rng, rows, cols) }
          : { soft: randomArray(rng, rows * cols, 0, 1) };
      const probs = new Float64Array(rows * cols);
      const loss = (x: Float64Array) =>
        refSoftmaxCrossEntropy(x, rows, cols, target, wv, probs, null);
      loss(xv);
      const grad = new Float64Array(rows * cols);
      refSoftmaxCrossEntropyBackward(probs, rows, cols, target, wv, 1, grad);
      expect(compareArrays(grad, numericGradient(loss, xv), 1e-8, 1e-6)).toBeNull();
    });
  }

  it('rejects bad labels and shapes with INVALID_ARGUMENT naming them', () => {
    e.scope(() => {
      const x = e.zeros([2, 3]);
      const p = e.zeros([2, 3]);
      const cases: [() => void, RegExp][] = [
        [
          () => softmaxCrossEntropy(x, e.fromInts([0, 3]), p),
          /target\[1\] = 3 is not a class index in \[0, 3\)/,
        ],
        [
          () => softmaxCrossEntropy(x, e.fromInts([0, 1, 2]), p),
          /target has shape \[3\], expected \[2\]/,
        ],
        [
          () => softmaxCrossEntropy(x, e.zeros([2, 4]), p),
          /target has shape \[2,4\], expected \[2,3\]/,
        ],
        [
          () => softmaxCrossEntropy(x, e.fromInts([0, 1]), e.zeros([3, 2])),
          /probs has shape \[3,2\], expected \[2,3\]/,
        ],
        [
          () => softmaxCrossEntropy(x, e.fromInts([0, 1]), p, { weights: e.zeros([3]) }),
          /weights has shape \[3\], expected \[2\]/,
        ],
        [() => softmax(e.zeros([6]), e.zeros([6])), /x must be \[rows, classes\], got shape \[6\]/],
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
