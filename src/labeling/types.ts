/** The vote of a labeling function that does not label a data point. */
export const ABSTAIN = -1;

/** A class label: an integer in [0, cardinality), or {@link ABSTAIN} (-1). */
export type Label = number;

/**
 * A labeling function over data points of type `X`: it votes a class or abstains.
 *
 * **Contract.** `label(x)` is a pure function of `x` (and the LF's read-only resources): the same
 * point always gets the same vote, so appliers may run it in any order, on any thread, any number
 * of times. It returns an integer in [0, cardinality) or -1 ({@link ABSTAIN}); anything else is a
 * bug the appliers report with the LF's name and the row. It may throw; appliers either stop
 * (strict) or count the failure against this LF and record an abstain (fault-tolerant).
 */
export interface LabelingFunction<X> {
  /** Unique within a set of LFs; used as the label matrix's column name. */
  readonly name: string;
  /** Read-only values the LF uses (keyword lists, lookup tables), passed as its second argument. */
  readonly resources: Readonly<Record<string, unknown>>;
  /** Votes for `x` (preprocessing included). */
  label(x: X): Label;
}

/** Per-LF failure counts of a fault-tolerant apply, plus the first error of each failing LF. */
export interface ApplyFailures {
  /** LF name -> number of rows on which it threw. Only failing LFs appear. */
  readonly counts: Readonly<Record<string, number>>;
  /** LF name -> `{ row, message }` of its first failure. */
  readonly first: Readonly<Record<string, { readonly row: number; readonly message: string }>>;
}
