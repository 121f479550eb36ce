/**
 * Runs: a small API over a {@link Store} for anything that executes and reports metrics
 * (`mortar quickstart`, training jobs, tuning trials).
 *
 * A run is a doc in collection `runs` keyed by its id; its metric history is the journal stream
 * `runs/<id>/metrics`, one record `{ step, values }` per call. Status moves once, from `running`
 * to `completed` or `failed`, by compare-and-set on the doc's version, so two finishers cannot
 * both win.
 *
 * Ids are ULID-style: 10 Crockford base-32 characters of creation time (ms) then 16 of
 * randomness (80 bits), lowercase, so sorting ids sorts runs by creation time (ties in random
 * order) and `listRuns` is a key-range scan. Randomness comes from `crypto.getRandomValues`
 * unless an {@link Rng} is injected (deterministic ids for tests); creation uses
 * `expectedVersion: 0`, so even a colliding id fails loudly with CONFLICT instead of overwriting.
 */
import { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { MortarError } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { Rng } from '../rng.js';
import type { Store } from './types.js';

/** The collection holding run docs. */
export const RUNS_COLLECTION = 'runs';

/** Where a run is in its life. */
export type RunStatus = 'running' | 'completed' | 'failed';

/** A run as stored (an immutable snapshot). */
export interface Run {
  readonly id: string;
  /** What ran, e.g. `quickstart`, `train`, `trial`. */
  readonly kind: string;
  readonly name: string;
  readonly status: RunStatus;
  readonly params: JsonObject;
  /** ms since the epoch. */
  readonly startedAt: number;
  /** ms since the epoch; null while running. */
  readonly endedAt: number | null;
  /** Final results given to {@link finishRun}; null while running. */
  readonly summary: JsonObject | null;
}

/** One point of a run's metric history. */
export interface MetricPoint {
  /** The seq of the journal record (1, 2, ...), for paging with `afterSeq`. */
  readonly seq: number;
  readonly step: number;
  /** When it was logged (ms since the epoch). */
  readonly ts: number;
  /** Metric values; NaN and ±Infinity survive the round trip. */
  readonly values: Readonly<Record<string, number>>;
}

const jsonObject = z.record(z.string(), z.json()) as unknown as z.ZodType<JsonObject>;
const RunSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  name: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  params: jsonObject,
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  summary: jsonObject.nullable(),
});
const MetricRecordSchema = z.object({
  step: z.number(),
  values: z.record(z.string(), z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])])),
});

/** The journal stream holding a run's metrics. */
export function metricsStream(runId: string): string {
  return `runs/${runId}/metrics`;
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new time-sortable run id (26 characters) for creation time `now`.
 * @example newRunId(Date.now()) // '01jd2x9k3m4q8r7t6v5w4x3y2z'
 */
export function newRunId(now: number, rng?: Rng): string {
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new MortarError('INVALID_ARGUMENT', `newRunId: now must be an integer >= 0, got ${now}`);
  }
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = new Uint8Array(10);
  if (rng) for (let i = 0; i < bytes.length; i++) bytes[i] = rng.nextUint32() & 0xff;
  else crypto.getRandomValues(bytes);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let rand = '';
  for (let i = 0; i < 16; i++) {
    rand = CROCKFORD[Number(bits & 31n)] + rand;
    bits >>= 5n;
  }
  return time + rand;
}

/** Options of {@link createRun}. */
export interface CreateRunOptions {
  /** What runs, e.g. `quickstart`, `train`. */
  readonly kind: string;
  /** A human-readable name; default the kind. */
  readonly name?: string;
  /** Inputs of the run (hyperparameters, data paths). */
  readonly params?: JsonObject;
  /** Default the system clock. */
  readonly clock?: Clock;
  /** Randomness for the id; default `crypto.getRandomValues`. */
  readonly rng?: Rng;
}

/**
 * Records a new run with status `running`.
 * @example const run = await createRun(store, { kind: 'train', name: 'mlp', params: { lr: 0.01 } });
 */
export async function createRun(store: Store, opts: CreateRunOptions): Promise<Run> {
  if (typeof opts.kind !== 'string' || opts.kind.length === 0) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `createRun: kind must be a non-empty string, got ${String(opts.kind)}`,
    );
  }
  const now = (opts.clock ?? systemClock).now();
  const run: Run = {
    id: newRunId(now, opts.rng),
    kind: opts.kind,
    name: opts.name ?? opts.kind,
    status: 'running',
    params: opts.params ?? {},
    startedAt: now,
    endedAt: null,
    summary: null,
  };
  const doc = await store.putDoc(RUNS_COLLECTION, run.id, runJson(run), { expectedVersion: 0 });
  return parseRun(doc.value, run.id);
}

/** The run with this id, or undefined. */
export async function getRun(store: Store, runId: string): Promise<Run | undefined> {
  const doc = await store.getDoc(RUNS_COLLECTION, runId);
  return doc && parseRun(doc.value, runId);
}

/** The run with this id; NOT_FOUND (naming `mortar runs list`) when there is none. */
export async function requireRun(store: Store, runId: string): Promise<Run> {
  const run = await getRun(store, runId);
  if (!run) {
    throw new MortarError(
      'NOT_FOUND',
      `no run with id ${JSON.stringify(runId)} in ${store.description}; see \`mortar runs list\``,
      {
        details: { runId },
      },
    );
  }
  return run;
}

/**
 * Marks a running run `completed` or `failed` with its final `summary`.
 * @throws NOT_FOUND for an unknown id; FAILED_PRECONDITION when the run already finished.
 */
export async function finishRun(
  store: Store,
  runId: string,
  status: Exclude<RunStatus, 'running'>,
  summary: JsonObject = {},
  opts: { readonly clock?: Clock } = {},
): Promise<Run> {
  if (status !== 'completed' && status !== 'failed') {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `finishRun: status must be 'completed' or 'failed', got ${String(status)}`,
    );
  }
  // Compare-and-set; a concurrent writer (another finisher) makes us re-read and decide again.
  for (let attempt = 0; ; attempt++) {
    const doc = await store.getDoc(RUNS_COLLECTION, runId);
    if (!doc) return requireRun(store, runId); // throws NOT_FOUND
    const run = parseRun(doc.value, runId);
    if (run.status !== 'running') {
      throw new MortarError(
        'FAILED_PRECONDITION',
        `run ${runId} already ${run.status}; a run finishes once`,
        {
          details: { runId, status: run.status },
        },
      );
    }
    const next: Run = { ...run, status, summary, endedAt: (opts.clock ?? systemClock).now() };
    try {
      const saved = await store.putDoc(RUNS_COLLECTION, runId, runJson(next), {
        expectedVersion: doc.version,
      });
      return parseRun(saved.value, runId);
    } catch (e) {
      if (!(e instanceof MortarError && e.code === 'CONFLICT') || attempt >= 10) throw e;
    }
  }
}

/** Options of {@link listRuns}. */
export interface ListRunsOptions {
  readonly kind?: string;
  readonly status?: RunStatus;
  /** At most this many (default all). */
  readonly limit?: number;
}

/** Runs, newest first, optionally only of one kind and/or status. */
export async function listRuns(store: Store, opts: ListRunsOptions = {}): Promise<readonly Run[]> {
  const out: Run[] = [];
  const page = 200;
  let after: string | undefined;
  for (;;) {
    const docs = await store.listDocs(RUNS_COLLECTION, { order: 'desc', limit: page, after });
    for (const d of docs) {
      const run = parseRun(d.value, d.key);
      if (
        (opts.kind === undefined || run.kind === opts.kind) &&
        (opts.status === undefined || run.status === opts.status)
      ) {
        out.push(run);
        if (opts.limit !== undefined && out.length >= opts.limit) return out;
      }
    }
    if (docs.length < page) return out;
    after = docs[docs.length - 1]?.key;
  }
}

/**
 * Appends one point `{ step, values }` to the run's metric history; returns its seq.
 * @throws NOT_FOUND for an unknown run id.
 * @example await logMetrics(store, run.id, 10, { loss: 0.31, accuracy: 0.9 });
 */
export async function logMetrics(
  store: Store,
  runId: string,
  step: number,
  values: Readonly<Record<string, number>>,
): Promise<number> {
  const { lastSeq } = await logMetricBatch(store, runId, [{ step, values }]);
  return lastSeq;
}

/** Appends many points in one atomic write (cheaper than one {@link logMetrics} per step). */
export async function logMetricBatch(
  store: Store,
  runId: string,
  points: readonly { readonly step: number; readonly values: Readonly<Record<string, number>> }[],
): Promise<{ firstSeq: number; lastSeq: number }> {
  await requireRun(store, runId);
  const records = points.map(({ step, values }): JsonValue => {
    if (typeof step !== 'number' || !Number.isFinite(step)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `logMetrics: step must be a finite number, got ${String(step)}`,
      );
    }
    const encoded: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'number') {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `logMetrics: metric ${JSON.stringify(k)} must be a number, got ${typeof v}`,
        );
      }
      encoded[k] = Number.isFinite(v) ? v : String(v); // 'NaN' | 'Infinity' | '-Infinity'
    }
    return { step, values: encoded };
  });
  return store.append(metricsStream(runId), records);
}

/** The run's metric history in logging order (pages with `afterSeq`/`limit`). */
export async function readMetrics(
  store: Store,
  runId: string,
  opts: { readonly afterSeq?: number; readonly limit?: number } = {},
): Promise<readonly MetricPoint[]> {
  const records = await store.read(metricsStream(runId), opts);
  return records.map((r) => {
    const parsed = MetricRecordSchema.safeParse(r.data);
    if (!parsed.success) {
      throw new MortarError(
        'DATA_INVALID',
        `${r.stream} seq ${r.seq} is not a metric record: ${parsed.error.message}`,
      );
    }
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(parsed.data.values)) values[k] = Number(v);
    return { seq: r.seq, step: parsed.data.step, ts: r.ts, values };
  });
}

function runJson(run: Run): JsonObject {
  return { ...run };
}

function parseRun(value: JsonValue, id: string): Run {
  const parsed = RunSchema.safeParse(value);
  if (!parsed.success) {
    throw new MortarError(
      'DATA_INVALID',
      `run doc ${RUNS_COLLECTION}/${id} is malformed: ${parsed.error.message}`,
      {
        details: { runId: id },
      },
    );
  }
  return parsed.data;
}
