/**
 * Conformance suite for serving selection policies (`Bandit` in `mortar/serving`).
 *
 * @example
 * banditConformance('exp3', (arms) => new Exp3(arms, { gamma: 0.1 }));
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import type { Bandit } from '../serving/index.js';

/** Options of {@link banditConformance}. */
export interface BanditConformanceOptions {
  /** True when the policy must learn to prefer the best arm from rewards (false for splits). */
  readonly learns?: boolean;
}

/** Runs the contract of `Bandit` against bandits built by `create(arms)`. */
export function banditConformance(
  name: string,
  create: (arms: number) => Bandit,
  opts: BanditConformanceOptions = {},
): void {
  describe(`Bandit conformance: ${name}`, () => {
    it('selects valid arms whose weights sum to 1', () => {
      const b = create(3);
      const rng = new Rng(1);
      for (let i = 0; i < 200; i++) {
        const s = b.select(rng);
        expect(s.arms.length).toBeGreaterThanOrEqual(1);
        expect(s.arms.length).toBe(s.weights.length);
        expect(s.arms.length).toBe(s.probs.length);
        for (const a of s.arms) expect(a >= 0 && a < 3).toBe(true);
        expect(s.weights.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
        b.update(
          s,
          s.arms.map((a) => (a === 0 ? 1 : 0)),
        );
      }
      const w = b.weights();
      expect(w).toHaveLength(3);
      expect(w.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
    });

    it('is deterministic for a seed', () => {
      const run = () => {
        const b = create(4);
        const rng = new Rng(7);
        const picks: number[][] = [];
        for (let i = 0; i < 100; i++) {
          const s = b.select(rng);
          picks.push([...s.arms]);
          b.update(
            s,
            s.arms.map((a) => (a === 2 ? 0.9 : 0.2)),
          );
        }
        return picks;
      };
      expect(run()).toEqual(run());
    });

    it('ignores stragglers (undefined rewards) and late feedback', () => {
      const b = create(2);
      const rng = new Rng(3);
      const early = b.select(rng);
      const late = b.select(rng);
      b.update(
        late,
        late.arms.map(() => undefined),
      );
      b.update(
        early,
        early.arms.map(() => 1),
      );
      expect(b.weights().every((w) => Number.isFinite(w))).toBe(true);
    });

    if (opts.learns ?? true) {
      it('comes to prefer the arm with the best reward', () => {
        const b = create(3);
        const rng = new Rng(11);
        const env = new Rng(12);
        for (let i = 0; i < 2000; i++) {
          const s = b.select(rng);
          const mean = [0.2, 0.8, 0.4];
          b.update(
            s,
            s.arms.map((a) => (env.float() < mean[a]! ? 1 : 0)),
          );
        }
        const w = b.weights();
        expect(w.indexOf(Math.max(...w))).toBe(1);
      });
    }
  });
}
