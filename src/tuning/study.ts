/**
 * Studies and live trials: the ask/tell core, with `optimize` as a thin driver over it.
 *
 * @example
 * const study = await Study.create({ direction: 'minimize', sampler: new TpeSampler({ seed: 1 }) });
 * await study.optimize(async (trial) => {
 *   const x = trial.suggestFloat('x', -10, 10);
 *   return (x - 2) ** 2;
 * }, { nTrials: 50 });
 * (await study.bestTrial()).params; // { x: ~2 }
 */
import { systemClock, type Clock } from '../core/clock.js';
import { MortarError, isMortarError, toMortarError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { parseConstraint, violations, type Constraint } from './constraints.js';
import {
  categoricalDistribution,
  contains,
  distributionsCompatible,
  distributionsEqual,
  floatDistribution,
  intDistribution,
  isSingle,
  validateDistribution,
  type CategoricalChoice,
  type Distribution,
  type NumericOptions,
  type ParamValue,
} from './distributions.js';
import { memoryStorage } from './journal.js';
import { NopPruner, type Pruner } from './pruners/pruner.js';
import { compareTrials, paretoFront } from './ranking.js';
import type { RelativeSpace, Sampler } from './samplers/sampler.js';
import { defaultSampler } from './samplers/portfolio.js';
import { sampleSpace, type InferParams, type ParamSpec, type SearchSpace } from './space.js';
import type { ParamRecord, StudyRecord, TrialStorage } from './storage.js';
import {
  freezeTrial,
  lastIntermediate,
  type Direction,
  type FinishedState,
  type FrozenTrial,
  type StudyView,
  type TrialState,
} from './trial.js';

/**
 * Throw from an objective to mark the trial pruned (after `await trial.shouldPrune()`).
 * @example if (await trial.shouldPrune()) throw new TrialPruned();
 */
export class TrialPruned extends Error {
  override readonly name = 'TrialPruned';
  constructor(message = 'trial pruned') {
    super(message);
  }
}

/** Options of {@link Study.create}. */
export interface StudyOptions {
  /** Study name (letters, digits, `.`, `_`, `-`); generated if absent. */
  readonly name?: string;
  /** Where trials live; a fresh in-memory storage if absent. */
  readonly storage?: TrialStorage;
  /** One objective's direction (default `'minimize'`); exclusive with `directions`. */
  readonly direction?: Direction;
  /** Several objectives' directions. */
  readonly directions?: readonly Direction[];
  /** Outcome constraints such as `'latency_ms <= 20'`, checked against metrics given at tell. */
  readonly constraints?: readonly string[];
  /** The sampler (default: the portfolio, {@link defaultSampler}; pass one with `budget` when you know it). */
  readonly sampler?: Sampler;
  /** The pruner (default: never prune). */
  readonly pruner?: Pruner;
  /** Load the study if it exists instead of failing with ALREADY_EXISTS. */
  readonly loadIfExists?: boolean;
  /** Clock for `optimize`'s timeout (default: the system clock). */
  readonly clock?: Clock;
}

/** Options of {@link Study.load}. */
export type LoadStudyOptions = Pick<StudyOptions, 'storage' | 'sampler' | 'pruner' | 'clock'> & {
  readonly storage: TrialStorage;
};

/** What `tell` accepts besides plain values. */
export interface TellOptions {
  /** Objective values (one per direction); required for `complete`. */
  readonly values?: number | readonly number[];
  /** Finished state; `'complete'` by default. */
  readonly state?: FinishedState;
  /** Extra metrics, stored and used by constraints. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Why a trial failed (stored as `systemAttrs.fail_reason`). */
  readonly reason?: string;
}

/** A trial given to `addTrial` (warm start from results obtained elsewhere). */
export interface TrialInput {
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly values?: readonly number[] | undefined;
  /** `complete` (default), `pruned` or `failed`. */
  readonly state?: TrialState;
  readonly intermediate?: FrozenTrial['intermediate'];
  readonly metrics?: Readonly<Record<string, number>>;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
}

/** The objective `optimize` calls. Return one value per direction. */
export type Objective<P> = (
  trial: Trial<P>,
) => number | readonly number[] | Promise<number | readonly number[]>;

/** Options of {@link Study.optimize}. At least one of `nTrials`, `timeoutMs`, `signal`. */
export interface OptimizeOptions<S extends readonly ParamSpec[] = readonly ParamSpec[]> {
  /** Number of trials to run in this call. */
  readonly nTrials?: number;
  /** Start no new trial after this many ms (running ones finish). */
  readonly timeoutMs?: number;
  /** Trials in flight at once (default 1). */
  readonly concurrency?: number;
  /**
   * Which objective errors mark the trial failed and let the loop go on; others stop the loop
   * (after trials in flight finish) and are rethrown. Default: none (Optuna's `catch=()`).
   */
  readonly catch?: boolean | ((error: unknown) => boolean);
  /** A declarative space: each trial's params are suggested before the objective runs. */
  readonly space?: SearchSpace<S>;
  /** Stops starting new trials when aborted. */
  readonly signal?: AbortSignal;
  /** Called after each trial is told. */
  readonly onTrialFinished?: (trial: FrozenTrial) => void | Promise<void>;
}

/** What `optimize` reports back. */
export interface OptimizeResult {
  /** Trials finished by this call, by number. */
  readonly trials: readonly FrozenTrial[];
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
  /** Errors the `catch` option let through, with their trial. */
  readonly errors: readonly { readonly trial: number; readonly error: unknown }[];
}

/** Ask-time snapshot of a study, as samplers see it. */
class SnapshotView implements StudyView {
  private readonly byStates = new Map<string, readonly FrozenTrial[]>();
  constructor(
    readonly name: string,
    readonly directions: readonly Direction[],
    private readonly all: readonly FrozenTrial[],
  ) {}
  trials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    if (!states) return this.all;
    const key = states.join(',');
    let hit = this.byStates.get(key);
    if (!hit) {
      hit = Object.freeze(this.all.filter((t) => states.includes(t.state)));
      this.byStates.set(key, hit);
    }
    return hit;
  }
}

function badValue(v: unknown): string | undefined {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== 'number') return `a ${typeof v} (${JSON.stringify(v)?.slice(0, 40)})`;
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * A running trial: the object user code suggests parameters from. Suggestions are synchronous
 * and buffered; they reach storage on `report`, `flush` and `tell`.
 */
export class Trial<P = Record<string, ParamValue>> {
  /** The trial's number in its study. */
  readonly number: number;
  private readonly paramValues: Record<string, ParamValue> = {};
  private readonly dists: Record<string, Distribution> = {};
  private pending: ParamRecord[] = [];
  private pendingUser: Record<string, JsonValue> = {};
  private pendingSystem: Record<string, JsonValue>;
  private base: FrozenTrial;
  private done = false;

  /** @internal Created by {@link Study.ask}. */
  constructor(
    private readonly study: Study,
    base: FrozenTrial,
    private readonly view: StudyView,
    private readonly relativeSpace: RelativeSpace,
    private readonly relative: Readonly<Record<string, ParamValue>>,
    private readonly fixed: Readonly<Record<string, ParamValue>> | undefined,
    private readonly known: ReadonlyMap<string, Distribution>,
    systemAttrs: Readonly<Record<string, JsonValue>>,
  ) {
    this.number = base.number;
    this.base = base;
    this.pendingSystem = { ...systemAttrs };
  }

  /** Parameters suggested so far. */
  get params(): Readonly<P> {
    return { ...this.paramValues } as P;
  }

  /** Distributions of the parameters suggested so far. */
  get distributions(): Readonly<Record<string, Distribution>> {
    return { ...this.dists };
  }

  /** True once told. */
  get finished(): boolean {
    return this.done;
  }

  /**
   * A float in [low, high].
   * @example trial.suggestFloat('lr', 1e-5, 1e-1, { log: true })
   */
  suggestFloat(name: string, low: number, high: number, opts: NumericOptions = {}): number {
    return this.suggest(name, floatDistribution(name, low, high, opts)) as number;
  }

  /** An integer in [low, high] (on `step`, or log-uniform). */
  suggestInt(name: string, low: number, high: number, opts: NumericOptions = {}): number {
    return this.suggest(name, intDistribution(name, low, high, opts)) as number;
  }

  /** One of `choices`. */
  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(name, choices)) as T;
  }

  /** A value of any distribution (validated). Same name and distribution twice: same value. */
  suggest(name: string, distribution: Distribution): ParamValue {
    if (this.done) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        `trial ${this.number} is finished; suggest before tell`,
      );
    }
    const d = validateDistribution(name, distribution);
    const prev = this.dists[name];
    if (prev) {
      if (distributionsEqual(prev, d)) return this.paramValues[name] as ParamValue;
      throw new MortarError(
        'INVALID_ARGUMENT',
        `parameter "${name}" was already suggested in trial ${this.number} with ${JSON.stringify(prev)}; ` +
          `it cannot change to ${JSON.stringify(d)} within a trial`,
        { details: { param: name, trial: this.number } },
      );
    }
    const seen = this.known.get(name);
    if (seen && !distributionsCompatible(seen, d)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `parameter "${name}" is ${JSON.stringify(seen)} in earlier trials and cannot become ${JSON.stringify(d)}; ` +
          'use a new name for a different kind of parameter',
        { details: { param: name } },
      );
    }
    let value: ParamValue;
    if (this.fixed && Object.hasOwn(this.fixed, name)) {
      value = this.fixed[name] as ParamValue;
      if (!contains(d, value)) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `enqueued value ${JSON.stringify(value)} for parameter "${name}" is outside ${JSON.stringify(d)}`,
          { details: { param: name, trial: this.number } },
        );
      }
    } else if (isSingle(d)) {
      value = d.type === 'categorical' ? (d.choices[0] as CategoricalChoice) : d.low;
    } else if (
      Object.hasOwn(this.relative, name) &&
      this.relativeSpace[name] &&
      distributionsEqual(this.relativeSpace[name], d)
    ) {
      value = this.relative[name] as ParamValue;
    } else {
      value = this.study.sampler.sampleIndependent(this.view, this.frozen(), name, d);
    }
    if (!contains(d, value)) {
      throw new MortarError(
        'INTERNAL',
        `sampler "${this.study.sampler.kind}" returned ${JSON.stringify(value)} for "${name}", outside ${JSON.stringify(d)}`,
      );
    }
    this.paramValues[name] = value;
    this.dists[name] = d;
    this.pending.push({ name, distribution: d, value });
    return value;
  }

  /** Sets a user attribute (JSON-safe); stored with the next write. */
  setUserAttr(key: string, value: JsonValue): void {
    const text = JSON.stringify(value);
    if (text === undefined) {
      throw new MortarError('INVALID_ARGUMENT', `user attribute "${key}" must be JSON-safe`);
    }
    this.pendingUser[key] = JSON.parse(text) as JsonValue;
  }

  /** This trial as a frozen value, including unsaved suggestions. */
  frozen(): FrozenTrial {
    return freezeTrial({
      ...this.base,
      params: { ...this.base.params, ...this.paramValues },
      distributions: { ...this.base.distributions, ...this.dists },
      userAttrs: { ...this.base.userAttrs, ...this.pendingUser },
      systemAttrs: { ...this.base.systemAttrs, ...this.pendingSystem },
    });
  }

  /**
   * Reports an intermediate value (a finite number) at an integer `step` >= 0. A step reported
   * twice keeps its first value.
   */
  async report(step: number, value: number): Promise<void> {
    if (this.done)
      throw new MortarError(
        'FAILED_PRECONDITION',
        `trial ${this.number} is finished; report before tell`,
      );
    const bad = badValue(value);
    if (bad) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `trial ${this.number}: reported value at step ${step} is ${bad}; report finite numbers`,
      );
    }
    if (!Number.isInteger(step) || step < 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `trial ${this.number}: report step must be an integer >= 0, got ${step}`,
      );
    }
    await this.flush([{ step, value }]);
  }

  /** Asks the study's pruner whether to stop now (see {@link TrialPruned}). */
  async shouldPrune(): Promise<boolean> {
    if (this.done) return false;
    await this.flush();
    return this.study.shouldPrune(this.number);
  }

  /** Writes buffered suggestions and attributes to storage. */
  async flush(intermediate?: readonly { step: number; value: number }[]): Promise<void> {
    const params = this.pending;
    const userAttrs = this.pendingUser;
    const systemAttrs = this.pendingSystem;
    if (
      params.length === 0 &&
      !intermediate &&
      Object.keys(userAttrs).length === 0 &&
      Object.keys(systemAttrs).length === 0
    ) {
      return;
    }
    this.pending = [];
    this.pendingUser = {};
    this.pendingSystem = {};
    try {
      this.base = await this.study.storage.updateTrial(this.study.name, this.number, {
        params,
        ...(intermediate ? { intermediate } : {}),
        ...(Object.keys(userAttrs).length > 0 ? { userAttrs } : {}),
        ...(Object.keys(systemAttrs).length > 0 ? { systemAttrs } : {}),
      });
    } catch (e) {
      this.pending = [...params, ...this.pending];
      this.pendingUser = { ...userAttrs, ...this.pendingUser };
      this.pendingSystem = { ...systemAttrs, ...this.pendingSystem };
      throw e;
    }
  }

  /** @internal */
  markDone(): void {
    this.done = true;
  }
}

let generated = 0;

/**
 * A study: a named set of trials with one or more objectives, a sampler and a pruner.
 * Construct with {@link Study.create} or {@link Study.load}.
 */
export class Study {
  readonly name: string;
  readonly directions: readonly Direction[];
  /** Parsed outcome constraints. */
  readonly constraints: readonly Constraint[];
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: TrialStorage;
  private readonly clock: Clock;
  private readonly live = new Map<number, Trial<unknown>>();

  private constructor(
    record: StudyRecord,
    storage: TrialStorage,
    opts: Pick<StudyOptions, 'sampler' | 'pruner' | 'clock'>,
  ) {
    this.name = record.name;
    this.directions = record.directions;
    this.constraints = record.constraints.map(parseConstraint);
    this.storage = storage;
    this.sampler = opts.sampler ?? defaultSampler();
    this.pruner = opts.pruner ?? new NopPruner();
    this.clock = opts.clock ?? systemClock;
  }

  /** Creates a study (or loads it with `loadIfExists`). */
  static async create(opts: StudyOptions = {}): Promise<Study> {
    if (opts.direction && opts.directions) {
      throw new MortarError('INVALID_ARGUMENT', 'pass either direction or directions, not both');
    }
    const directions = opts.directions ?? [opts.direction ?? 'minimize'];
    if (directions.length === 0)
      throw new MortarError('INVALID_ARGUMENT', 'directions must not be empty');
    for (const d of directions) {
      if (d !== 'minimize' && d !== 'maximize') {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `direction must be "minimize" or "maximize", got ${JSON.stringify(d)}`,
        );
      }
    }
    const constraints = [...(opts.constraints ?? [])];
    constraints.forEach(parseConstraint);
    const storage = opts.storage ?? memoryStorage();
    const name = opts.name ?? `study-${Date.now().toString(36)}-${(generated++).toString(36)}`;
    if (opts.loadIfExists) {
      const found = await storage.getStudy(name);
      if (found) return new Study(found, storage, opts);
    }
    const record = await storage.createStudy({ name, directions, constraints });
    return new Study(record, storage, opts);
  }

  /** Loads an existing study (e.g. to resume after a crash); NOT_FOUND if absent. */
  static async load(name: string, opts: LoadStudyOptions): Promise<Study> {
    const record = await opts.storage.getStudy(name);
    if (!record)
      throw new MortarError('NOT_FOUND', `no study named "${name}"`, { details: { study: name } });
    return new Study(record, opts.storage, opts);
  }

  /** Every trial, by number (optionally filtered by state). */
  async getTrials(states?: readonly TrialState[]): Promise<readonly FrozenTrial[]> {
    return this.storage.getTrials(this.name, states);
  }

  private async snapshot(): Promise<readonly FrozenTrial[]> {
    const stored = await this.storage.getTrials(this.name);
    if (this.live.size === 0) return stored;
    const out = [...stored];
    for (const [n, t] of this.live) if (out[n]?.state === 'running') out[n] = t.frozen();
    return Object.freeze(out);
  }

  /**
   * Marks running trials that this process does not own and that started at least `olderThanMs`
   * ago (by the study's clock) as failed: call it when resuming after a crash. Returns them.
   */
  async failStaleTrials(
    opts: { readonly olderThanMs?: number; readonly reason?: string } = {},
  ): Promise<FrozenTrial[]> {
    const cutoff = this.clock.now() - (opts.olderThanMs ?? 0);
    const out: FrozenTrial[] = [];
    for (const t of await this.storage.getTrials(this.name, ['running'])) {
      if (this.live.has(t.number) || (t.startedAt ?? 0) > cutoff) continue;
      try {
        out.push(
          await this.tell(t.number, {
            state: 'failed',
            reason: opts.reason ?? 'stale: the worker running it went away',
          }),
        );
      } catch (e) {
        // Another worker finished it meanwhile.
        if (!isMortarError(e, 'FAILED_PRECONDITION')) throw e;
      }
    }
    return out;
  }

  /** The sampler's per-trial steps (`beforeTrial`, relative space, relative sample) on a snapshot. */
  private prepare(trials: FrozenTrial[], base: FrozenTrial) {
    const attrs =
      this.sampler.beforeTrial?.(
        new SnapshotView(this.name, this.directions, Object.freeze([...trials])),
        base,
      ) ?? {};
    const current =
      Object.keys(attrs).length > 0
        ? freezeTrial({ ...base, systemAttrs: { ...base.systemAttrs, ...attrs } })
        : base;
    trials[base.number] = current;
    const view = new SnapshotView(this.name, this.directions, Object.freeze(trials));
    const known = new Map<string, Distribution>();
    for (const t of trials)
      for (const [k, d] of Object.entries(t.distributions)) if (!known.has(k)) known.set(k, d);
    const relSpace = this.sampler.inferRelativeSearchSpace(view, current);
    const relative =
      Object.keys(relSpace).length > 0 ? this.sampler.sampleRelative(view, current, relSpace) : {};
    return { current, view, relSpace, relative, known, attrs };
  }

  /** Creates a trial (taking the oldest enqueued one first) and runs the sampler's relative step. */
  async ask(): Promise<Trial>;
  /** Creates a trial with every active parameter of `space` already suggested. */
  async ask<const S extends readonly ParamSpec[]>(
    space: SearchSpace<S>,
  ): Promise<Trial<InferParams<S>>>;
  async ask(space?: SearchSpace): Promise<Trial<unknown>> {
    const waiting = await this.storage.startWaitingTrial(this.name);
    const base = waiting ?? (await this.storage.createTrial(this.name, { state: 'running' }));
    return this.begin(base, space);
  }

  /**
   * Starts the oldest enqueued (waiting) trial, or returns `undefined` when none waits; never
   * creates a trial. Workers that share a budget use it once the budget is spent, to run retries.
   */
  async askWaiting(): Promise<Trial | undefined>;
  async askWaiting<const S extends readonly ParamSpec[]>(
    space: SearchSpace<S>,
  ): Promise<Trial<InferParams<S>> | undefined>;
  async askWaiting(space?: SearchSpace): Promise<Trial<unknown> | undefined> {
    const waiting = await this.storage.startWaitingTrial(this.name);
    return waiting ? this.begin(waiting, space) : undefined;
  }

  private async begin(base: FrozenTrial, space?: SearchSpace): Promise<Trial<unknown>> {
    const fixedRaw = base.systemAttrs['fixed_params'];
    const fixed =
      fixedRaw && typeof fixedRaw === 'object'
        ? (fixedRaw as Record<string, ParamValue>)
        : undefined;
    let prepared: ReturnType<Study['prepare']>;
    try {
      prepared = this.prepare([...(await this.snapshot())], base);
    } catch (e) {
      // A sampler failure must not leave a trial running forever.
      await this.storage.finishTrial(this.name, base.number, {
        state: 'failed',
        systemAttrs: {
          fail_reason: `sampler "${this.sampler.kind}" failed: ${toMortarError(e).message}`,
        },
      });
      throw e;
    }
    const { current, view, relSpace, relative, known, attrs } = prepared;
    const trial = new Trial<unknown>(this, current, view, relSpace, relative, fixed, known, attrs);
    this.live.set(trial.number, trial);
    if (space) {
      try {
        sampleSpace(space, (n, d) => trial.suggest(n, d));
        await trial.flush();
      } catch (e) {
        await this.tell(trial, { state: 'failed', reason: toMortarError(e).message });
        throw e;
      }
    }
    return trial;
  }

  /** @internal Runs the pruner for `number` on a fresh snapshot. */
  async shouldPrune(number: number): Promise<boolean> {
    const trials = await this.storage.getTrials(this.name);
    const t = trials[number];
    if (!t || t.state !== 'running') return false;
    return this.pruner.prune(new SnapshotView(this.name, this.directions, trials), t);
  }

  /**
   * Finishes a trial: `tell(t, 0.3)`, `tell(t, [0.3, 12])`, `tell(t, { state: 'pruned' })`,
   * `tell(t, { values: 0.3, metrics: { latency_ms: 18 } })`.
   *
   * Errors (the trial stays as it was): INVALID_ARGUMENT for a NaN, infinite or non-number value,
   * the wrong number of values or a missing constraint metric; NOT_FOUND for an unknown trial;
   * FAILED_PRECONDITION for a finished or waiting one.
   */
  async tell(
    trial: Trial<unknown> | number,
    result: number | readonly number[] | TellOptions,
  ): Promise<FrozenTrial> {
    const number = typeof trial === 'number' ? trial : trial.number;
    const isOptions = result !== null && typeof result === 'object' && !Array.isArray(result);
    const opts: TellOptions = isOptions ? (result as TellOptions) : { values: result as number };
    const state = opts.state ?? 'complete';
    if (state !== 'complete' && state !== 'pruned' && state !== 'failed') {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `tell: state must be complete, pruned or failed, got ${JSON.stringify(state)}`,
      );
    }
    const current = await this.storage.getTrial(this.name, number);
    if (current.state !== 'running') {
      throw new MortarError(
        'FAILED_PRECONDITION',
        `trial ${number} of study "${this.name}" is ${current.state}; only running trials can be told`,
        { details: { trial: number, state: current.state } },
      );
    }
    const metrics = opts.metrics ?? {};
    for (const [k, v] of Object.entries(metrics)) {
      const bad = badValue(v);
      if (bad)
        throw new MortarError(
          'INVALID_ARGUMENT',
          `trial ${number}: metric "${k}" is ${bad}; metrics must be finite numbers`,
        );
    }
    let values: number[] | undefined;
    let constraints: number[] | undefined;
    if (state === 'complete') {
      if (opts.values === undefined) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `trial ${number}: a complete trial needs values (one per direction)`,
        );
      }
      const raw: readonly unknown[] = Array.isArray(opts.values) ? opts.values : [opts.values];
      if (raw.length !== this.directions.length) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `trial ${number}: got ${raw.length} value(s) for a study with ${this.directions.length} objective(s)`,
          { details: { trial: number } },
        );
      }
      raw.forEach((v, i) => {
        const bad = badValue(v);
        if (bad) {
          throw new MortarError(
            'INVALID_ARGUMENT',
            `trial ${number}: objective value ${i} is ${bad}; return a finite number, or tell { state: 'failed' }`,
            { details: { trial: number, index: i } },
          );
        }
      });
      values = raw as number[];
      if (this.constraints.length > 0) constraints = violations(this.constraints, metrics, number);
    } else if (state === 'pruned' && this.directions.length === 1) {
      const last = lastIntermediate(current);
      if (last) values = [last.value];
    }
    const live = this.live.get(number);
    if (live) await live.flush();
    const told = await this.storage.finishTrial(this.name, number, {
      state,
      ...(values ? { values } : {}),
      ...(Object.keys(metrics).length > 0 ? { metrics } : {}),
      ...(constraints ? { constraints } : {}),
      ...(opts.reason !== undefined ? { systemAttrs: { fail_reason: opts.reason } } : {}),
    });
    live?.markDone();
    this.live.delete(number);
    if (this.sampler.afterTrial) {
      const trials = await this.storage.getTrials(this.name);
      this.sampler.afterTrial(
        new SnapshotView(this.name, this.directions, trials),
        told,
        state,
        told.values,
      );
    }
    return told;
  }

  /**
   * Queues a trial with fixed parameters; the next `ask` takes it. Parameters not given are sampled.
   * With `skipIfExists`, nothing is queued when a waiting, running or complete trial already has
   * these params.
   */
  async enqueueTrial(
    params: Readonly<Record<string, ParamValue>>,
    opts: {
      readonly userAttrs?: Readonly<Record<string, JsonValue>>;
      readonly skipIfExists?: boolean;
    } = {},
  ): Promise<FrozenTrial | undefined> {
    for (const [k, v] of Object.entries(params)) {
      const ok =
        v === null ||
        typeof v === 'string' ||
        typeof v === 'boolean' ||
        (typeof v === 'number' && Number.isFinite(v));
      if (!ok)
        throw new MortarError(
          'INVALID_ARGUMENT',
          `enqueueTrial: parameter "${k}" must be a finite number, string, boolean or null`,
        );
    }
    if (opts.skipIfExists) {
      const same = (a: Readonly<Record<string, unknown>>): boolean =>
        Object.keys(params).every((k) => Object.is(a[k], params[k]));
      for (const t of await this.storage.getTrials(this.name, ['waiting', 'running', 'complete'])) {
        const fixed = t.systemAttrs['fixed_params'];
        if (
          same(t.params) ||
          (fixed && typeof fixed === 'object' && same(fixed as Record<string, unknown>))
        )
          return undefined;
      }
    }
    return this.storage.createTrial(this.name, {
      state: 'waiting',
      systemAttrs: { fixed_params: { ...params } },
      ...(opts.userAttrs ? { userAttrs: opts.userAttrs } : {}),
    });
  }

  /** Adds a finished trial obtained elsewhere (warm start). Values and params are validated. */
  async addTrial(input: TrialInput): Promise<FrozenTrial> {
    const state = input.state ?? 'complete';
    if (state !== 'complete' && state !== 'pruned' && state !== 'failed') {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `addTrial: state must be complete, pruned or failed, got ${state}`,
      );
    }
    const params: ParamRecord[] = [];
    for (const [name, value] of Object.entries(input.params)) {
      const d = input.distributions[name];
      if (!d)
        throw new MortarError(
          'INVALID_ARGUMENT',
          `addTrial: parameter "${name}" has no distribution`,
        );
      params.push({ name, distribution: validateDistribution(name, d), value });
    }
    let constraints: number[] | undefined;
    if (state === 'complete') {
      const vs = input.values ?? [];
      if (vs.length !== this.directions.length || vs.some((v) => badValue(v) !== undefined)) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `addTrial: need ${this.directions.length} finite value(s), got ${JSON.stringify(vs)}`,
        );
      }
      if (this.constraints.length > 0)
        constraints = violations(this.constraints, input.metrics ?? {}, -1);
    }
    return this.storage.createTrial(this.name, {
      state,
      params,
      ...(input.values ? { values: input.values } : {}),
      ...(input.intermediate ? { intermediate: input.intermediate } : {}),
      ...(input.metrics ? { metrics: input.metrics } : {}),
      ...(constraints ? { constraints } : {}),
      ...(input.userAttrs ? { userAttrs: input.userAttrs } : {}),
    });
  }

  /** Adds finished trials, e.g. `addTrials(await other.getTrials(['complete']))`. */
  async addTrials(trials: readonly TrialInput[]): Promise<FrozenTrial[]> {
    const out: FrozenTrial[] = [];
    for (const t of trials) out.push(await this.addTrial(t));
    return out;
  }

  /**
   * The best complete trial of a single-objective study: feasible trials first (by value), then
   * infeasible ones by total violation. NOT_FOUND when no trial is complete.
   */
  async bestTrial(): Promise<FrozenTrial> {
    if (this.directions.length !== 1) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        `study "${this.name}" has ${this.directions.length} objectives; use bestTrials()`,
      );
    }
    const complete = [...(await this.storage.getTrials(this.name, ['complete']))];
    if (complete.length === 0)
      throw new MortarError('NOT_FOUND', `study "${this.name}" has no complete trial yet`);
    return complete.sort(compareTrials(this.directions[0] as Direction))[0] as FrozenTrial;
  }

  /** The Pareto front of complete feasible trials (single objective: all trials tied for best). */
  async bestTrials(): Promise<FrozenTrial[]> {
    return paretoFront(await this.storage.getTrials(this.name, ['complete']), this.directions);
  }

  /**
   * Runs `objective` on asked trials and tells the results; a thin driver over ask/tell.
   * Errors thrown by the objective (and invalid return values) fail the trial; unless `catch`
   * accepts them, the loop stops starting trials and rethrows the first once in-flight trials end.
   */
  async optimize<const S extends readonly ParamSpec[]>(
    objective: Objective<InferParams<S>>,
    opts: OptimizeOptions<S> & { readonly space: SearchSpace<S> },
  ): Promise<OptimizeResult>;
  async optimize(
    objective: Objective<Record<string, ParamValue>>,
    opts: OptimizeOptions,
  ): Promise<OptimizeResult>;
  async optimize(objective: Objective<never>, opts: OptimizeOptions): Promise<OptimizeResult> {
    const { nTrials, timeoutMs, signal } = opts;
    if (nTrials === undefined && timeoutMs === undefined && signal === undefined) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        'optimize: pass nTrials, timeoutMs or signal, or it never stops',
      );
    }
    if (nTrials !== undefined && (!Number.isInteger(nTrials) || nTrials < 0)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `optimize: nTrials must be an integer >= 0, got ${nTrials}`,
      );
    }
    const concurrency = opts.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `optimize: concurrency must be an integer >= 1, got ${concurrency}`,
      );
    }
    const catches = (e: unknown): boolean =>
      typeof opts.catch === 'function' ? opts.catch(e) : opts.catch === true;
    const start = this.clock.monotonic();
    let started = 0;
    let fatal: { error: unknown } | undefined;
    const finished: FrozenTrial[] = [];
    const errors: { trial: number; error: unknown }[] = [];
    const canStart = (): boolean =>
      fatal === undefined &&
      (nTrials === undefined || started < nTrials) &&
      (timeoutMs === undefined || this.clock.monotonic() - start < timeoutMs) &&
      !(signal?.aborted ?? false);

    const worker = async (): Promise<void> => {
      while (canStart()) {
        started++;
        const trial = opts.space ? await this.ask(opts.space) : await this.ask();
        let told: FrozenTrial;
        try {
          const out = await objective(trial as never);
          told = await this.tell(trial, out as number | readonly number[]);
        } catch (error) {
          if (trial.finished) {
            // The objective told the trial itself (or tell failed in storage): nothing to record.
            fatal ??= { error };
            continue;
          }
          if (error instanceof TrialPruned) {
            told = await this.tell(trial, { state: 'pruned' });
          } else {
            told = await this.tell(trial, {
              state: 'failed',
              reason: error instanceof Error ? error.message : String(error),
            });
            if (catches(error)) errors.push({ trial: trial.number, error });
            else fatal ??= { error };
          }
        }
        finished.push(told);
        await opts.onTrialFinished?.(told);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (fatal) throw fatal.error;
    finished.sort((a, b) => a.number - b.number);
    return {
      trials: finished,
      complete: finished.filter((t) => t.state === 'complete').length,
      pruned: finished.filter((t) => t.state === 'pruned').length,
      failed: finished.filter((t) => t.state === 'failed').length,
      errors,
    };
  }
}
