/**
 * The conformance suite every label model must pass (one suite, run against every
 * implementation). Call from a `*.test.ts` file:
 *
 * @example
 * import { labelModelConformance } from '../../testing/label-model-conformance.js';
 * labelModelConformance('majority', () => new MajorityVote());
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { isMortarError } from '../core/errors.js';
import {
  LabelMatrix,
  predictLabels,
  restoreLabelModel,
  type LabelModel,
} from '../labeling/index.js';

/** A synthetic task with conditionally independent LFs of known accuracy (seeded). */
export function syntheticLabelTask(opts: {
  n: number;
  k: number;
  accuracies: readonly number[];
  coverage: number;
  seed: number;
}): { L: LabelMatrix; gold: Int32Array } {
  const rng = new Rng(opts.seed);
  const gold = new Int32Array(opts.n);
  const rows: number[][] = [];
  for (let i = 0; i < opts.n; i++) {
    const y = rng.int(0, opts.k - 1);
    gold[i] = y;
    rows.push(
      opts.accuracies.map((a) => {
        if (rng.float() >= opts.coverage) return -1;
        if (rng.float() < a) return y;
        const o = rng.int(0, opts.k - 2);
        return o >= y ? o + 1 : o;
      }),
    );
  }
  return { L: LabelMatrix.fromRows(rows), gold };
}

function accuracy(probs: Float64Array, k: number, gold: Int32Array, L: LabelMatrix): number {
  const pred = predictLabels(probs, k, 'lowest');
  let ok = 0;
  let n = 0;
  for (let i = 0; i < gold.length; i++) {
    if (L.rowPtr[i + 1] === L.rowPtr[i]) continue;
    n++;
    if (pred[i] === gold[i]) ok++;
  }
  return ok / n;
}

/** Runs the suite for one label model kind; `create` returns a fresh unfitted model. */
export function labelModelConformance(name: string, create: () => LabelModel): void {
  describe(`label model conformance: ${name}`, () => {
    const bin = syntheticLabelTask({
      n: 2000,
      k: 2,
      accuracies: [0.9, 0.8, 0.75, 0.7, 0.85],
      coverage: 0.6,
      seed: 1,
    });

    it('returns n x k probabilities whose rows sum to 1', () => {
      const m = create().fit(bin.L, { cardinality: 2 });
      const p = m.predictProba(bin.L);
      expect(p.length).toBe(bin.L.n * 2);
      for (let i = 0; i < bin.L.n; i++) expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 9);
      expect(m.cardinality).toBe(2);
    });

    it('beats the best single LF on conditionally independent LFs (binary)', () => {
      const m = create().fit(bin.L, { cardinality: 2 });
      expect(accuracy(m.predictProba(bin.L), 2, bin.gold, bin.L)).toBeGreaterThan(0.88);
    });

    it('handles multi-class (k = 3)', () => {
      const t = syntheticLabelTask({
        n: 2000,
        k: 3,
        accuracies: [0.85, 0.8, 0.75, 0.7, 0.8],
        coverage: 0.7,
        seed: 2,
      });
      const m = create().fit(t.L, { cardinality: 3 });
      const p = m.predictProba(t.L);
      expect(p.length).toBe(t.L.n * 3);
      expect(accuracy(p, 3, t.gold, t.L)).toBeGreaterThan(0.8);
    });

    it('gives every all-abstain row the same probabilities', () => {
      const L = LabelMatrix.fromRows([
        ...bin.L.toRows().slice(0, 200),
        [-1, -1, -1, -1, -1],
        [-1, -1, -1, -1, -1],
      ]);
      const m = create().fit(L, { cardinality: 2 });
      const p = m.predictProba(L);
      expect(p[400]).toBeCloseTo(p[402]!, 12);
    });

    it('uses a given class balance and rejects a malformed one', () => {
      const m = create().fit(bin.L, { cardinality: 2, classBalance: [0.3, 0.7] });
      expect(m.classBalance[1]).toBeCloseTo(0.7, 9);
      expect(() => create().fit(bin.L, { cardinality: 2, classBalance: [0.5, 0.2] })).toThrow(
        /classBalance/,
      );
      expect(() => create().fit(bin.L, { cardinality: 2, classBalance: [1] })).toThrow(
        /classBalance/,
      );
    });

    it('is deterministic and round-trips through toJSON', () => {
      const a = create().fit(bin.L, { cardinality: 2, seed: 7 });
      const b = create().fit(bin.L, { cardinality: 2, seed: 7 });
      expect(Array.from(a.predictProba(bin.L))).toEqual(Array.from(b.predictProba(bin.L)));
      const restored = restoreLabelModel(JSON.parse(JSON.stringify(a.toJSON())));
      expect(restored.kind).toBe(a.kind);
      const pa = a.predictProba(bin.L);
      const pr = restored.predictProba(bin.L);
      for (let t = 0; t < pa.length; t += 97) expect(pr[t]).toBeCloseTo(pa[t]!, 9);
    });

    it('refuses to predict before fit, a matrix of another width, and out-of-range votes', () => {
      expect(() => create().predictProba(bin.L)).toThrow(/not fitted/);
      const m = create().fit(bin.L, { cardinality: 2 });
      expect(() => m.predictProba(bin.L.selectColumns([0, 1, 2]))).toThrow(/5/);
      try {
        create().fit(
          LabelMatrix.fromRows([
            [0, 1, 2],
            [1, 1, 0],
            [0, -1, 1],
          ]),
          { cardinality: 2 },
        );
        expect.unreachable();
      } catch (e) {
        expect(isMortarError(e, 'DATA_INVALID')).toBe(true);
        expect((e as Error).message).toMatch(/row 0, LF "lf_2"/);
      }
    });

    it('accepts correlations only when it models them', () => {
      const fit = () => create().fit(bin.L, { cardinality: 2, correlations: [[0, 1]] });
      if (create().supportsCorrelations) expect(() => fit()).not.toThrow();
      else expect(fit).toThrow(/does not model correlated/);
    });
  });
}
