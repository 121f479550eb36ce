import { fmt, type Anomaly } from '../anomaly.js';
import { normalQuantile } from '../sketches/math.js';
import { modeWord, type FeatureComparator } from './comparator.js';

/**
 * Shift of the mean string length (truncated or padded strings, changed encodings): a Welch z
 * test on the length moments, Bonferroni over features, and a relative change of at least
 * `minRelative` (default 10%).
 */
export function stringLength(opts: { minRelative?: number } = {}): FeatureComparator {
  const minRelative = opts.minRelative ?? 0.1;
  return {
    kind: 'string-length',
    compare(batch, ref, ctx): Anomaly[] {
      if (batch.type !== 'STRING' || ref.type !== 'STRING') return [];
      const a = batch.string?.lengths;
      const b = ref.string?.lengths;
      if (!a || !b || a.n < 2 || b.n < 2) return [];
      const se = Math.sqrt(a.variance / a.n + b.variance / b.n);
      const diff = Math.abs(a.mean - b.mean);
      const z = normalQuantile(1 - ctx.alpha / (2 * Math.max(1, ctx.tests)));
      const rel = diff / Math.max(b.mean, 1);
      if (!(diff > z * se) || rel < minRelative) return [];
      return [
        {
          feature: batch.name,
          type: 'COMPARATOR_STRING_LENGTH_SHIFT',
          severity: 'warning',
          value: Number(a.mean.toFixed(3)),
          threshold: `${fmt(b.mean)} ± ${fmt(Math.max(z * se, minRelative * Math.max(b.mean, 1)))}`,
          description: `string-length ${modeWord(ctx)}: mean length ${fmt(a.mean)} vs ${fmt(b.mean)} (truncated or padded values?)`,
        },
      ];
    },
  };
}
