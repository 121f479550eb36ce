import { MortarError } from '../../../core/errors.js';
import type { Callback, EpochLogs, TrainingControl } from '../callback.js';

/**
 * Where intermediate values go, e.g. a tuning trial: `report` records the value at a step and
 * `shouldPrune` asks the trial's pruner whether to stop. Both may be async.
 */
export interface IntermediateReporter {
  report(value: number, step: number): void | Promise<void>;
  shouldPrune(): boolean | Promise<boolean>;
}

/**
 * Reports `monitor` (default `valLoss`) after every epoch (step = epoch) and stops training when
 * the reporter says to prune; the stop reason says so, so callers can mark the trial pruned.
 */
export function reportTo(
  reporter: IntermediateReporter,
  monitor: keyof EpochLogs = 'valLoss',
): Callback {
  return {
    async onEpochEnd(logs: EpochLogs, control: TrainingControl) {
      const value = logs[monitor];
      if (typeof value !== 'number') {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `reportTo: metric "${monitor}" is not logged (logged: ${Object.keys(logs).join(', ')})`,
        );
      }
      await reporter.report(value, logs.epoch);
      if (await reporter.shouldPrune())
        control.stop(`pruned at epoch ${logs.epoch} (${monitor} = ${value})`);
    },
  };
}

/** Calls `f` with every epoch's logs (metrics to a run, a progress line). */
export function onEpoch(f: (logs: EpochLogs) => void | Promise<void>): Callback {
  return { onEpochEnd: (logs) => f(logs) };
}
