// The kernels composed into whole training steps: gradients of a tiny MLP and a tiny CNN computed
// with the engine agree with finite differences of the same network built from the float64
// reference, and Adam steps with those gradients drive the loss down.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { biasActivation, biasActivationBackward } from './activation.js';
import { conv2d, conv2dBackward } from './conv.js';
import { loadEngine, type Engine } from './engine.js';
import { gemm } from './gemm.js';
import { adamStep } from './optim.js';
import { sumAxis0 } from './reduce.js';
import { maxPool2d, maxPool2dBackward } from './pool.js';
import {
  refBiasAct,
  refConv2d,
  refGemm,
  refMaxPool,
  refSoftmaxCrossEntropy,
  type RefGeometry,
} from './reference.js';
import { softmaxCrossEntropy, softmaxCrossEntropyBackward } from './softmax.js';
import type { Tensor } from './tensor.js';
import { compareArrays, numericGradient, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

const [N, D, H, C] = [8, 5, 7, 3];

describe('a two-layer MLP step (gemm, gelu epilogue, softmax cross-entropy, Adam)', () => {
  const rng = new Rng(11);
  const xv = randomArray(rng, N * D);
  const labels = Int32Array.from({ length: N }, () => rng.int(0, C - 1));
  const init = {
    w1: randomArray(rng, D * H, -0.8, 0.8),
    b1: randomArray(rng, H, -0.1, 0.1),
    w2: randomArray(rng, H * C, -0.8, 0.8),
    b2: randomArray(rng, C, -0.1, 0.1),
  };
  type Params = typeof init;

  /** Mean cross-entropy of the network in float64, from the reference kernels. */
  function refLoss(p: { [K in keyof Params]: ArrayLike<number> }): number {
    const z1 = new Float64Array(N * H);
    refGemm(false, false, N, H, D, 1, xv, D, p.w1, H, 0, z1, H);
    const h = new Float64Array(N * H);
    refBiasAct(z1, p.b1, h, N, H, 'gelu');
    const z2 = new Float64Array(N * C);
    refGemm(false, false, N, C, H, 1, h, H, p.w2, C, 0, z2, C);
    refBiasAct(Float64Array.from(z2), p.b2, z2, N, C, 'none');
    return refSoftmaxCrossEntropy(z2, N, C, { labels }, null, new Float64Array(N * C), null) / N;
  }

  /** Forward + backward with the engine; returns the loss and leaves gradients in g. */
  function engineStep(
    p: Record<keyof Params, Tensor>,
    g: Record<keyof Params, Tensor>,
    x: Tensor,
    y: Tensor<'int32'>,
  ) {
    return e.scope(() => {
      const z1 = e.empty([N, H]);
      gemm(x, p.w1, z1);
      const h = e.empty([N, H]);
      biasActivation(z1, p.b1, h, 'gelu');
      const logits = e.empty([N, C]);
      gemm(h, p.w2, logits, false, false, 1, 0, { bias: p.b2 }); // fused bias epilogue
      const probs = e.empty([N, C]);
      const loss = softmaxCrossEntropy(logits, y, probs);
      const dlogits = e.empty([N, C]);
      softmaxCrossEntropyBackward(probs, y, dlogits);
      gemm(h, dlogits, g.w2, true, false); // dW2 = h^T dlogits
      sumAxis0(dlogits, g.b2); // db2 = column sums
      const dh = e.empty([N, H]);
      gemm(dlogits, p.w2, dh, false, true); // dh = dlogits W2^T
      biasActivationBackward(z1, p.b1, dh, dh, g.b1, 'gelu');
      gemm(x, dh, g.w1, true, false); // dW1 = x^T dz1
      return loss;
    });
  }

  it('engine gradients equal finite differences of the float64 reference network', () => {
    e.scope(() => {
      const p = {
        w1: e.fromArray(init.w1, [D, H]),
        b1: e.fromArray(init.b1),
        w2: e.fromArray(init.w2, [H, C]),
        b2: e.fromArray(init.b2),
      };
      const g = { w1: e.empty([D, H]), b1: e.empty([H]), w2: e.empty([H, C]), b2: e.empty([C]) };
      const loss = engineStep(p, g, e.fromArray(xv, [N, D]), e.fromInts(labels));
      expect(loss).toBeCloseTo(refLoss(init), 5);
      for (const k of ['w1', 'b1', 'w2', 'b2'] as const) {
        const fd = numericGradient((v) => refLoss({ ...init, [k]: v }), Float64Array.from(init[k]));
        expect(compareArrays(g[k].data, fd, 1e-6, 1e-4), k).toBeNull();
      }
    });
  });

  it('Adam steps with those gradients reduce the loss', () => {
    e.scope(() => {
      const keys = ['w1', 'b1', 'w2', 'b2'] as const;
      const p = {
        w1: e.fromArray(init.w1, [D, H]),
        b1: e.fromArray(init.b1),
        w2: e.fromArray(init.w2, [H, C]),
        b2: e.fromArray(init.b2),
      };
      const g = { w1: e.empty([D, H]), b1: e.empty([H]), w2: e.empty([H, C]), b2: e.empty([C]) };
      const m = Object.fromEntries(keys.map((k) => [k, e.zeros(p[k].shape)])) as Record<
        (typeof keys)[number],
        Tensor
      >;
      const v = Object.fromEntries(keys.map((k) => [k, e.zeros(p[k].shape)])) as Record<
        (typeof keys)[number],
        Tensor
      >;
      const x = e.fromArray(xv, [N, D]);
      const y = e.fromInts(labels);
      const first = engineStep(p, g, x, y);
      let last = first;
      for (let step = 1; step <= 100; step++) {
        for (const k of keys) adamStep(p[k], g[k], m[k], v[k], { lr: 0.05, step });
        last = engineStep(p, g, x, y);
      }
      expect(last).toBeLessThan(first * 0.2);
    });
  });
});

describe('a tiny CNN step (conv2d, relu, max pooling, linear, cross-entropy)', () => {
  const rng = new Rng(12);
  const [n, cin, hw, cout, k, classes] = [2, 2, 6, 3, 3, 4];
  const conv: RefGeometry = {
    n,
    c: cin,
    h: hw,
    w: hw,
    oc: cout,
    kh: k,
    kw: k,
    sh: 1,
    sw: 1,
    ph: 1,
    pw: 1,
    dh: 1,
    dw: 1,
    oh: hw,
    ow: hw,
  };
  const pool: RefGeometry = {
    n,
    c: cout,
    h: hw,
    w: hw,
    oc: cout,
    kh: 2,
    kw: 2,
    sh: 2,
    sw: 2,
    ph: 0,
    pw: 0,
    dh: 1,
    dw: 1,
    oh: 3,
    ow: 3,
  };
  const flat = cout * 3 * 3;
  const xv = randomArray(rng, n * cin * hw * hw);
  const labels = Int32Array.from({ length: n }, () => rng.int(0, classes - 1));
  const wc = randomArray(rng, cout * cin * k * k, -0.5, 0.5);
  const bc = randomArray(rng, cout, -0.1, 0.1);
  const wl = randomArray(rng, flat * classes, -0.5, 0.5);

  function refLoss(w: ArrayLike<number>): number {
    const a = new Float64Array(n * cout * hw * hw);
    refConv2d(xv, w, bc, a, conv);
    refBiasAct(Float64Array.from(a), null, a, 1, a.length, 'relu');
    const pooled = new Float64Array(n * flat);
    refMaxPool(a, pooled, new Int32Array(n * flat), pool);
    const logits = new Float64Array(n * classes);
    refGemm(false, false, n, classes, flat, 1, pooled, flat, wl, classes, 0, logits, classes);
    return (
      refSoftmaxCrossEntropy(
        logits,
        n,
        classes,
        { labels },
        null,
        new Float64Array(n * classes),
        null,
      ) / n
    );
  }

  it('the conv weight gradient equals finite differences of the reference network', () => {
    e.scope(() => {
      const x = e.fromArray(xv, [n, cin, hw, hw]);
      const w = e.fromArray(wc, [cout, cin, k, k]);
      const b = e.fromArray(bc);
      const a = e.empty([n, cout, hw, hw]);
      conv2d(x, w, b, a, { padding: 1 });
      const r = e.empty(a.shape);
      biasActivation(a, null, r, 'relu');
      const pooled = e.empty([n, cout, 3, 3]);
      const arg = e.empty([n, cout, 3, 3], 'int32');
      maxPool2d(r, pooled, arg, { kernel: 2 });
      const flatView = pooled.reshape([n, flat]);
      const logits = e.empty([n, classes]);
      gemm(flatView, e.fromArray(wl, [flat, classes]), logits);
      const probs = e.empty([n, classes]);
      const y = e.fromInts(labels);
      const loss = softmaxCrossEntropy(logits, y, probs);
      expect(loss).toBeCloseTo(refLoss(wc), 5);
      softmaxCrossEntropyBackward(probs, y, probs);
      const dflat = e.empty([n, flat]);
      gemm(probs, e.fromArray(wl, [flat, classes]), dflat, false, true);
      const dr = e.empty(a.shape);
      maxPool2dBackward(dflat.reshape([n, cout, 3, 3]), arg, dr);
      biasActivationBackward(a, null, dr, dr, null, 'relu');
      const dw = e.empty(w.shape);
      conv2dBackward(x, w, dr, null, dw, null, { padding: 1 });
      const fd = numericGradient(refLoss, Float64Array.from(wc));
      expect(compareArrays(dw.data, fd, 1e-6, 1e-4)).toBeNull();
    });
  });
});
