import { fmt, type Anomaly } from '../anomaly.js';
import { normalQuantile } from '../sketches/math.js';
import type { DatasetComparator } from './comparator.js';

/**
 * Duplicate rows: the batch's duplicate fraction against the reference's, scaled up for a batch
 * larger than the reference (more rows, more chance repeats), plus a binomial allowance for the
 * batch size and an absolute `floor`.
 */
export function duplicateRows(opts: { floor?: number } = {}): DatasetComparator {
  const floor = opts.floor ?? 0.01;
  return {
    kind: 'duplicates',
    compare(batch, ref, ctx): Anomaly[] {
      const a = batch.duplicates;
      const b = ref.duplicates;
      if (!a || !b || a.rows < 2) return [];
      const da = a.duplicateFraction();
      const db = b.duplicateFraction() * Math.max(1, a.rows / Math.max(1, b.rows));
      const p = Math.min(0.999, Math.max(db, 1 / a.rows));
      const m = a.exact ? a.rows : Math.min(a.rows, a.k);
      const bound = db + normalQuantile(1 - ctx.alpha) * Math.sqrt((p * (1 - p)) / m) + floor;
      if (da <= bound) return [];
      return [
        {
          feature: '*',
          type: 'DUPLICATE_ROWS_HIGH',
          severity: 'warning',
          value: Number(da.toFixed(4)),
          threshold: Number(bound.toFixed(4)),
          description: `${fmt(100 * da)}% of the rows repeat an earlier row vs ${fmt(100 * b.duplicateFraction())}% in the reference`,
        },
      ];
    },
  };
}
