/**
 * Where studies and trials live. The {@link TrialStorage} interface is what the study uses; the
 * shipped implementation ({@link JournalStorage}, in journal.ts) keeps every study as an
 * append-only journal of {@link StudyEvent}s and rebuilds state by replaying them through one
 * reducer, so an in-memory journal and a store-backed one behave the same (Optuna's
 * JournalStorage design).
 */
import type { JsonValue } from '../core/json.js';
import type { Distribution, ParamValue } from './distributions.js';
import type {
  Direction,
  FinishedState,
  FrozenTrial,
  IntermediateValue,
  TrialState,
} from './trial.js';

/** A study's identity and fixed configuration. */
export interface StudyRecord {
  readonly name: string;
  readonly directions: readonly Direction[];
  /** Outcome constraints as written (`'latency_ms <= 20'`); parsed by the study. */
  readonly constraints: readonly string[];
  readonly createdAt: number;
}

/** A parameter as stored: its distribution and external value. */
export interface ParamRecord {
  readonly name: string;
  readonly distribution: Distribution;
  readonly value: ParamValue;
}

/** The content of a new trial. Finished states are allowed for warm starts (`addTrial`). */
export interface NewTrial {
  readonly state: TrialState;
  readonly params?: readonly ParamRecord[];
  readonly values?: readonly number[];
  readonly intermediate?: readonly IntermediateValue[];
  readonly metrics?: Readonly<Record<string, number>>;
  readonly constraints?: readonly number[];
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
}

/** Changes to a running trial, applied atomically in this order. */
export interface TrialUpdate {
  readonly params?: readonly ParamRecord[];
  readonly intermediate?: readonly IntermediateValue[];
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
}

/** How a trial finishes. */
export interface TrialFinish {
  readonly state: FinishedState;
  readonly values?: readonly number[];
  readonly metrics?: Readonly<Record<string, number>>;
  readonly constraints?: readonly number[];
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
}

/**
 * Storage of studies and trials.
 *
 * Contract:
 * - **Call order:** `createStudy` (or `getStudy`) before any trial call on that study.
 * - **Concurrency:** every write is atomic per call; several workers (in-process or, for a shared
 *   backend, in other processes) may write the same study. A backend resolves races with
 *   optimistic concurrency and retries, so exactly one of two racing `finishTrial` calls on the
 *   same trial succeeds and `startWaitingTrial` hands each waiting trial to one caller.
 * - **Immutability:** every returned trial and array is frozen; callers never mutate.
 * - **Errors:** `NOT_FOUND` for an unknown study or trial, `ALREADY_EXISTS` for a duplicate
 *   study, `FAILED_PRECONDITION` for writes to a trial that is finished (or not yet started),
 *   `INVALID_ARGUMENT` for malformed content, `CONFLICT` when retries are exhausted,
 *   `STORE_UNAVAILABLE` passed through from the backend. A failed write changes nothing.
 */
export interface TrialStorage {
  /** Creates a study; `ALREADY_EXISTS` if the name is taken. */
  createStudy(init: Omit<StudyRecord, 'createdAt'>): Promise<StudyRecord>;
  /** The study, or `undefined`. */
  getStudy(name: string): Promise<StudyRecord | undefined>;
  /** Names of every study, sorted. */
  listStudies(): Promise<string[]>;
  /** Appends a trial (number = count of trials so far) and returns it. */
  createTrial(study: string, init: NewTrial): Promise<FrozenTrial>;
  /** Moves the oldest waiting trial to running and returns it; `undefined` if none waits. */
  startWaitingTrial(study: string): Promise<FrozenTrial | undefined>;
  /** Sets params, reports and attributes on a running trial. */
  updateTrial(study: string, trial: number, update: TrialUpdate): Promise<FrozenTrial>;
  /** Finishes a running trial. */
  finishTrial(study: string, trial: number, finish: TrialFinish): Promise<FrozenTrial>;
  /** Every trial, ordered by number, optionally filtered by state. */
  getTrials(study: string, states?: readonly TrialState[]): Promise<readonly FrozenTrial[]>;
  /** One trial; `NOT_FOUND` if there is no such trial. */
  getTrial(study: string, trial: number): Promise<FrozenTrial>;
}
