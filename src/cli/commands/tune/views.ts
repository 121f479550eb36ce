/** What `mortar tune show|best|export` print, as plain JSON-safe values. */
import { MortarError } from '../../../core/errors.js';
import type { Study, FrozenTrial } from '../../../tuning/index.js';
import type { TuneSpec } from './spec.js';

/** One trial as `show`/`export` print it. */
export function trialRow(t: FrozenTrial): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    values: t.values ?? null,
    params: t.params,
    metrics: t.metrics,
    ...(t.constraints ? { constraints: t.constraints } : {}),
    ...(t.systemAttrs['fail_reason'] !== undefined
      ? { failReason: t.systemAttrs['fail_reason'] }
      : {}),
    ...(Object.keys(t.userAttrs).length > 0 ? { userAttrs: t.userAttrs } : {}),
    startedAt: t.startedAt ?? null,
    finishedAt: t.finishedAt ?? null,
  };
}

/** `best --json`: `{ value, params }`, or `{ pareto: [{ number, values, params }] }` for several objectives. */
export async function bestOf(study: Study): Promise<Record<string, unknown>> {
  if (study.directions.length === 1) {
    const t = await study.bestTrial();
    return {
      value: t.values?.[0] ?? null,
      params: t.params,
      number: t.number,
      feasible: t.constraints?.every((c) => c <= 0) ?? true,
    };
  }
  const front = await study.bestTrials();
  if (front.length === 0)
    throw new MortarError('NOT_FOUND', `study "${study.name}" has no complete feasible trial yet`);
  return { pareto: front.map((t) => ({ number: t.number, values: t.values, params: t.params })) };
}

/** A summary for `show`. */
export async function summary(
  study: Study,
  spec: TuneSpec | undefined,
): Promise<Record<string, unknown>> {
  const trials = await study.getTrials();
  const counts: Record<string, number> = {
    waiting: 0,
    running: 0,
    complete: 0,
    pruned: 0,
    failed: 0,
  };
  for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  let best: Record<string, unknown> | null = null;
  try {
    best = await bestOf(study);
  } catch (e) {
    if (!(e instanceof MortarError && e.code === 'NOT_FOUND')) throw e;
  }
  return {
    study: study.name,
    directions: study.directions,
    objectives: spec?.objectives.map((o) => o.name) ?? null,
    constraints: study.constraints.map((c) => c.text),
    budget: spec?.trials ?? null,
    counts,
    best,
  };
}
