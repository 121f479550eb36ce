import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  cost,
  logLoss,
  mae,
  minCostThreshold,
  precisionRecallF1,
  rmse,
  rocAuc,
} from './metrics.js';

// Reference numbers below were computed once with Debian's python3-sklearn 1.2.1
// (`/usr/bin/python3`, sklearn.metrics: accuracy_score, precision_score/recall_score/f1_score with
// average=None|'macro'|'micro', roc_auc_score, log_loss, confusion_matrix, mean_squared_error,
// mean_absolute_error) on exactly these arrays, and hard-coded here.
const yt = [0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1];
const yp = [0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1];
const s = [0.1, 0.8, 0.4, 0.35, 0.8, 0.9, 0.6, 0.2, 0.7, 0.6, 0.3, 0.55];
const mt = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0];
const mp = [0, 2, 2, 1, 1, 0, 2, 0, 1, 2];

describe('classification metrics (scikit-learn 1.2.1 references)', () => {
  it('accuracy and binary precision/recall/F1', () => {
    expect(accuracy(yt, yp)).toBeCloseTo(0.6666666666666666, 14);
    const b = precisionRecallF1(yt, yp);
    expect(b.precision).toBeCloseTo(0.7142857142857143, 14);
    expect(b.recall).toBeCloseTo(0.7142857142857143, 14);
    expect(b.f1).toBeCloseTo(0.7142857142857143, 14);
  });

  it('macro and micro averages on three classes', () => {
    const ma = precisionRecallF1(mt, mp, { average: 'macro' });
    expect(ma.precision).toBeCloseTo(0.611111111111111, 14);
    expect(ma.recall).toBeCloseTo(0.611111111111111, 14);
    expect(ma.f1).toBeCloseTo(0.6031746031746033, 14);
    const mi = precisionRecallF1(mt, mp, { average: 'micro' });
    expect(mi).toEqual({ precision: 0.6, recall: 0.6, f1: 0.6 });
  });

  it('confusion matrices', () => {
    expect(confusionMatrix(yt, yp).matrix).toEqual([
      [3, 2],
      [2, 5],
    ]);
    expect(confusionMatrix(mt, mp)).toEqual({
      labels: [0, 1, 2],
      matrix: [
        [2, 0, 1],
        [1, 2, 1],
        [0, 1, 2],
      ],
    });
  });

  it('ROC AUC with tied scores, and log-loss', () => {
    expect(rocAuc(yt, s)).toBeCloseTo(0.7999999999999999, 14);
    expect(logLoss(yt, s)).toBeCloseTo(0.5181909621661241, 14);
  });

  it('AUC counts a tie as one half (hand-computed: 3.5 of 4 pairs)', () => {
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBe(0.875);
    expect(rocAuc([-1, 1], [0.3, 0.3])).toBe(0.5);
  });

  it('binary metrics with a chosen positive label (-1/+1 data)', () => {
    const t = [1, -1, -1, 1];
    const p = [1, 1, -1, -1];
    expect(precisionRecallF1(t, p, { positive: -1 })).toEqual({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
    });
    expect(precisionRecallF1([0, 0], [0, 0])).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('regression metrics', () => {
  it('RMSE and MAE (scikit-learn 1.2.1 references)', () => {
    const t = [3.0, -0.5, 2.0, 7.0];
    const p = [2.5, 0.0, 2.0, 8.0];
    expect(rmse(t, p)).toBeCloseTo(0.6123724356957945, 14);
    expect(mae(t, p)).toBe(0.5);
  });
});

describe('cost-sensitive cost', () => {
  const costs = { falsePositive: 1, falseNegative: 5 };
  it('counts each error at its price (hand-computed)', () => {
    expect(cost([1, 0, 1], [0, 1, 1], costs)).toEqual({
      cost: 6,
      meanCost: 2,
      falsePositives: 1,
      falseNegatives: 1,
    });
  });

  it('finds the threshold minimizing the cost (hand-computed sweep)', () => {
    // thresholds: Inf -> 10, 0.9 -> 5, 0.8 -> 6, 0.3 -> 1, 0.1 -> 2
    const r = minCostThreshold([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], costs);
    expect(r).toEqual({
      threshold: 0.3,
      cost: 1,
      meanCost: 0.25,
      falsePositives: 1,
      falseNegatives: 0,
    });
    // with false positives expensive, predicting nothing positive wins
    const none = minCostThreshold([1, 0, 1, 0], [0.9, 0.95, 0.3, 0.99], {
      falsePositive: 100,
      falseNegative: 1,
    });
    expect(none.threshold).toBe(Infinity);
    expect(none.cost).toBe(2);
  });
});

describe('bad input', () => {
  it('names the mismatch, empty input and NaN', () => {
    expect(() => accuracy([1, 0], [1])).toThrow(/labels have 2 entries but predictions have 1/);
    expect(() => rmse([], [])).toThrow(/empty input/);
    expect(() => mae([1, NaN], [1, 2])).toThrow(/labels\[1\] is NaN/);
    expect(() => rocAuc([1, 1], [0.2, 0.4])).toThrow(/needs both classes/);
    expect(() => cost([1], [1], { falsePositive: -1, falseNegative: 1 })).toThrow(/falsePositive/);
  });
});
