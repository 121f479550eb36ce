import type { NamedWeights } from '../nn/sequential.js';
import type { OptimizerState } from '../optim/optimizer.js';

/** Metrics of one finished epoch (1-based `epoch`). */
export interface EpochLogs {
  readonly epoch: number;
  /** Mean training loss over the epoch's batches (as the weights moved). */
  readonly loss: number;
  /** Training accuracy over the epoch (classifiers). */
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  /** Learning rate of the epoch's last step. */
  readonly lr: number;
  /** Optimizer steps so far. */
  readonly steps: number;
}

/** Everything needed to resume training exactly where it stood after `epoch` epochs. */
export interface TrainingSnapshot {
  readonly epoch: number;
  readonly weights: readonly NamedWeights[];
  readonly optimizer: OptimizerState;
  /** States of the shuffle and dropout generators. */
  readonly rng: { readonly shuffle: readonly number[]; readonly dropout: readonly number[] };
  readonly history: readonly EpochLogs[];
}

/** What callbacks may do to the running loop. */
export interface TrainingControl {
  /** Ends training after the current epoch; `reason` is reported in the result. */
  stop(reason: string): void;
  /** The reason given to stop(), or null. */
  readonly stopReason: string | null;
  /** A copy of the current state (weights, optimizer, rngs, history) for checkpoints. */
  snapshot(): TrainingSnapshot;
}

/** Progress inside an epoch. */
export interface BatchInfo {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
}

/**
 * A hook into {@link fit}. Every method is optional. Call order: onTrainBegin, then per epoch
 * onBatchEnd for every batch and onEpochEnd once (awaited, in the order callbacks were given),
 * then onTrainEnd. A callback that throws ends training with that error (never swallowed).
 * Callbacks run on the main thread and must not change the weights.
 */
export interface Callback {
  onTrainBegin?(control: TrainingControl): void | Promise<void>;
  onBatchEnd?(info: BatchInfo, control: TrainingControl): void;
  onEpochEnd?(logs: EpochLogs, control: TrainingControl): void | Promise<void>;
  onTrainEnd?(history: readonly EpochLogs[], control: TrainingControl): void | Promise<void>;
}
