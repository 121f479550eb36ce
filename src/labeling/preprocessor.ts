/**
 * A preprocessor maps a data point to what LFs look at (parsed headers, tokens, a model's score).
 * Several LFs sharing one preprocessor instance compute it once per data point: results are
 * memoized per point (by object identity in a `WeakMap` for objects, or by `key(x)` in a bounded
 * map), so an email is parsed once however many LFs read it.
 *
 * **Contract.** `fn` is pure; memoization assumes the same point (or key) gives the same output.
 * Not shared across threads: each worker builds its own instances when it loads the LF module.
 */
export interface Preprocessor<X, Y> {
  readonly name: string;
  /** The (memoized) output for `x`. */
  run(x: X): Y;
}

/** Options of {@link preprocessor}. */
export interface PreprocessorOptions<X> {
  readonly name: string;
  /** Memoize results (default true). */
  readonly memoize?: boolean;
  /**
   * Memo key for points that are not objects or are rebuilt per LF; default: object identity.
   * Keyed results live in a map bounded by `maxEntries` (oldest dropped first).
   */
  readonly key?: (x: X) => string | number;
  /** Bound of the keyed memo (default 10,000). */
  readonly maxEntries?: number;
}

/**
 * Builds a memoized {@link Preprocessor}.
 * @example
 * const parse = preprocessor({ name: 'parse' }, (m: { text: string }) => ({ lower: m.text.toLowerCase() }));
 */
export function preprocessor<X, Y>(
  opts: PreprocessorOptions<X>,
  fn: (x: X) => Y,
): Preprocessor<X, Y> {
  if (opts.memoize === false) return { name: opts.name, run: fn };
  const byObject = new WeakMap<object, Y>();
  const byKey = new Map<string | number, Y>();
  const max = opts.maxEntries ?? 10_000;
  const key = opts.key;
  // The last point seen: LFs are applied point by point, so this hit is the common case.
  let lastX: X | undefined;
  let lastY: Y | undefined;
  let hasLast = false;
  return {
    name: opts.name,
    run(x: X): Y {
      if (hasLast && x === lastX && key === undefined) return lastY as Y;
      let y: Y;
      if (key) {
        const k = key(x);
        const hit = byKey.get(k);
        if (hit !== undefined || byKey.has(k)) return hit as Y;
        y = fn(x);
        if (byKey.size >= max) byKey.delete(byKey.keys().next().value as string | number);
        byKey.set(k, y);
      } else if (typeof x === 'object' && x !== null) {
        const hit = byObject.get(x);
        if (hit !== undefined) y = hit;
        else {
          y = fn(x);
          byObject.set(x, y);
        }
      } else {
        y = fn(x);
      }
      lastX = x;
      lastY = y;
      hasLast = true;
      return y;
    },
  };
}

/** Composes two preprocessors: `second(first(x))`, each memoized on its own. */
export function chain<X, Y, Z>(
  first: Preprocessor<X, Y>,
  second: Preprocessor<Y, Z>,
): Preprocessor<X, Z> {
  return { name: `${first.name}>${second.name}`, run: (x: X) => second.run(first.run(x)) };
}
