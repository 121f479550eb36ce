/**
 * Conformance suite for optimizers (`Optimizer` in `mortar/training`): it minimises a convex
 * quadratic, skips params whose gradient is fresh, and a saved state resumes bit-identically.
 *
 * @example
 * optimizerConformance('adam', (cfg) => OPTIMIZERS.create('adam', cfg), { lr: 0.05 });
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../core/json.js';
import { loadEngine, type Engine } from '../core/tensor/index.js';
import { Param, type Optimizer } from '../training/index.js';

/** Runs the suite; `config` must give a learning rate that converges on 0.5 |p - t|^2. */
export function optimizerConformance(
  name: string,
  create: (config: JsonObject) => Optimizer,
  config: JsonObject,
): void {
  describe(`optimizer conformance: ${name}`, () => {
    const target = [1, -2, 0.5, 3, -1];
    const setup = (e: Engine) => new Param('p', e.fromArray([0, 0, 0, 0, 0]));
    const gradStep = (opt: Optimizer, p: Param) => {
      const v = p.value.data;
      p.setGrad(Array.from(v, (x, i) => x - (target[i] as number)));
      opt.step([p]);
    };
    const dist = (p: Param) =>
      Math.hypot(...Array.from(p.value.data, (x, i) => x - (target[i] as number)));

    it('drives a quadratic towards its minimum', async () => {
      const e = await loadEngine();
      const p = setup(e);
      const opt = create(config);
      const before = dist(p);
      for (let i = 0; i < 300; i++) gradStep(opt, p);
      expect(dist(p)).toBeLessThan(before * 0.1);
      expect(opt.steps).toBe(300);
    });

    it('leaves a param alone when its gradient is fresh (no backward wrote it)', async () => {
      const e = await loadEngine();
      const p = setup(e);
      p.value.data.fill(0.25);
      const opt = create(config);
      p.zeroGrad();
      opt.step([p]);
      expect(Array.from(p.value.data)).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
    });

    it('getState/setState resume exactly', async () => {
      const e = await loadEngine();
      const a = setup(e);
      const optA = create(config);
      for (let i = 0; i < 7; i++) gradStep(optA, a);
      const b = new Param('p', e.fromArray(a.value.toArray()));
      const optB = create(config);
      optB.setState(optA.getState(), [b]);
      for (let i = 0; i < 5; i++) {
        gradStep(optA, a);
        gradStep(optB, b);
      }
      expect(Array.from(b.value.data)).toEqual(Array.from(a.value.data));
      expect(optB.steps).toBe(optA.steps);
    });
  });
}
