/**
 * The worker loop shared by `mortar tune run` (K lanes in one process) and `mortar tune worker`
 * (one process of many): claim a budget slot (or a waiting retry), ask, run the command with a
 * heartbeat, tell; reap trials of dead workers; stop when the budget is spent and nothing runs.
 */
import { hostname } from 'node:os';
import type { Store } from '../../../core/store/index.js';
import { toMortarError } from '../../../core/errors.js';
import {
  StoreCoordinator,
  type FrozenTrial,
  type ParamValue,
  type Study,
} from '../../../tuning/index.js';
import { runCommand, substitute } from './exec.js';
import { specSpace, type TuneSpec } from './spec.js';

/** Options of {@link runLoop}. */
export interface LoopOptions {
  readonly store: Store;
  readonly study: Study;
  readonly spec: TuneSpec;
  /** Trials in flight at once in this process. */
  readonly concurrency: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Stops claiming trials and interrupts running commands. */
  readonly signal: AbortSignal;
  /** Called when a trial of this process finishes. */
  readonly onTrial?: (t: FrozenTrial) => void;
  /** Called when a stale trial of another worker is failed. */
  readonly onReaped?: (t: FrozenTrial) => void;
  /** Poll interval while waiting for other workers (default min(1000, heartbeatMs)). */
  readonly pollMs?: number;
}

/** What a loop did. */
export interface LoopResult {
  readonly finished: FrozenTrial[];
  readonly interrupted: boolean;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/** Turns a command's JSON line into tell options (or a failure reason). */
export function toResult(
  spec: TuneSpec,
  metrics: Readonly<Record<string, unknown>> | number,
): { values: number[]; metrics: Record<string, number> } | { reason: string } {
  if (typeof metrics === 'number') {
    if (spec.objectives.length !== 1)
      return {
        reason: `the command printed a bare number; print an object with ${spec.objectives.map((o) => `"${o.name}"`).join(', ')}`,
      };
    return { values: [metrics], metrics: {} };
  }
  const values: number[] = [];
  for (const o of spec.objectives) {
    const v = metrics[o.name];
    if (v === undefined)
      return {
        reason: `the JSON line has no "${o.name}" (keys: ${Object.keys(metrics).join(', ') || 'none'}); print {"${o.name}": <number>, ...}`,
      };
    if (typeof v !== 'number' || !Number.isFinite(v))
      return { reason: `objective "${o.name}" is ${JSON.stringify(v)}, not a finite number` };
    values.push(v);
  }
  const extra: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics))
    if (typeof v === 'number' && Number.isFinite(v) && !spec.objectives.some((o) => o.name === k))
      extra[k] = v;
  return { values, metrics: extra };
}

/** Runs trials until the budget is spent (or `signal` aborts). */
export async function runLoop(opts: LoopOptions): Promise<LoopResult> {
  const { study, spec } = opts;
  const space = specSpace(spec);
  const known = new Set(Object.keys(space.distributions));
  const coord = new StoreCoordinator(opts.store, study, {
    worker: `${hostname()}:${process.pid}`,
    staleAfterMs: spec.staleAfterMs,
    maxRetries: spec.maxRetries,
  });
  const own = new Set<number>();
  const finished: FrozenTrial[] = [];
  const pollMs = opts.pollMs ?? Math.min(1000, spec.heartbeatMs);

  const lane = async (): Promise<void> => {
    let slot = false;
    try {
      while (!opts.signal.aborted) {
        for (const t of await coord.reapStale(own)) opts.onReaped?.(t);
        if (!slot) slot = await coord.claimSlot(spec.trials);
        let trial = slot ? await study.ask(space) : await study.askWaiting(space);
        if (!trial) {
          const others = (await study.getTrials(['running', 'waiting'])).filter(
            (t) => !own.has(t.number),
          );
          if (others.length === 0) return;
          await sleep(pollMs, opts.signal);
          continue;
        }
        if (trial.frozen().systemAttrs['fixed_params'] === undefined) slot = false;
        own.add(trial.number);
        const told = await runOne(trial.number, trial.params as Record<string, ParamValue>);
        own.delete(trial.number);
        trial = undefined;
        if (told) {
          finished.push(told);
          opts.onTrial?.(told);
        }
      }
    } finally {
      if (slot) await coord.releaseSlot();
    }
  };

  const runOne = async (
    number: number,
    params: Record<string, ParamValue>,
  ): Promise<FrozenTrial | undefined> => {
    await coord.beat(number);
    const beating = setInterval(() => {
      coord.beat(number).catch(() => undefined); // a missed beat only risks a spurious retry
    }, spec.heartbeatMs);
    try {
      const outcome = await runCommand({
        argv: substitute(spec.command, params, known),
        params,
        cwd: spec.cwd ?? opts.cwd,
        env: opts.env,
        ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}),
        signal: opts.signal,
        extraEnv: { MORTAR_TRIAL: String(number), MORTAR_STUDY: study.name },
      });
      let result: ReturnType<typeof toResult> = outcome.ok
        ? toResult(spec, outcome.metrics)
        : { reason: outcome.reason };
      try {
        if ('values' in result)
          return await study.tell(number, { values: result.values, metrics: result.metrics });
      } catch (e) {
        const err = toMortarError(e);
        if (err.code === 'FAILED_PRECONDITION') return undefined; // declared dead and finished by another worker
        result = { reason: err.message };
      }
      const failed = await study.tell(number, { state: 'failed', reason: result.reason });
      if (opts.signal.aborted) {
        // Interrupted: run these params again when the study resumes (not counted as a retry).
        await study.enqueueTrial(params, {
          userAttrs: {
            retry_of:
              typeof failed.userAttrs['retry_of'] === 'number'
                ? failed.userAttrs['retry_of']
                : number,
            retry: typeof failed.userAttrs['retry'] === 'number' ? failed.userAttrs['retry'] : 0,
          },
        });
      }
      return failed;
    } catch (e) {
      if (toMortarError(e).code === 'FAILED_PRECONDITION') return undefined;
      throw e;
    } finally {
      clearInterval(beating);
      await coord.clear(number).catch(() => undefined);
    }
  };

  await Promise.all(Array.from({ length: opts.concurrency }, lane));
  return { finished, interrupted: opts.signal.aborted };
}
