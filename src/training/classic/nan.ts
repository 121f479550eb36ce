import { MortarError } from '../../core/errors.js';
import { DenseMatrix } from './dense.js';
import { CsrMatrix } from './sparse.js';
import type { FeatureMatrix, NanPolicy } from './types.js';

/**
 * Rows of a feature matrix (and optional label vectors) that hold NaN or +-Infinity.
 * Returns the sorted row ids.
 */
export function nonFiniteRows(
  x: FeatureMatrix,
  ...labels: (ArrayLike<number> | undefined)[]
): number[] {
  const bad = new Uint8Array(x.rows);
  if (x instanceof DenseMatrix) {
    const { data, cols } = x;
    for (let r = 0; r < x.rows; r++) {
      for (let c = 0, o = r * cols; c < cols; c++) {
        if (!Number.isFinite(data[o + c]!)) {
          bad[r] = 1;
          break;
        }
      }
    }
  } else {
    for (let r = 0; r < x.rows; r++) {
      for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) {
        if (!Number.isFinite(x.values[k]!)) {
          bad[r] = 1;
          break;
        }
      }
    }
  }
  for (const y of labels) {
    if (!y) continue;
    for (let r = 0; r < y.length; r++) if (!Number.isFinite(y[r]!)) bad[r] = 1;
  }
  const out: number[] = [];
  for (let r = 0; r < bad.length; r++) if (bad[r]) out.push(r);
  return out;
}

/**
 * Rows where an id (number or string) is missing — a non-finite number, null or undefined — or
 * the value is not finite. All vectors have equal length.
 */
export function badIdRows(
  users: ArrayLike<unknown>,
  items: ArrayLike<unknown>,
  values?: ArrayLike<number>,
): number[] {
  const out: number[] = [];
  const badId = (v: unknown): boolean =>
    typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string';
  for (let r = 0; r < users.length; r++) {
    if (
      badId(users[r]) ||
      badId(items[r]) ||
      (values !== undefined && !Number.isFinite(values[r]!))
    )
      out.push(r);
  }
  return out;
}

/** Throws DATA_INVALID naming the first bad row and the fix, if `bad` is non-empty and policy is error. */
export function applyNanPolicy(
  model: string,
  bad: readonly number[],
  policy: NanPolicy,
  total: number,
): void {
  if (bad.length > 0 && policy === 'error') {
    throw new MortarError(
      'DATA_INVALID',
      `${model}: ${bad.length} of ${total} rows hold NaN or infinite values (first: row ${bad[0]}); ` +
        `clean the data or set "nan": "drop" in the config to drop those rows`,
      { details: { model, rows: bad.slice(0, 20), count: bad.length } },
    );
  }
}

/** The row ids 0..n-1 without the (sorted) ids in `drop`. */
export function keepRows(n: number, drop: readonly number[]): Int32Array {
  const out = new Int32Array(n - drop.length);
  let d = 0;
  let w = 0;
  for (let r = 0; r < n; r++) {
    if (d < drop.length && drop[d] === r) d++;
    else out[w++] = r;
  }
  return out;
}

/** Selects rows of a dense or CSR matrix. */
export function selectRows(x: FeatureMatrix, ids: ArrayLike<number>): FeatureMatrix {
  return x instanceof CsrMatrix ? x.selectRows(ids) : x.selectRows(ids);
}

/** Picks entries `ids` of a vector into a Float64Array. */
export function pick(v: ArrayLike<number>, ids: ArrayLike<number>): Float64Array {
  const out = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = v[ids[i]!]!;
  return out;
}
