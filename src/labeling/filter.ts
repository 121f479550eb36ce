import type { LabelMatrix } from './matrix.js';

/**
 * Drops rows no LF labeled (Snorkel's `filter_unlabeled_dataframe`): returns the kept row
 * indices and the matching rows of `probs` (n x k) — train end models on these only.
 */
export function filterUnlabeled(
  L: LabelMatrix,
  probs: Float64Array,
  k: number,
): { rows: Int32Array; probs: Float64Array } {
  const keep: number[] = [];
  for (let i = 0; i < L.n; i++) if (L.rowPtr[i + 1]! > L.rowPtr[i]!) keep.push(i);
  const out = new Float64Array(keep.length * k);
  keep.forEach((i, t) => out.set(probs.subarray(i * k, (i + 1) * k), t * k));
  return { rows: Int32Array.from(keep), probs: out };
}
