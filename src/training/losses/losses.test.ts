// Every loss through the shared conformance suite, plus known answers.
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../../core/tensor/index.js';
import { lossConformance } from '../../testing/loss-conformance.js';
import { BceLoss } from './bce.js';
import { CrossEntropyLoss } from './cross-entropy.js';
import { MseLoss } from './mse.js';

lossConformance('cross-entropy, hard labels', () => new CrossEntropyLoss(), {
  target: 'class',
  width: 4,
});
lossConformance('cross-entropy, soft labels', () => new CrossEntropyLoss(), {
  target: 'soft',
  width: 3,
});
lossConformance(
  'cross-entropy, class weights',
  () => new CrossEntropyLoss({ classWeights: [1, 3, 0.5] }),
  { target: 'class', width: 3 },
);
lossConformance(
  'cross-entropy, label smoothing',
  () => new CrossEntropyLoss({ labelSmoothing: 0.1 }),
  { target: 'class', width: 3 },
);
lossConformance('mse', () => new MseLoss(), { target: 'value', width: 2 });
lossConformance('bce', () => new BceLoss(), { target: 'binary', width: 1 });
lossConformance('bce, positive weight, soft targets', () => new BceLoss({ positiveWeight: 3 }), {
  target: 'soft',
  width: 2,
});

describe('loss known answers', () => {
  it('cross-entropy of equal logits is log K; MSE and BCE by hand', async () => {
    const e = await loadEngine();
    const ce = new CrossEntropyLoss();
    expect(ce.compute(e.zeros([2, 4]), e.fromInts([0, 3]), null)).toBeCloseTo(Math.log(4), 6);
    const mse = new MseLoss();
    expect(
      mse.compute(e.fromArray([1, 2, 3], [3, 1]), e.fromArray([0, 2, 5], [3, 1]), null),
    ).toBeCloseTo(5 / 3, 6);
    const bce = new BceLoss();
    expect(bce.compute(e.fromArray([0, 2], [2, 1]), e.fromArray([1, 0], [2, 1]), null)).toBeCloseTo(
      (Math.log(2) + Math.log(1 + Math.exp(2))) / 2,
      6,
    );
  });

  it('weighted cross-entropy: a zero-weight row does not count', async () => {
    const e = await loadEngine();
    const ce = new CrossEntropyLoss();
    const logits = e.fromArray([5, 0, 0, 5], [2, 2]);
    const v = ce.compute(logits, e.fromInts([1, 1]), null, e.fromArray([0, 1]));
    expect(v).toBeCloseTo(Math.log(1 + Math.exp(-5)) / 2, 6);
  });

  it('a target of the wrong shape is INVALID_ARGUMENT naming both shapes', async () => {
    const e = await loadEngine();
    expect(() => new MseLoss().compute(e.zeros([3, 1]), e.zeros([2, 1]), null)).toThrow(
      /target has shape \[2,1\], output has \[3,1\]/,
    );
  });
});
