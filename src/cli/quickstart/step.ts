import type { JsonObject } from '../../core/json.js';
import type { Rng } from '../../core/rng.js';
import type { Store } from '../../core/store/index.js';
import type { CliContext } from '../context.js';

/** What every quickstart step can use. `shared` carries results between steps (e.g. file paths). */
export interface QuickstartEnv {
  readonly ctx: CliContext;
  readonly store: Store;
  /** Where steps write their files (`.mortar/quickstart` by default). */
  readonly workDir: string;
  readonly seed: number;
  readonly rng: Rng;
  /** True with `--json`: steps print nothing themselves. */
  readonly quiet: boolean;
  readonly shared: Map<string, unknown>;
  /** Prints a line unless quiet. */
  say(line?: string): void;
}

/** What a step reports back: a one-line summary and JSON-safe details for `--json` and the run. */
export interface StepOutcome {
  readonly summary: string;
  readonly details: JsonObject;
}

/**
 * One step of `mortar quickstart`, the main job. Each capability adds a step (validate, label,
 * train, tune, serve...) in its own file under `steps/` and lists it in `steps/index.ts`.
 */
export interface QuickstartStep {
  /** Stable id, usable with `--steps`. */
  readonly id: string;
  /** What the step shows, in a few words. */
  readonly title: string;
  run(env: QuickstartEnv): Promise<StepOutcome>;
}
