import { describe, expect, it } from 'vitest';
import {
  labelModelConformance,
  syntheticLabelTask,
} from '../../testing/label-model-conformance.js';
import { LabelMatrix } from '../matrix.js';
import { DawidSkene } from './dawid-skene.js';
import { MajorityVote } from './majority.js';
import { MatrixCompletion } from './matrix-completion.js';
import { predictLabels } from './common.js';
import { selectLabelModel } from './registry.js';
import { Triplet } from './triplet.js';

labelModelConformance('majority', () => new MajorityVote());
labelModelConformance('matrix-completion', () => new MatrixCompletion());
labelModelConformance('triplet', () => new Triplet());
labelModelConformance('dawid-skene', () => new DawidSkene());

describe('majority vote ties', () => {
  const L = LabelMatrix.fromRows([
    [0, 1, -1],
    [1, 1, 0],
    [-1, -1, -1],
  ]);
  const p = new MajorityVote().fit(L, { cardinality: 2 }).predictProba(L);
  it('splits tied votes evenly and applies the explicit tie policy', () => {
    expect(Array.from(p.subarray(0, 2))).toEqual([0.5, 0.5]);
    expect(Array.from(predictLabels(p, 2, 'abstain'))).toEqual([-1, 1, -1]);
    expect(Array.from(predictLabels(p, 2, 'lowest'))).toEqual([0, 1, 0]);
    expect(Array.from(predictLabels(p, 2, 'prior', { prior: [0.2, 0.8] }))).toEqual([1, 1, 1]);
  });
});

describe('selectLabelModel', () => {
  it('picks the most accurate model on the gold rows', () => {
    const t = syntheticLabelTask({
      n: 1000,
      k: 2,
      accuracies: [0.95, 0.6, 0.6, 0.6, 0.6],
      coverage: 0.8,
      seed: 3,
    });
    const gold = Int32Array.from(t.gold, (g, i) => (i < 200 ? g : -1));
    const { model, scores } = selectLabelModel(t.L, gold, { cardinality: 2 });
    expect(scores).toHaveLength(4);
    expect(scores.find((s) => s.kind === model.kind)!.accuracy).toBe(
      Math.max(...scores.map((s) => s.accuracy)),
    );
    // Majority vote cannot learn that LF 0 is the good one; a learned model must beat it.
    expect(model.kind).not.toBe('majority');
  });
});
