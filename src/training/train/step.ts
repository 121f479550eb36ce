import type { Rng } from '../../core/rng.js';
import type { Tensor } from '../../core/tensor/index.js';
import type { NetworkModel } from '../models/model.js';
import type { SequentialState } from '../nn/state.js';
import type { Dataset } from './dataset.js';

/** What one forward(+backward) over some rows produced. */
export interface StepResult {
  /** Sum over the rows of the per-row loss (mean loss x rows). */
  readonly lossSum: number;
  /** Correctly classified rows (0 for regression). */
  readonly correct: number;
  readonly rows: number;
}

/**
 * Runs the model on rows `idx` of `data`: forward, loss, and when `train` is set, backward into
 * the params' gradients (scaled as the mean over these rows; the caller zeroes gradients).
 * Pure computation on one engine: the same code runs on the main thread and in workers.
 */
export function runRows(
  model: NetworkModel,
  data: Dataset,
  idx: ArrayLike<number>,
  train: boolean,
  rng: Rng | undefined,
  state?: SequentialState,
): StepResult {
  const net = model.net;
  const e = net.engine;
  const size = data.sampleShape.reduce((a, b) => a * b, 1);
  const b = idx.length;
  if (b === 0) return { lossSum: 0, correct: 0, rows: 0 };
  return e.scope(() => {
    const x = e.empty([b, ...data.sampleShape]);
    const xd = x.data;
    for (let i = 0; i < b; i++) {
      const r = idx[i] as number;
      xd.set(data.x.subarray(r * size, (r + 1) * size), i * size);
    }
    const tw = data.targetWidth;
    let target: Tensor<'int32'> | Tensor;
    if (data.y instanceof Int32Array) {
      const t = e.empty([b], 'int32');
      const td = t.data;
      for (let i = 0; i < b; i++) td[i] = data.y[idx[i] as number] as number;
      target = t;
    } else {
      const out = net.outputShape.reduce((p, q) => p * q, 1);
      const t = e.empty(tw === out ? [b, tw] : [b]);
      const td = t.data;
      for (let i = 0; i < b; i++) {
        const r = idx[i] as number;
        td.set(data.y.subarray(r * tw, (r + 1) * tw), i * tw);
      }
      target = t.shape.length === 1 && out === 1 ? t.reshape([b, 1]) : t;
    }
    let weights: Tensor | null = null;
    if (data.weights) {
      weights = e.empty([b]);
      const wd = weights.data;
      for (let i = 0; i < b; i++) wd[i] = data.weights[idx[i] as number] as number;
    }
    const y = net.forward(x, { training: train, rng, state });
    const grad = train ? e.empty(y.shape) : null;
    const loss = model.loss.compute(y, target, grad, weights);
    const correct = countCorrect(model, y, target);
    if (grad) net.backward(grad, { state });
    return { lossSum: loss * b, correct, rows: b };
  });
}

function countCorrect(model: NetworkModel, y: Tensor, target: Tensor<'int32'> | Tensor): number {
  if (model.task === 'regression') return 0;
  const out = y.data;
  const n = y.shape[0] as number;
  const k = out.length / Math.max(1, n);
  const t = target.data;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let pred: number;
    if (k === 1) pred = (out[i] as number) > 0 ? 1 : 0;
    else {
      pred = 0;
      for (let j = 1; j < k; j++)
        if ((out[i * k + j] as number) > (out[i * k + pred] as number)) pred = j;
    }
    let want: number;
    if (target.dtype === 'int32' || t.length === n) want = Math.round(t[i] as number);
    else {
      want = 0; // soft labels: the argmax of the target distribution
      for (let j = 1; j < k; j++)
        if ((t[i * k + j] as number) > (t[i * k + want] as number)) want = j;
    }
    if (pred === want) correct++;
  }
  return correct;
}
