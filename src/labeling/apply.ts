import { MortarError } from '../core/errors.js';
import { checkLfNames, checkVote } from './lf.js';
import type { LabelMatrix } from './matrix.js';
import { LabelMatrixBuilder } from './matrix.js';
import { ABSTAIN, type ApplyFailures, type LabelingFunction } from './types.js';

/** Options shared by every applier. */
export interface ApplyOptions {
  /**
   * Number of classes; votes must be in [0, cardinality) or -1. Default: any integer >= 0
   * (checked later when a label model is fitted).
   */
  readonly cardinality?: number;
  /**
   * `false` (strict, default): the first LF that throws stops the apply with a DATA_INVALID error
   * naming the LF and the row. `true`: a throwing LF abstains on that row and the failure is
   * counted per LF in the result.
   */
  readonly faultTolerant?: boolean;
}

/** What an applier returns. */
export interface ApplyResult {
  readonly matrix: LabelMatrix;
  readonly failures: ApplyFailures;
}

/** Mutable failure counts that appliers merge into. */
export class FailureTally {
  readonly counts: Record<string, number> = {};
  readonly first: Record<string, { row: number; message: string }> = {};

  add(lf: string, row: number, message: string, times = 1): void {
    this.counts[lf] = (this.counts[lf] ?? 0) + times;
    const f = this.first[lf];
    if (!f || row < f.row) this.first[lf] = { row, message };
  }

  merge(other: ApplyFailures): void {
    for (const [lf, c] of Object.entries(other.counts))
      this.add(lf, other.first[lf]?.row ?? 0, other.first[lf]?.message ?? '', c);
  }

  /** A frozen snapshot. */
  snapshot(): ApplyFailures {
    return { counts: { ...this.counts }, first: { ...this.first } };
  }
}

/**
 * Applies `lfs` to `points` in order on the calling thread, row `startRow + i` for point i in
 * error messages.
 * @throws INVALID_ARGUMENT for duplicate LF names; DATA_INVALID for an LF returning a value
 *   outside the label set, or (strict mode) throwing, naming the LF and the row.
 */
export function applyChunk<X>(
  lfs: readonly LabelingFunction<X>[],
  points: Iterable<X>,
  opts: ApplyOptions & { readonly startRow?: number; readonly names?: readonly string[] } = {},
  tally: FailureTally = new FailureTally(),
): LabelMatrix {
  const names = opts.names ?? checkLfNames(lfs);
  const m = lfs.length;
  const labelers = lfs.map((lf) => lf.label.bind(lf));
  const b = new LabelMatrixBuilder(names);
  const row = new Int32Array(m);
  const k = opts.cardinality;
  const ft = opts.faultTolerant === true;
  let i = opts.startRow ?? 0;
  for (const x of points) {
    for (let j = 0; j < m; j++) {
      let v: number;
      try {
        v = labelers[j]!(x);
      } catch (e) {
        if (!ft) {
          throw new MortarError(
            'DATA_INVALID',
            `labeling function "${names[j]}" failed on row ${i}: ${e instanceof Error ? e.message : String(e)} (use fault-tolerant mode to count failures and continue)`,
            { details: { lf: names[j], row: i }, cause: e },
          );
        }
        tally.add(names[j]!, i, e instanceof Error ? e.message : String(e));
        v = ABSTAIN;
      }
      if (v !== ABSTAIN && !(v >= 0 && (k === undefined || v < k) && Number.isInteger(v)))
        checkVote(v, names[j]!, i, k);
      row[j] = v;
    }
    b.pushDense(row, i);
    i++;
  }
  return b.build();
}

/**
 * Applies `lfs` to every point in memory, on the calling thread.
 * @example
 * const { matrix, failures } = applyLFs(lfs, emails, { cardinality: 2, faultTolerant: true });
 */
export function applyLFs<X>(
  lfs: readonly LabelingFunction<X>[],
  points: Iterable<X>,
  opts: ApplyOptions = {},
): ApplyResult {
  const tally = new FailureTally();
  const matrix = applyChunk(lfs, points, opts, tally);
  return { matrix, failures: tally.snapshot() };
}
