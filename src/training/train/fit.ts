import { MortarError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { NetworkModel } from '../models/model.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { LrSchedule } from '../optim/schedule.js';
import type { Callback, EpochLogs, TrainingControl, TrainingSnapshot } from './callback.js';
import { checkDataset, type Dataset } from './dataset.js';
import type { GradientExecutor } from './executor.js';
import { LocalExecutor } from './executor.js';
import { runRows } from './step.js';

/** Options of {@link fit}. */
export interface FitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Seeds shuffling and dropout (weights are seeded when the model is built). */
  readonly seed: number;
  /** Shuffle the rows every epoch (default true). */
  readonly shuffle?: boolean;
  /** Default: constant. */
  readonly schedule?: LrSchedule;
  /** Evaluated after every epoch (valLoss, valAccuracy). */
  readonly validation?: Dataset;
  readonly callbacks?: readonly Callback[];
  /** Resume from a snapshot (e.g. a checkpoint): weights, optimizer, rngs and history. */
  readonly resume?: TrainingSnapshot;
  /**
   * Who computes gradients (default: this thread). A {@link ParallelExecutor} splits each batch
   * over worker threads and averages their gradients.
   */
  readonly executor?: GradientExecutor;
  /** Stops between batches when aborted (CANCELLED). */
  readonly signal?: AbortSignal;
}

/** What {@link fit} returns. */
export interface FitResult {
  readonly history: readonly EpochLogs[];
  /** Epochs completed in total (including resumed ones). */
  readonly epochs: number;
  /** Why training ended before `epochs` (early stopping, pruning), or null. */
  readonly stopReason: string | null;
}

/**
 * Trains `model` with mini-batch gradient descent. Deterministic: the same seed, data, model
 * seed and executor thread count give bit-identical weights (each batch's rows are fixed by the
 * seeded shuffle, per-thread shards are fixed, and shard gradients are summed in a fixed order).
 *
 * @example
 * const model = NetworkModel.create(engine, modelRecipe('mlp', { features: 4, classes: 3 }), 1);
 * const result = await fit(model, OPTIMIZERS.create('adam', { lr: 0.01 }), train, { epochs: 20, batchSize: 32, seed: 1 });
 */
export async function fit(
  model: NetworkModel,
  optimizer: Optimizer,
  train: Dataset,
  options: FitOptions,
): Promise<FitResult> {
  const { epochs, batchSize, seed } = options;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new MortarError('INVALID_ARGUMENT', `fit: epochs must be an integer >= 0, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new MortarError(
      'INVALID_ARGUMENT',
      `fit: batchSize must be an integer >= 1, got ${batchSize}`,
    );
  checkDataset('training data', train, model.net.inputShape);
  if (options.validation) checkDataset('validation data', options.validation, model.net.inputShape);
  if (train.n === 0)
    throw new MortarError('INVALID_ARGUMENT', 'fit: the training data has no rows');

  const net = model.net;
  const params = net.trainableParams();
  const callbacks = options.callbacks ?? [];
  const executor: GradientExecutor = options.executor ?? new LocalExecutor(model);
  let shuffleRng = new Rng(seed);
  let dropoutRng = new Rng(seed).stream(1);
  const history: EpochLogs[] = [];
  let startEpoch = 0;
  if (options.resume) {
    const r = options.resume;
    net.setWeights(r.weights);
    optimizer.setState(r.optimizer, params);
    shuffleRng = Rng.fromState(r.rng.shuffle as [number, number, number, number]);
    dropoutRng = Rng.fromState(r.rng.dropout as [number, number, number, number]);
    history.push(...r.history);
    startEpoch = r.epoch;
  }
  let stopReason: string | null = null;
  const control: TrainingControl = {
    stop(reason) {
      stopReason ??= reason;
    },
    get stopReason() {
      return stopReason;
    },
    snapshot: () => ({
      epoch: history.length ? (history[history.length - 1] as EpochLogs).epoch : startEpoch,
      weights: net.getWeights(),
      optimizer: optimizer.getState(),
      rng: { shuffle: shuffleRng.state(), dropout: dropoutRng.state() },
      history: [...history],
    }),
  };

  const batches = Math.ceil(train.n / batchSize);
  const totalSteps = batches * epochs;
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  for (const c of callbacks) await c.onTrainBegin?.(control);
  await executor.start?.(train, seed);
  try {
    for (let epoch = startEpoch + 1; epoch <= epochs && stopReason === null; epoch++) {
      if (options.shuffle ?? true) {
        // from the identity each epoch, so the order depends on the rng state alone (resumable)
        for (let i = 0; i < order.length; i++) order[i] = i;
        for (let i = order.length - 1; i > 0; i--) {
          const j = shuffleRng.int(0, i);
          const t = order[i] as number;
          order[i] = order[j] as number;
          order[j] = t;
        }
      }
      let lossSum = 0;
      let correct = 0;
      let lr = optimizer.lr;
      for (let bi = 0; bi < batches; bi++) {
        if (options.signal?.aborted)
          throw new MortarError(
            'CANCELLED',
            `training cancelled in epoch ${epoch}, batch ${bi + 1}`,
          );
        const idx = order.subarray(bi * batchSize, Math.min(train.n, (bi + 1) * batchSize));
        net.zeroGrad();
        const r = await executor.gradients(train, idx, dropoutRng);
        if (!Number.isFinite(r.lossSum)) {
          throw new MortarError(
            'FAILED_PRECONDITION',
            `training diverged: the loss is ${r.lossSum} in epoch ${epoch}, batch ${bi + 1}; lower the learning rate or check the features for huge values`,
          );
        }
        lr = options.schedule?.lr(optimizer.lr, optimizer.steps, totalSteps) ?? optimizer.lr;
        optimizer.step(params, lr);
        lossSum += r.lossSum;
        correct += r.correct;
        for (const c of callbacks)
          c.onBatchEnd?.({ epoch, batch: bi + 1, batches, loss: r.lossSum / r.rows }, control);
      }
      const logs: { -readonly [K in keyof EpochLogs]: EpochLogs[K] } = {
        epoch,
        loss: lossSum / train.n,
        lr,
        steps: optimizer.steps,
      };
      if (model.task !== 'regression') logs.accuracy = correct / train.n;
      if (options.validation) {
        const v = evaluateModel(model, options.validation, batchSize);
        logs.valLoss = v.loss;
        if (v.accuracy !== undefined) logs.valAccuracy = v.accuracy;
      }
      history.push(logs);
      for (const c of callbacks) await c.onEpochEnd?.(logs, control);
    }
  } finally {
    await executor.stop?.();
  }
  for (const c of callbacks) await c.onTrainEnd?.(history, control);
  return {
    history,
    epochs: history.length ? (history[history.length - 1] as EpochLogs).epoch : startEpoch,
    stopReason,
  };
}

/** Mean loss (and accuracy for classifiers) of `model` on `data`, in inference mode. */
export function evaluateModel(
  model: NetworkModel,
  data: Dataset,
  batchSize = 256,
): { loss: number; accuracy?: number } {
  checkDataset('evaluation data', data, model.net.inputShape);
  let lossSum = 0;
  let correct = 0;
  const idx = new Int32Array(batchSize);
  const state = model.net.createState();
  try {
    for (let s = 0; s < data.n; s += batchSize) {
      const b = Math.min(batchSize, data.n - s);
      for (let i = 0; i < b; i++) idx[i] = s + i;
      const r = runRows(model, data, idx.subarray(0, b), false, undefined, state);
      lossSum += r.lossSum;
      correct += r.correct;
    }
  } finally {
    state.dispose();
  }
  const n = Math.max(1, data.n);
  return model.task === 'regression'
    ? { loss: lossSum / n }
    : { loss: lossSum / n, accuracy: correct / n };
}
