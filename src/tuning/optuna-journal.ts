/**
 * Studies in the log format of Optuna's `JournalFileStorage` (Optuna 3.1, one JSON object per
 * line with `op_code` and `worker_id`), so studies move between Mortar and Python both ways.
 * `toOptunaJournal` writes one study as a fresh log (a `CREATE_STUDY`, then one `CREATE_TRIAL`
 * per trial carrying its full content, as Optuna's `add_trial` does); `fromOptunaJournal` replays
 * any log (several studies, trials built op by op by several workers) and returns one study's
 * trials in Mortar's terms, ready for `Study.addTrials`.
 *
 * @example
 * writeFileSync('study.log', toOptunaJournal(study.name, study.directions, await study.getTrials()));
 * // python: optuna.load_study(study_name=..., storage=JournalStorage(JournalFileStorage('study.log')))
 */
import { MortarError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import {
  categoricalDistribution,
  floatDistribution,
  intDistribution,
  toExternal,
  toInternal,
  type CategoricalChoice,
  type Distribution,
  type ParamValue,
} from './distributions.js';
import type { TrialInput } from './study.js';
import type { Direction, FrozenTrial, TrialState } from './trial.js';

/** Optuna's `JournalOperation` codes. */
const OP = {
  CREATE_STUDY: 0,
  DELETE_STUDY: 1,
  SET_STUDY_USER_ATTR: 2,
  SET_STUDY_SYSTEM_ATTR: 3,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
} as const;
const STATES: readonly TrialState[] = ['running', 'complete', 'pruned', 'failed', 'waiting'];
const WORKER = 'mortar-export';

function iso(ms: number | undefined): string | null {
  // Optuna parses with datetime.fromisoformat: no trailing Z.
  return ms === undefined ? null : new Date(ms).toISOString().replace('Z', '');
}

/** A distribution as Optuna's `distribution_to_json`. */
export function toOptunaDistribution(d: Distribution): string {
  if (d.type === 'categorical')
    return JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: d.choices } });
  return JSON.stringify({
    name: d.type === 'float' ? 'FloatDistribution' : 'IntDistribution',
    attributes: {
      low: d.low,
      high: d.high,
      step: d.type === 'float' ? (d.step ?? null) : d.step,
      log: d.log,
    },
  });
}

/** Parses Optuna's `distribution_to_json` output (also the pre-3.0 Uniform/LogUniform/... names). */
export function fromOptunaDistribution(name: string, text: string): Distribution {
  const j = JSON.parse(text) as { name: string; attributes: Record<string, unknown> };
  const a = j.attributes;
  const num = (k: string): number => a[k] as number;
  switch (j.name) {
    case 'FloatDistribution':
      return floatDistribution(name, num('low'), num('high'), {
        log: a['log'] === true,
        ...(typeof a['step'] === 'number' ? { step: a['step'] } : {}),
      });
    case 'IntDistribution':
      return intDistribution(name, num('low'), num('high'), {
        log: a['log'] === true,
        step: typeof a['step'] === 'number' ? a['step'] : 1,
      });
    case 'UniformDistribution':
      return floatDistribution(name, num('low'), num('high'));
    case 'LogUniformDistribution':
      return floatDistribution(name, num('low'), num('high'), { log: true });
    case 'DiscreteUniformDistribution':
      return floatDistribution(name, num('low'), num('high'), { step: num('q') });
    case 'IntUniformDistribution':
      return intDistribution(name, num('low'), num('high'), {
        step: typeof a['step'] === 'number' ? a['step'] : 1,
      });
    case 'IntLogUniformDistribution':
      return intDistribution(name, num('low'), num('high'), { log: true });
    case 'CategoricalDistribution':
      return categoricalDistribution(name, a['choices'] as CategoricalChoice[]);
    default:
      throw new MortarError(
        'UNSUPPORTED',
        `parameter "${name}": Optuna distribution ${j.name} is not supported`,
      );
  }
}

/** One study as an Optuna JournalFileStorage log (a string of JSON lines, ending with a newline). */
export function toOptunaJournal(
  name: string,
  directions: readonly Direction[],
  trials: readonly FrozenTrial[],
): string {
  const lines: JsonValue[] = [
    {
      op_code: OP.CREATE_STUDY,
      worker_id: WORKER,
      study_name: name,
      directions: directions.map((d) => (d === 'minimize' ? 1 : 2)),
    },
  ];
  for (const t of trials) {
    const values = t.values ?? null;
    lines.push({
      op_code: OP.CREATE_TRIAL,
      worker_id: WORKER,
      study_id: 0,
      state: STATES.indexOf(t.state),
      value: values && values.length === 1 ? (values[0] as number) : null,
      values: values && values.length > 1 ? [...values] : null,
      datetime_start: iso(t.startedAt),
      ...(t.finishedAt !== undefined ? { datetime_complete: iso(t.finishedAt) } : {}),
      distributions: Object.fromEntries(
        Object.entries(t.distributions).map(([k, d]) => [k, toOptunaDistribution(d)]),
      ),
      params: Object.fromEntries(
        Object.entries(t.params).map(([k, v]) => [
          k,
          toInternal(t.distributions[k] as Distribution, v),
        ]),
      ),
      user_attrs: { ...t.userAttrs },
      system_attrs: {},
      intermediate_values: Object.fromEntries(t.intermediate.map((r) => [String(r.step), r.value])),
    });
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

interface Replayed {
  state: TrialState;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  values: number[] | undefined;
  intermediate: Map<number, number>;
  userAttrs: Record<string, JsonValue>;
}

/** What {@link fromOptunaJournal} returns. */
export interface OptunaStudy {
  readonly name: string;
  readonly directions: Direction[];
  /** Finished trials (complete, pruned, failed), in order, for `Study.addTrials`. */
  readonly trials: TrialInput[];
  /** Trials left out because they were running or waiting. */
  readonly skipped: number;
}

/**
 * Replays an Optuna JournalFileStorage log and returns the study named `name` (or the only study).
 * Throws DATA_INVALID naming the line for a malformed log, NOT_FOUND for a missing study.
 */
export function fromOptunaJournal(text: string, name?: string): OptunaStudy {
  const studies = new Map<number, { name: string; directions: Direction[]; trials: number[] }>();
  const trials: (Replayed & { study: number })[] = [];
  let nextStudy = 0;
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let log: Record<string, unknown>;
    try {
      log = JSON.parse(raw) as Record<string, unknown>;
    } catch (e) {
      throw new MortarError(
        'DATA_INVALID',
        `Optuna journal line ${i + 1} is not JSON: ${(e as Error).message}`,
        {
          details: { line: i + 1 },
        },
      );
    }
    const trial = typeof log['trial_id'] === 'number' ? trials[log['trial_id']] : undefined;
    const updatable =
      trial !== undefined && (trial.state === 'running' || trial.state === 'waiting');
    switch (log['op_code']) {
      case OP.CREATE_STUDY: {
        const sname = String(log['study_name']);
        if ([...studies.values()].some((s) => s.name === sname)) return;
        studies.set(nextStudy++, {
          name: sname,
          directions: (log['directions'] as number[]).map((d) =>
            d === 2 ? 'maximize' : 'minimize',
          ),
          trials: [],
        });
        return;
      }
      case OP.DELETE_STUDY:
        studies.delete(log['study_id'] as number);
        return;
      case OP.CREATE_TRIAL: {
        const sid = log['study_id'] as number;
        const study = studies.get(sid);
        if (!study) return;
        const dists: Record<string, Distribution> = {};
        for (const [k, v] of Object.entries((log['distributions'] as Record<string, string>) ?? {}))
          dists[k] = fromOptunaDistribution(k, v);
        const params: Record<string, ParamValue> = {};
        for (const [k, v] of Object.entries((log['params'] as Record<string, number>) ?? {}))
          params[k] = toExternal(dists[k] as Distribution, v);
        const values =
          (log['values'] as number[] | null | undefined) ??
          (typeof log['value'] === 'number' ? [log['value']] : undefined);
        const inter = new Map<number, number>();
        for (const [k, v] of Object.entries(
          (log['intermediate_values'] as Record<string, number>) ?? {},
        ))
          inter.set(Number(k), v);
        study.trials.push(trials.length);
        trials.push({
          study: sid,
          state: STATES[typeof log['state'] === 'number' ? log['state'] : 0] ?? 'running',
          params,
          distributions: dists,
          values: values ?? undefined,
          intermediate: inter,
          userAttrs: { ...((log['user_attrs'] as Record<string, JsonValue>) ?? {}) },
        });
        return;
      }
      case OP.SET_TRIAL_PARAM:
        if (!updatable) return;
        {
          const pname = String(log['param_name']);
          const d = fromOptunaDistribution(pname, String(log['distribution']));
          trial.distributions[pname] = d;
          trial.params[pname] = toExternal(d, log['param_value_internal'] as number);
        }
        return;
      case OP.SET_TRIAL_STATE_VALUES:
        if (!updatable) return;
        trial.state = STATES[log['state'] as number] ?? trial.state;
        if (Array.isArray(log['values'])) trial.values = log['values'] as number[];
        return;
      case OP.SET_TRIAL_INTERMEDIATE_VALUE:
        if (updatable)
          trial.intermediate.set(log['step'] as number, log['intermediate_value'] as number);
        return;
      case OP.SET_TRIAL_USER_ATTR:
        if (updatable) Object.assign(trial.userAttrs, log['user_attr']);
        return;
      case OP.SET_STUDY_USER_ATTR:
      case OP.SET_STUDY_SYSTEM_ATTR:
      case OP.SET_TRIAL_SYSTEM_ATTR:
        return;
      default:
        throw new MortarError(
          'DATA_INVALID',
          `Optuna journal line ${i + 1}: unknown op_code ${String(log['op_code'])}`,
          {
            details: { line: i + 1 },
          },
        );
    }
  });
  const all = [...studies.values()];
  const study =
    name === undefined ? (all.length === 1 ? all[0] : undefined) : all.find((s) => s.name === name);
  if (!study) {
    throw new MortarError(
      'NOT_FOUND',
      name === undefined
        ? `the Optuna journal holds ${all.length} studies (${all.map((s) => s.name).join(', ')}); name one`
        : `the Optuna journal has no study "${name}" (it has: ${all.map((s) => s.name).join(', ') || 'none'})`,
    );
  }
  let skipped = 0;
  const out: TrialInput[] = [];
  for (const id of study.trials) {
    const t = trials[id] as Replayed;
    if (t.state === 'running' || t.state === 'waiting') {
      skipped++;
      continue;
    }
    const intermediate = [...t.intermediate]
      .sort((a, b) => a[0] - b[0])
      .map(([step, value]) => ({ step, value }));
    out.push({
      params: t.params,
      distributions: t.distributions,
      state: t.state,
      ...(t.state === 'complete' ? { values: t.values } : {}),
      ...(intermediate.length ? { intermediate } : {}),
      ...(Object.keys(t.userAttrs).length ? { userAttrs: t.userAttrs } : {}),
    });
  }
  return { name: study.name, directions: study.directions, trials: out, skipped };
}
