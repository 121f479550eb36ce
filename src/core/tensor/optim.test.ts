import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { loadEngine, type Engine } from './engine.js';
import { adamStep, adamwStep, sgdStep } from './optim.js';
import { refAdam, refSgd } from './reference.js';
import { compareArrays, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

describe('optimizer kernels', () => {
  const rng = new Rng(10);
  for (const n of [1, 5, 64, 1001]) {
    for (const [momentum, weightDecay, nesterov] of [
      [0, 0, false],
      [0.9, 0, false],
      [0.9, 1e-2, true],
    ] as const) {
      it(`SGD mu=${momentum} wd=${weightDecay} nesterov=${nesterov} matches the reference over 5 steps (n=${n})`, () => {
        const p = Float64Array.from(randomArray(rng, n));
        const v = new Float64Array(n);
        e.scope(() => {
          const pt = e.fromArray(p);
          const vt = e.zeros([n]);
          for (let s = 0; s < 5; s++) {
            const g = randomArray(rng, n);
            refSgd(p, g, v, 0.1, momentum, weightDecay, nesterov);
            sgdStep(pt, e.fromArray(g), vt, { lr: 0.1, momentum, weightDecay, nesterov });
          }
          expect(compareArrays(pt.data, p, 1e-6, 1e-5)).toBeNull();
          expect(compareArrays(vt.data, v, 1e-6, 1e-5)).toBeNull();
        });
      });
    }
    for (const decoupled of [false, true]) {
      it(`${decoupled ? 'AdamW' : 'Adam'} matches the reference over 5 steps (n=${n})`, () => {
        const p = Float64Array.from(randomArray(rng, n));
        const m = new Float64Array(n);
        const v = new Float64Array(n);
        const o = { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.05 };
        e.scope(() => {
          const pt = e.fromArray(p);
          const mt = e.zeros([n]);
          const vt = e.zeros([n]);
          for (let step = 1; step <= 5; step++) {
            const g = randomArray(rng, n);
            refAdam(p, g, m, v, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, decoupled, step);
            (decoupled ? adamwStep : adamStep)(pt, e.fromArray(g), mt, vt, { ...o, step });
          }
          expect(compareArrays(pt.data, p, 1e-6, 1e-5)).toBeNull();
          expect(compareArrays(mt.data, m, 1e-6, 1e-5)).toBeNull();
          expect(compareArrays(vt.data, v, 1e-7, 1e-5)).toBeNull();
        });
      });
    }
  }

  it('a first Adam step moves every parameter by about lr against its gradient sign', () => {
    e.scope(() => {
      const p = e.fromArray([1, 1, 1]);
      adamStep(p, e.fromArray([0.5, -3, 1e-3]), e.zeros([3]), e.zeros([3]), { lr: 0.1, step: 1 });
      expect(compareArrays(p.data, [0.9, 1.1, 0.9], 1e-5)).toBeNull();
    });
  });

  it('rejects mismatched shapes and bad steps with INVALID_ARGUMENT', () => {
    e.scope(() => {
      const p = e.zeros([4]);
      const cases: [() => void, RegExp][] = [
        [
          () => sgdStep(p, e.zeros([3]), e.zeros([4]), { lr: 0.1 }),
          /grad has shape \[3\], expected \[4\] \(same as param\)/,
        ],
        [
          () => adamStep(p, p, p, e.zeros([2, 2]), { lr: 0.1, step: 1 }),
          /v has shape \[2,2\], expected \[4\]/,
        ],
        [() => adamwStep(p, p, p, p, { lr: 0.1, step: 0 }), /step must be an integer >= 1, got 0/],
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
