import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { banditConformance } from '../../testing/bandit-conformance.js';
import { EpsilonGreedy } from './epsilon-greedy.js';
import { Exp3 } from './exp3.js';
import { Exp4 } from './exp4.js';
import { createBandit } from './registry.js';
import { Selector, combine } from './selector.js';
import { Split } from './split.js';
import { Ucb } from './ucb.js';

banditConformance('exp3', (n) => new Exp3(n, { gamma: 0.1 }));
banditConformance('exp4', (n) => new Exp4(n, { eta: 0.5 }));
banditConformance('epsilon-greedy', (n) => new EpsilonGreedy(n, { epsilon: 0.1 }));
banditConformance('ucb', (n) => new Ucb(n));
banditConformance(
  'split',
  (n) =>
    new Split(n, {
      percent: Array.from({ length: n }, (_, i) => (i === 0 ? 100 - (n - 1) * 10 : 10)),
    }),
  { learns: false },
);

describe('bandit updates (known answers)', () => {
  it('Exp3 multiplies the chosen weight by exp(gamma r / (p K))', () => {
    const b = new Exp3(2, { gamma: 0.2 });
    b.update({ arms: [0], weights: [1], probs: [0.5] }, [1]);
    // log w0 = 0.2 * 1 / (0.5 * 2) = 0.2; p0 = 0.8 * e^0.2/(e^0.2+1) + 0.1
    const w0 = Math.exp(0.2) / (Math.exp(0.2) + 1);
    expect(b.weights()[0]).toBeCloseTo(0.8 * w0 + 0.1, 12);
  });
  it('Exp4 weights follow exp(-eta * loss)', () => {
    const b = new Exp4(2, { eta: 1 });
    b.update(b.select(new Rng(1)), [1, 0]);
    expect(b.weights()[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
  it('UCB tries every arm once, in order, before exploiting', () => {
    const b = new Ucb(3);
    const rng = new Rng(1);
    const order: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = b.select(rng);
      order.push(s.arms[0]!);
      b.update(s, [0.5]);
    }
    expect(order).toEqual([0, 1, 2]);
  });
  it('a split of 90/10 sends about 10% to the canary', () => {
    const b = new Split(2, { percent: [90, 10] });
    const rng = new Rng(3);
    let canary = 0;
    for (let i = 0; i < 10_000; i++) canary += b.select(rng).arms[0]!;
    expect(canary / 10_000).toBeGreaterThan(0.09);
    expect(canary / 10_000).toBeLessThan(0.11);
  });
  it('unknown kinds and bad configs are INVALID_CONFIG', () => {
    expect(() => createBandit('nope', 2)).toThrow(/known: epsilon-greedy, exp3, exp4, split, ucb/);
    expect(() => createBandit('split', 2, { percent: [50, 40] })).toThrow(/adding up to 100/);
    expect(() => createBandit('exp3', 2, { gamma: 7 })).toThrow(/INVALID|gamma|7/);
  });
});

describe('Selector', () => {
  const t = (v: number[]) => ({
    logits: { datatype: 'FP32' as const, shape: [1, v.length], data: Float32Array.from(v) },
  });
  it('an ensemble answers at its deadline with the members that finished', async () => {
    const sel = new Selector('ens', ['fast', 'slow'], new Exp4(2), new Rng(1));
    const ans = await sel.infer('r1', t([0]).logits ? { x: t([1]).logits } : {}, 30, (member) =>
      member === 'fast'
        ? Promise.resolve({ outputs: t([0.9, 0.1]), version: '1' })
        : new Promise((r) =>
            setTimeout(() => r({ outputs: t([0, 1]), version: '1' }), 2000).unref(),
          ),
    );
    expect(ans.answered).toEqual(['fast']);
    expect(Array.from(ans.outputs['logits']!.data as Float32Array)).toEqual([
      Math.fround(0.9),
      Math.fround(0.1),
    ]);
    // Label feedback rewards the finished member only.
    expect(sel.feedback('r1', { label: 0 }).rewards).toEqual([1, undefined]);
    expect(() => sel.feedback('r1', { label: 0 })).toThrow(/no pending prediction/);
  });
  it('combine averages float outputs with renormalized weights', () => {
    const out = combine([t([1, 0]), t([0, 1])], [0.3, 0.1]);
    expect(Array.from(out['logits']!.data as Float64Array)).toEqual([0.75, 0.25]);
  });
});
