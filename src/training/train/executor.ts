import type { Rng } from '../../core/rng.js';
import type { NetworkModel } from '../models/model.js';
import type { Dataset } from './dataset.js';
import { runRows, type StepResult } from './step.js';

/**
 * Computes a batch's gradients into the model's params — on this thread, or split over workers.
 *
 * Contract: `gradients(data, idx, rng)` leaves in every trainable param's gradient the gradient
 * of the mean loss over rows `idx` (the caller zeroed gradients), and returns the summed loss and
 * correct count. The same executor, data and rng states give the same gradients bit for bit.
 * `start` is called once before the first batch with the training data, `stop` once at the end.
 */
export interface GradientExecutor {
  start?(data: Dataset, seed: number): Promise<void>;
  gradients(data: Dataset, idx: Int32Array, rng: Rng): Promise<StepResult> | StepResult;
  stop?(): Promise<void>;
}

/** The default executor: forward and backward on the calling thread. */
export class LocalExecutor implements GradientExecutor {
  constructor(private readonly model: NetworkModel) {}
  gradients(data: Dataset, idx: Int32Array, rng: Rng): StepResult {
    return runRows(this.model, data, idx, true, rng);
  }
}
