/**
 * Studies as append-only journals. One stream per study holds {@link StudyEvent}s; the
 * {@link StudyState} reducer rebuilds the study from them; {@link JournalStorage} implements
 * {@link TrialStorage} over any {@link TrialJournal} with optimistic concurrency
 * (`expectedLastSeq`) and retries. {@link MemoryJournal} is the in-memory journal; a journal over
 * the core Store (`append(stream, records, { expectedLastSeq })` / `read(stream)`) is an adapter
 * of a few lines.
 *
 * @example
 * const storage = memoryStorage();
 * // later, after a crash: the same events rebuild the same study
 * const again = new JournalStorage(journal);
 */
import { MortarError, isMortarError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import {
  contains,
  distributionsEqual,
  validateDistribution,
  type Distribution,
  type ParamValue,
} from './distributions.js';
import type {
  NewTrial,
  ParamRecord,
  StudyRecord,
  TrialFinish,
  TrialStorage,
  TrialUpdate,
} from './storage.js';
import {
  freezeTrial,
  isFinished,
  type FrozenTrial,
  type IntermediateValue,
  type TrialState,
} from './trial.js';

/** One record of a study's journal. Every field is JSON-safe. */
export type StudyEvent =
  | { readonly type: 'study_created'; readonly study: StudyRecord }
  | ({ readonly type: 'trial_created'; readonly number: number; readonly at: number } & NewTrial)
  | { readonly type: 'trial_started'; readonly number: number; readonly at: number }
  | ({ readonly type: 'trial_updated'; readonly number: number } & TrialUpdate)
  | ({
      readonly type: 'trial_finished';
      readonly number: number;
      readonly at: number;
    } & TrialFinish);

/** A journal entry: sequence numbers start at 1 and have no gaps. */
export interface JournalEntry {
  readonly seq: number;
  readonly event: StudyEvent;
}

/**
 * The two operations a study journal needs (Optuna's read_logs/append_logs).
 * - `append` writes all `events` atomically iff the stream's last seq is `expectedLastSeq`
 *   (0 for an empty stream), returns the new last seq, and otherwise throws `CONFLICT`.
 * - `read` returns the entries with seq > `afterSeq`, in order.
 */
export interface TrialJournal {
  append(
    stream: string,
    events: readonly StudyEvent[],
    opts: { readonly expectedLastSeq: number },
  ): Promise<number>;
  read(stream: string, opts?: { readonly afterSeq?: number }): Promise<readonly JournalEntry[]>;
  /** Stream names starting with `prefix`. */
  streams(prefix: string): Promise<string[]>;
}

/** Builds a trial snapshot; `patch` overrides fields of `base`. */
function makeTrial(base: FrozenTrial, patch: Partial<FrozenTrial>): FrozenTrial {
  return freezeTrial({ ...base, ...patch });
}

const EMPTY_TRIAL: FrozenTrial = {
  number: -1,
  state: 'running',
  params: {},
  distributions: {},
  values: undefined,
  intermediate: [],
  metrics: {},
  constraints: undefined,
  userAttrs: {},
  systemAttrs: {},
  startedAt: undefined,
  finishedAt: undefined,
};

function corrupt(msg: string): MortarError {
  return new MortarError('DATA_INVALID', `study journal is inconsistent: ${msg}`);
}

function mergeIntermediate(
  xs: readonly IntermediateValue[],
  add: readonly IntermediateValue[],
): IntermediateValue[] {
  const out = [...xs];
  for (const r of add) {
    const i = out.findIndex((x) => x.step >= r.step);
    if (i < 0) out.push({ step: r.step, value: r.value });
    else if ((out[i] as IntermediateValue).step !== r.step)
      out.splice(i, 0, { step: r.step, value: r.value });
  }
  return out;
}

function applyParams(
  t: FrozenTrial,
  params: readonly ParamRecord[] | undefined,
): Partial<FrozenTrial> {
  if (!params || params.length === 0) return {};
  const p: Record<string, ParamValue> = { ...t.params };
  const d: Record<string, Distribution> = { ...t.distributions };
  for (const r of params) {
    p[r.name] = r.value;
    d[r.name] = r.distribution;
  }
  return { params: p, distributions: d };
}

/**
 * The reducer: a study's state after a sequence of events. `apply` throws `DATA_INVALID` for an
 * event that does not fit (the storage checks every write before appending, so a journal written
 * through {@link JournalStorage} never holds one).
 */
export class StudyState {
  study: StudyRecord | undefined;
  private readonly list: FrozenTrial[] = [];
  private readonly waiting: number[] = [];
  private snapshot: readonly FrozenTrial[] | undefined;

  /** Replays `events` into a fresh state. */
  static replay(events: Iterable<StudyEvent>): StudyState {
    const s = new StudyState();
    for (const e of events) s.apply(e);
    return s;
  }

  /** All trials, frozen, by number (cached until the next change). */
  trials(): readonly FrozenTrial[] {
    this.snapshot ??= Object.freeze([...this.list]);
    return this.snapshot;
  }

  /** One trial or `undefined`. */
  trial(n: number): FrozenTrial | undefined {
    return this.list[n];
  }

  /** Number of the oldest waiting trial. */
  firstWaiting(): number | undefined {
    return this.waiting[0];
  }

  /** Applies one event. */
  apply(e: StudyEvent): void {
    this.snapshot = undefined;
    if (e.type === 'study_created') {
      if (this.study) throw corrupt(`study "${e.study.name}" created twice`);
      this.study = Object.freeze({
        ...e.study,
        directions: Object.freeze([...e.study.directions]),
        constraints: Object.freeze([...e.study.constraints]),
      });
      return;
    }
    if (!this.study) throw corrupt(`event ${e.type} before study_created`);
    if (e.type === 'trial_created') {
      if (e.number !== this.list.length)
        throw corrupt(`trial ${e.number} created, expected ${this.list.length}`);
      const finished = e.state === 'complete' || e.state === 'pruned' || e.state === 'failed';
      const t = makeTrial(
        { ...EMPTY_TRIAL, ...applyParams(EMPTY_TRIAL, e.params) },
        {
          number: e.number,
          state: e.state,
          values: e.values ? [...e.values] : undefined,
          intermediate: mergeIntermediate([], e.intermediate ?? []),
          metrics: { ...e.metrics },
          constraints: e.constraints ? [...e.constraints] : undefined,
          userAttrs: { ...e.userAttrs },
          systemAttrs: { ...e.systemAttrs },
          startedAt: e.at,
          finishedAt: finished ? e.at : undefined,
        },
      );
      this.list.push(t);
      if (e.state === 'waiting') this.waiting.push(e.number);
      return;
    }
    const t = this.list[e.number];
    if (!t) throw corrupt(`event ${e.type} for unknown trial ${e.number}`);
    switch (e.type) {
      case 'trial_started': {
        if (t.state !== 'waiting') throw corrupt(`trial ${e.number} started while ${t.state}`);
        this.waiting.splice(this.waiting.indexOf(e.number), 1);
        this.list[e.number] = makeTrial(t, { state: 'running', startedAt: e.at });
        return;
      }
      case 'trial_updated': {
        if (t.state !== 'running') throw corrupt(`trial ${e.number} updated while ${t.state}`);
        this.list[e.number] = makeTrial(t, {
          ...applyParams(t, e.params),
          intermediate: e.intermediate
            ? mergeIntermediate(t.intermediate, e.intermediate)
            : t.intermediate,
          userAttrs: e.userAttrs ? { ...t.userAttrs, ...e.userAttrs } : t.userAttrs,
          systemAttrs: e.systemAttrs ? { ...t.systemAttrs, ...e.systemAttrs } : t.systemAttrs,
        });
        return;
      }
      case 'trial_finished': {
        if (t.state !== 'running') throw corrupt(`trial ${e.number} finished while ${t.state}`);
        this.list[e.number] = makeTrial(t, {
          state: e.state,
          values: e.values ? [...e.values] : undefined,
          metrics: { ...t.metrics, ...e.metrics },
          constraints: e.constraints ? [...e.constraints] : undefined,
          systemAttrs: e.systemAttrs ? { ...t.systemAttrs, ...e.systemAttrs } : t.systemAttrs,
          finishedAt: e.at,
        });
        return;
      }
    }
  }
}

const STUDY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkFiniteRecord(what: string, r: Readonly<Record<string, number>> | undefined): void {
  for (const [k, v] of Object.entries(r ?? {})) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `${what} "${k}" must be a finite number, got ${String(v)}`,
        {
          details: { [what]: k },
        },
      );
    }
  }
}

function checkFiniteList(what: string, xs: readonly number[] | undefined): void {
  for (const v of xs ?? []) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new MortarError('INVALID_ARGUMENT', `${what} must be finite numbers, got ${String(v)}`);
    }
  }
}

function checkJson(what: string, attrs: Readonly<Record<string, JsonValue>> | undefined): void {
  if (!attrs) return;
  try {
    JSON.stringify(attrs);
  } catch (e) {
    throw new MortarError('INVALID_ARGUMENT', `${what} must be JSON-safe`, { cause: e });
  }
}

function checkParams(t: FrozenTrial | undefined, params: readonly ParamRecord[] | undefined): void {
  for (const p of params ?? []) {
    const d = validateDistribution(p.name, p.distribution);
    if (!contains(d, p.value)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `parameter "${p.name}": value ${JSON.stringify(p.value)} is outside its distribution`,
        { details: { param: p.name } },
      );
    }
    const prev = t?.distributions[p.name];
    if (prev && (!distributionsEqual(prev, d) || !Object.is(t?.params[p.name], p.value))) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `parameter "${p.name}" is already set on trial ${t?.number}`,
        {
          details: { param: p.name },
        },
      );
    }
  }
}

function checkIntermediate(xs: readonly IntermediateValue[] | undefined): void {
  for (const r of xs ?? []) {
    if (!Number.isInteger(r.step) || r.step < 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `report step must be an integer >= 0, got ${r.step}`,
      );
    }
    if (typeof r.value !== 'number' || Number.isNaN(r.value) || !Number.isFinite(r.value)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `reported value at step ${r.step} must be a finite number, got ${String(r.value)}`,
      );
    }
  }
}

/** Clock for timestamps (epoch ms); injected for tests. */
export interface JournalStorageOptions {
  readonly now?: () => number;
  /** Optimistic-concurrency retries before `CONFLICT` (default 50). */
  readonly maxRetries?: number;
  /** Stream name prefix (default `tuning/study/`). */
  readonly prefix?: string;
}

/** {@link TrialStorage} over a {@link TrialJournal}: writes are checked, appended, then applied. */
export class JournalStorage implements TrialStorage {
  private readonly cache = new Map<string, { state: StudyState; lastSeq: number }>();
  private readonly now: () => number;
  private readonly maxRetries: number;
  private readonly prefix: string;

  constructor(
    readonly journal: TrialJournal,
    opts: JournalStorageOptions = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
    this.maxRetries = opts.maxRetries ?? 50;
    this.prefix = opts.prefix ?? 'tuning/study/';
  }

  private stream(name: string): string {
    return this.prefix + name;
  }

  private async sync(name: string): Promise<{ state: StudyState; lastSeq: number }> {
    let c = this.cache.get(name);
    if (!c) {
      c = { state: new StudyState(), lastSeq: 0 };
      this.cache.set(name, c);
    }
    const entries = await this.journal.read(this.stream(name), { afterSeq: c.lastSeq });
    for (const { seq, event } of entries) {
      if (seq <= c.lastSeq) continue;
      c.state.apply(event);
      c.lastSeq = seq;
    }
    return c;
  }

  private async loaded(name: string): Promise<StudyState> {
    const { state } = await this.sync(name);
    if (!state.study) {
      throw new MortarError('NOT_FOUND', `no study named "${name}"; create it first`, {
        details: { study: name },
      });
    }
    return state;
  }

  /** Checks, appends and applies the events `build` derives from the current state; retries on CONFLICT. */
  private async write<T>(
    name: string,
    build: (s: StudyState) => { events: StudyEvent[]; result: (s: StudyState) => T },
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.sync(name);
      const { events, result } = build(c.state);
      if (events.length === 0) return result(c.state);
      try {
        const seq = await this.journal.append(this.stream(name), events, {
          expectedLastSeq: c.lastSeq,
        });
        // A concurrent sync() of this instance may already have read (and applied) our batch while
        // the append was in flight; the batch is atomic, so it is either fully applied or not.
        if (c.lastSeq < seq) {
          if (c.lastSeq !== seq - events.length) await this.sync(name);
          else {
            // Apply a copy: the state is deep-frozen and must not alias (or freeze) callers' objects.
            for (const e of JSON.parse(JSON.stringify(events)) as StudyEvent[]) c.state.apply(e);
            c.lastSeq = seq;
          }
        }
        return result(c.state);
      } catch (e) {
        if (!isMortarError(e, 'CONFLICT') || attempt >= this.maxRetries) throw e;
      }
    }
  }

  private running(s: StudyState, study: string, n: number): FrozenTrial {
    const t = s.trial(n);
    if (!t) {
      throw new MortarError('NOT_FOUND', `study "${study}" has no trial ${n}`, {
        details: { study, trial: n },
      });
    }
    if (t.state !== 'running') {
      const why = isFinished(t) ? `already finished (${t.state})` : 'waiting (not started)';
      throw new MortarError(
        'FAILED_PRECONDITION',
        `trial ${n} of study "${study}" is ${why}; it cannot be changed`,
        {
          details: { study, trial: n, state: t.state },
        },
      );
    }
    return t;
  }

  async createStudy(init: Omit<StudyRecord, 'createdAt'>): Promise<StudyRecord> {
    if (!STUDY_NAME.test(init.name)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `study name "${init.name}" is invalid; use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    const study: StudyRecord = {
      name: init.name,
      directions: [...init.directions],
      constraints: [...init.constraints],
      createdAt: this.now(),
    };
    return this.write(init.name, (s) => {
      if (s.study) {
        throw new MortarError(
          'ALREADY_EXISTS',
          `a study named "${init.name}" already exists; load it or pick another name`,
          {
            details: { study: init.name },
          },
        );
      }
      return {
        events: [{ type: 'study_created', study }],
        result: (st) => st.study as StudyRecord,
      };
    });
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    if (!STUDY_NAME.test(name)) return undefined;
    return (await this.sync(name)).state.study;
  }

  async listStudies(): Promise<string[]> {
    const names = await this.journal.streams(this.prefix);
    return names.map((s) => s.slice(this.prefix.length)).sort();
  }

  async createTrial(study: string, init: NewTrial): Promise<FrozenTrial> {
    await this.loaded(study);
    checkParams(undefined, init.params);
    checkFiniteList('values', init.values);
    checkFiniteList('constraints', init.constraints);
    checkFiniteRecord('metric', init.metrics);
    checkIntermediate(init.intermediate);
    checkJson('userAttrs', init.userAttrs);
    checkJson('systemAttrs', init.systemAttrs);
    return this.write(study, (s) => {
      const number = s.trials().length;
      const event: StudyEvent = { type: 'trial_created', number, at: this.now(), ...init };
      return { events: [event], result: (st) => st.trial(number) as FrozenTrial };
    });
  }

  async startWaitingTrial(study: string): Promise<FrozenTrial | undefined> {
    await this.loaded(study);
    return this.write(study, (s) => {
      const n = s.firstWaiting();
      if (n === undefined) return { events: [], result: () => undefined };
      return {
        events: [{ type: 'trial_started', number: n, at: this.now() }],
        result: (st) => st.trial(n),
      };
    });
  }

  async updateTrial(study: string, trial: number, update: TrialUpdate): Promise<FrozenTrial> {
    await this.loaded(study);
    checkIntermediate(update.intermediate);
    checkJson('userAttrs', update.userAttrs);
    checkJson('systemAttrs', update.systemAttrs);
    return this.write(study, (s) => {
      const t = this.running(s, study, trial);
      checkParams(t, update.params);
      const params = update.params?.filter((p) => !Object.hasOwn(t.params, p.name));
      const intermediate = update.intermediate?.filter(
        (r) => !t.intermediate.some((x) => x.step === r.step),
      );
      const event: StudyEvent = {
        type: 'trial_updated',
        number: trial,
        ...(params && params.length > 0 ? { params } : {}),
        ...(intermediate && intermediate.length > 0 ? { intermediate } : {}),
        ...(update.userAttrs ? { userAttrs: update.userAttrs } : {}),
        ...(update.systemAttrs ? { systemAttrs: update.systemAttrs } : {}),
      };
      const empty = Object.keys(event).length === 2;
      return { events: empty ? [] : [event], result: (st) => st.trial(trial) as FrozenTrial };
    });
  }

  async finishTrial(study: string, trial: number, finish: TrialFinish): Promise<FrozenTrial> {
    await this.loaded(study);
    checkFiniteList('values', finish.values);
    checkFiniteList('constraints', finish.constraints);
    checkFiniteRecord('metric', finish.metrics);
    checkJson('systemAttrs', finish.systemAttrs);
    return this.write(study, (s) => {
      this.running(s, study, trial);
      const event: StudyEvent = {
        type: 'trial_finished',
        number: trial,
        at: this.now(),
        ...finish,
      };
      return { events: [event], result: (st) => st.trial(trial) as FrozenTrial };
    });
  }

  async getTrials(study: string, states?: readonly TrialState[]): Promise<readonly FrozenTrial[]> {
    const all = (await this.loaded(study)).trials();
    return states ? Object.freeze(all.filter((t) => states.includes(t.state))) : all;
  }

  async getTrial(study: string, trial: number): Promise<FrozenTrial> {
    const t = (await this.loaded(study)).trial(trial);
    if (!t)
      throw new MortarError('NOT_FOUND', `study "${study}" has no trial ${trial}`, {
        details: { study, trial },
      });
    return t;
  }
}

/**
 * An in-memory {@link TrialJournal}. Events are copied through JSON on the way in, exactly as a
 * durable journal would store them. Share one instance between storages to simulate several
 * processes; pass its `dump()` to a new instance to simulate a restart.
 */
export class MemoryJournal implements TrialJournal {
  private readonly data = new Map<string, StudyEvent[]>();

  constructor(initial?: Readonly<Record<string, readonly StudyEvent[]>>) {
    for (const [k, v] of Object.entries(initial ?? {}))
      this.data.set(k, JSON.parse(JSON.stringify(v)) as StudyEvent[]);
  }

  async append(
    stream: string,
    events: readonly StudyEvent[],
    opts: { readonly expectedLastSeq: number },
  ): Promise<number> {
    const list = this.data.get(stream) ?? [];
    if (list.length !== opts.expectedLastSeq) {
      throw new MortarError(
        'CONFLICT',
        `stream "${stream}" is at seq ${list.length}, expected ${opts.expectedLastSeq}`,
      );
    }
    list.push(...(JSON.parse(JSON.stringify(events)) as StudyEvent[]));
    this.data.set(stream, list);
    return list.length;
  }

  async read(
    stream: string,
    opts: { readonly afterSeq?: number } = {},
  ): Promise<readonly JournalEntry[]> {
    const list = this.data.get(stream) ?? [];
    const from = opts.afterSeq ?? 0;
    return list.slice(from).map((event, i) => ({ seq: from + i + 1, event }));
  }

  async streams(prefix: string): Promise<string[]> {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix));
  }

  /** A JSON-safe copy of every stream. */
  dump(): Record<string, StudyEvent[]> {
    return JSON.parse(JSON.stringify(Object.fromEntries(this.data))) as Record<
      string,
      StudyEvent[]
    >;
  }
}

/** A fresh in-memory storage (a {@link JournalStorage} over a new {@link MemoryJournal}). */
export function memoryStorage(opts: JournalStorageOptions = {}): JournalStorage {
  return new JournalStorage(new MemoryJournal(), opts);
}
