import { MortarError } from '../../../core/errors.js';
import type { NamedWeights } from '../../nn/sequential.js';
import type { Callback, EpochLogs, TrainingControl } from '../callback.js';

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** The logged metric to watch (default `valLoss`). */
  readonly monitor?: keyof EpochLogs;
  /** `min` (losses, default) or `max` (accuracies). */
  readonly mode?: 'min' | 'max';
  /** Epochs without improvement before stopping (default 3). */
  readonly patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** Receives the best epoch's weights when training stops (to restore them). */
  readonly onBest?: (epoch: number, weights: readonly NamedWeights[]) => void;
}

/**
 * Stops training when `monitor` has not improved by `minDelta` for `patience` epochs. The best
 * epoch's snapshot weights are kept and handed to `onBest` (and exposed as `best`).
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback & {
  readonly best: { epoch: number; value: number; weights: readonly NamedWeights[] } | null;
} {
  const monitor = options.monitor ?? 'valLoss';
  const mode = options.mode ?? 'min';
  const patience = options.patience ?? 3;
  const minDelta = options.minDelta ?? 0;
  if (!Number.isInteger(patience) || patience < 0)
    throw new MortarError(
      'INVALID_ARGUMENT',
      `earlyStopping: patience must be an integer >= 0, got ${patience}`,
    );
  let best: { epoch: number; value: number; weights: readonly NamedWeights[] } | null = null;
  let waited = 0;
  return {
    get best() {
      return best;
    },
    onEpochEnd(logs: EpochLogs, control: TrainingControl) {
      const value = logs[monitor];
      if (typeof value !== 'number') {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `earlyStopping: metric "${monitor}" is not logged (logged: ${Object.keys(logs).join(', ')}); give fit() validation data or monitor "loss"`,
        );
      }
      const better =
        best === null ||
        (mode === 'min' ? value < best.value - minDelta : value > best.value + minDelta);
      if (better) {
        best = { epoch: logs.epoch, value, weights: control.snapshot().weights };
        waited = 0;
        return;
      }
      waited++;
      if (waited > patience) {
        control.stop(
          `early stopping: ${monitor} did not improve for ${patience + 1} epochs (best ${best?.value} at epoch ${best?.epoch})`,
        );
      }
    },
    onTrainEnd() {
      if (best && options.onBest) options.onBest(best.epoch, best.weights);
    },
  };
}
