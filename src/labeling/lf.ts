import { MortarError } from '../core/errors.js';
import type { Preprocessor } from './preprocessor.js';
import { ABSTAIN, type Label, type LabelingFunction } from './types.js';

/** Options of {@link labelingFunction}. */
export interface LabelingFunctionOptions<X, Y> {
  /** Unique name (the label matrix column). */
  readonly name: string;
  /** Runs before the LF; its (memoized) output is what the LF sees. */
  readonly pre?: Preprocessor<X, Y>;
  /** Read-only values handed to the LF as its second argument. */
  readonly resources?: Readonly<Record<string, unknown>>;
}

/**
 * Wraps a function into a named, typed {@link LabelingFunction}.
 *
 * @example
 * const SPAM = 1;
 * const hasFree = labelingFunction({ name: 'kw_free' }, (e: { body: string }) =>
 *   e.body.includes('FREE') ? SPAM : ABSTAIN);
 * const urls = labelingFunction({ name: 'many_urls', pre: parseEmail }, (e) => (e.urls > 5 ? SPAM : ABSTAIN));
 */
export function labelingFunction<X, Y = X>(
  opts: LabelingFunctionOptions<X, Y>,
  fn: (x: Y, resources: Readonly<Record<string, unknown>>) => Label,
): LabelingFunction<X> {
  if (typeof opts.name !== 'string' || opts.name.length === 0) {
    throw new MortarError('INVALID_ARGUMENT', 'labelingFunction: name must be a non-empty string');
  }
  const resources = Object.freeze({ ...(opts.resources ?? {}) });
  const pre = opts.pre;
  const label = pre
    ? (x: X): Label => fn(pre.run(x), resources)
    : (x: X): Label => fn(x as unknown as Y, resources);
  return { name: opts.name, resources, label };
}

/**
 * Checks that LF names are unique and non-empty; returns the names.
 * @throws INVALID_ARGUMENT naming the duplicate LF.
 */
export function checkLfNames(lfs: readonly { readonly name: string }[]): string[] {
  const seen = new Map<string, number>();
  lfs.forEach((lf, j) => {
    if (typeof lf.name !== 'string' || lf.name.length === 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `labeling function #${j} has no name; give every LF a unique name`,
        {
          details: { index: j },
        },
      );
    }
    const prev = seen.get(lf.name);
    if (prev !== undefined) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `duplicate labeling function name "${lf.name}" (LFs #${prev} and #${j}); LF names must be unique because they name the label matrix columns`,
        { details: { lf: lf.name, indices: [prev, j] } },
      );
    }
    seen.set(lf.name, j);
  });
  return [...seen.keys()];
}

/**
 * Checks one vote: an integer in [0, cardinality) or -1.
 * @throws DATA_INVALID naming the LF, the row and the value.
 */
export function checkVote(
  v: unknown,
  lf: string,
  row: number,
  cardinality: number | undefined,
): void {
  if (v === ABSTAIN) return;
  if (
    typeof v === 'number' &&
    Number.isInteger(v) &&
    v >= 0 &&
    (cardinality === undefined || v < cardinality)
  )
    return;
  const set = cardinality === undefined ? 'an integer >= 0' : `0..${cardinality - 1}`;
  throw new MortarError(
    'DATA_INVALID',
    `labeling function "${lf}" returned ${JSON.stringify(v) ?? String(v)} for row ${row}; an LF must return a label in ${set} or ABSTAIN (-1)`,
    { details: { lf, row, value: String(v), cardinality: cardinality ?? null } },
  );
}
