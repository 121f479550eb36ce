// Every optimizer through the shared conformance suite, plus known answers for the schedules.
import { describe, expect, it } from 'vitest';
import { optimizerConformance } from '../../testing/optimizer-conformance.js';
import { OPTIMIZERS } from './registry.js';
import { SCHEDULES } from './schedule.js';

optimizerConformance('sgd', (c) => OPTIMIZERS.create('sgd', c), { lr: 0.1 });
optimizerConformance('sgd momentum', (c) => OPTIMIZERS.create('sgd', c), {
  lr: 0.05,
  momentum: 0.9,
});
optimizerConformance('sgd nesterov', (c) => OPTIMIZERS.create('sgd', c), {
  lr: 0.05,
  momentum: 0.9,
  nesterov: true,
});
optimizerConformance('adam', (c) => OPTIMIZERS.create('adam', c), { lr: 0.05 });
optimizerConformance('adamw', (c) => OPTIMIZERS.create('adamw', c), {
  lr: 0.05,
  weightDecay: 0.001,
});

describe('learning-rate schedules', () => {
  it('give known values', () => {
    const total = 100;
    expect(SCHEDULES.create('constant').lr(0.1, 50, total)).toBeCloseTo(0.1);
    expect(SCHEDULES.create('constant', { warmupSteps: 10 }).lr(0.1, 4, total)).toBeCloseTo(0.05);
    expect(SCHEDULES.create('step', { stepSize: 30, gamma: 0.5 }).lr(0.1, 65, total)).toBeCloseTo(
      0.025,
    );
    const cos = SCHEDULES.create('cosine', { minLr: 0.01 });
    expect(cos.lr(0.1, 0, total)).toBeCloseTo(0.1);
    expect(cos.lr(0.1, 50, total)).toBeCloseTo(0.055);
    expect(cos.lr(0.1, 100, total)).toBeCloseTo(0.01);
    expect(SCHEDULES.create('linear', { endFactor: 0.5 }).lr(0.2, 50, total)).toBeCloseTo(0.15);
  });

  it('a bad config is INVALID_CONFIG naming the field', () => {
    expect(() => SCHEDULES.create('step', { gamma: 0.5 })).toThrow(
      /step schedule config at "stepSize"/,
    );
    expect(() => OPTIMIZERS.create('adam', { lr: -1 })).toThrow(/adam optimizer config at "lr"/);
  });
});
