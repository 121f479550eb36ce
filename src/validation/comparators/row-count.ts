import { fmt, type Anomaly } from '../anomaly.js';
import type { DatasetComparator } from './comparator.js';

/**
 * Row-count drift: the batch has fewer than `minRatio` or more than `maxRatio` times the
 * reference's rows (TFDV's `COMPARATOR_LOW_NUM_EXAMPLES` / `COMPARATOR_HIGH_NUM_EXAMPLES`).
 * Only meaningful when batches are meant to be alike in size (daily spans), so it is opt-in.
 */
export function rowCount(opts: { minRatio: number; maxRatio: number }): DatasetComparator {
  return {
    kind: 'row-count',
    compare(batch, ref): Anomaly[] {
      if (ref.rows === 0) return [];
      const r = batch.rows / ref.rows;
      if (r < opts.minRatio) {
        return [
          {
            feature: '*',
            type: 'COMPARATOR_LOW_NUM_EXAMPLES',
            severity: 'warning',
            value: Number(r.toFixed(4)),
            threshold: opts.minRatio,
            description: `the batch has ${batch.rows} rows, ${fmt(r)}x the reference's ${ref.rows}`,
          },
        ];
      }
      if (r > opts.maxRatio) {
        return [
          {
            feature: '*',
            type: 'COMPARATOR_HIGH_NUM_EXAMPLES',
            severity: 'warning',
            value: Number(r.toFixed(4)),
            threshold: opts.maxRatio,
            description: `the batch has ${batch.rows} rows, ${fmt(r)}x the reference's ${ref.rows}`,
          },
        ];
      }
      return [];
    },
  };
}
