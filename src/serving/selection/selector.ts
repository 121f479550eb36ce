import { MortarError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { allocate, type Tensor, type TensorMap } from '../tensor.js';
import type { Bandit, Selection } from './bandit.js';

/** One member's answer. */
export interface MemberAnswer {
  readonly outputs: TensorMap;
  readonly version: string;
}

/** What a selection model answered and how. */
export interface SelectionAnswer {
  readonly outputs: TensorMap;
  /** Members queried, by name. */
  readonly queried: readonly string[];
  /** Members whose answers made the response. */
  readonly answered: readonly string[];
}

/** Feedback on an earlier answer: the true label (class index per row) or a reward in [0, 1]. */
export type Feedback = { readonly label: number | readonly number[] } | { readonly reward: number };

interface Decision {
  readonly selection: Selection;
  /** Per queried member: predicted class per row (argmax of its first output), or undefined. */
  readonly predicted: readonly (readonly number[] | undefined)[];
}

/**
 * Several models behind one name (Clipper's selection layer): a {@link Bandit} picks the members
 * to query, an ensemble's answers are averaged with the bandit's weights, and feedback updates
 * the bandit. An ensemble answers at its deadline with the members that finished (stragglers are
 * left out and the weights renormalized); if none finished it fails with DEADLINE_EXCEEDED.
 */
export class Selector {
  private readonly pending = new Map<string, Decision>();

  constructor(
    readonly name: string,
    readonly members: readonly string[],
    readonly bandit: Bandit,
    private readonly rng: Rng,
    private readonly maxPending = 10_000,
  ) {}

  /**
   * Answers request `id`: queries the chosen members through `call` and combines what arrives
   * within `deadlineMs`. `call` gets its own copy of the inputs.
   */
  async infer(
    id: string,
    inputs: TensorMap,
    deadlineMs: number,
    call: (member: string, inputs: TensorMap) => Promise<MemberAnswer>,
  ): Promise<SelectionAnswer> {
    const selection = this.bandit.select(this.rng);
    const results: (MemberAnswer | undefined)[] = selection.arms.map(() => undefined);
    const errors: (Error | undefined)[] = selection.arms.map(() => undefined);
    const calls = selection.arms.map((arm, k) =>
      call(this.members[arm]!, copyInputs(inputs)).then(
        (r) => void (results[k] = r),
        (e: Error) => void (errors[k] = e),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const all = Promise.all(calls);
    if (selection.arms.length > 1) {
      await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, deadlineMs)))]);
      clearTimeout(timer);
    } else {
      await all;
    }
    const done = selection.arms.map((_, k) => k).filter((k) => results[k] !== undefined);
    if (done.length === 0) {
      const err = errors.find((e) => e !== undefined);
      if (err) throw err;
      throw new MortarError(
        'DEADLINE_EXCEEDED',
        `no member of ${this.name} answered within its deadline of ${deadlineMs} ms; retry later`,
        { details: { model: this.name, deadlineMs } },
      );
    }
    const outputs = combine(
      done.map((k) => results[k]!.outputs),
      done.map((k) => selection.weights[k]!),
    );
    this.remember(id, {
      selection,
      predicted: selection.arms.map((_, k) => {
        const r = results[k];
        return r ? argmaxRows(Object.values(r.outputs)[0]) : undefined;
      }),
    });
    return {
      outputs,
      queried: selection.arms.map((a) => this.members[a]!),
      answered: done.map((k) => this.members[selection.arms[k]!]!),
    };
  }

  /** Applies feedback on request `id`; NOT_FOUND when the id is unknown or already used. */
  feedback(id: string, fb: Feedback): { rewards: (number | undefined)[] } {
    const d = this.pending.get(id);
    if (!d) {
      throw new MortarError(
        'NOT_FOUND',
        `${this.name} has no pending prediction with id "${id}" (feedback is accepted once, for the last ${this.maxPending} requests); send the id returned by infer`,
        { details: { model: this.name, id } },
      );
    }
    this.pending.delete(id);
    const rewards = d.predicted.map((pred) => {
      if (pred === undefined) return undefined;
      if ('reward' in fb) return fb.reward;
      const labels = typeof fb.label === 'number' ? [fb.label] : fb.label;
      if (labels.length !== pred.length) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `feedback for ${id}: label has ${labels.length} rows, the prediction had ${pred.length}`,
          { details: { id } },
        );
      }
      return pred.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0) / pred.length;
    });
    this.bandit.update(d.selection, rewards);
    return { rewards };
  }

  private remember(id: string, d: Decision): void {
    this.pending.delete(id);
    this.pending.set(id, d);
    if (this.pending.size > this.maxPending) {
      this.pending.delete(this.pending.keys().next().value as string);
    }
  }
}

function copyInputs(inputs: TensorMap): TensorMap {
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(inputs)) out[k] = { ...t, data: t.data.slice() };
  return out;
}

/** Class index per row: the argmax over the last axis of `t` (2-D [rows, classes]). */
export function argmaxRows(t: Tensor | undefined): number[] | undefined {
  if (!t || t.datatype === 'INT64' || t.shape.length < 1) return undefined;
  const rows = t.shape.length === 1 ? 1 : t.shape[0]!;
  const k = t.data.length / Math.max(1, rows);
  const d = t.data as Float32Array;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (d[r * k + j]! > d[r * k + best]!) best = j;
    out.push(best);
  }
  return out;
}

/**
 * Weighted average of float outputs (weights renormalized over the given answers); other data
 * types come from the answer with the largest weight.
 */
export function combine(answers: readonly TensorMap[], weights: readonly number[]): TensorMap {
  if (answers.length === 1) return answers[0]!;
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  let top = 0;
  weights.forEach((w, i) => (w > weights[top]! ? (top = i) : undefined));
  const out: Record<string, Tensor> = {};
  for (const [name, t0] of Object.entries(answers[top]!)) {
    if (t0.datatype !== 'FP32' && t0.datatype !== 'FP64') {
      out[name] = t0;
      continue;
    }
    const acc = allocate(t0.datatype, t0.data.length) as Float64Array;
    answers.forEach((a, i) => {
      const t = a[name];
      if (!t || t.data.length !== acc.length) return;
      const w = weights[i]! / total;
      const d = t.data as Float64Array;
      for (let j = 0; j < acc.length; j++) acc[j]! += w * d[j]!;
    });
    out[name] = { datatype: t0.datatype, shape: t0.shape, data: acc };
  }
  return out;
}
