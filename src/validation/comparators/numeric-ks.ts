import type { Anomaly } from '../anomaly.js';
import { fmt } from '../anomaly.js';
import type { FeatureStats } from '../profile/feature.js';
import { ksCritical } from '../sketches/math.js';
import { modeWord, type CompareContext, type FeatureComparator } from './comparator.js';

/** The largest gap between two empirical CDFs (given as KLL views). */
export function ksDistance(
  a: { values: Float64Array; cum: Float64Array },
  b: { values: Float64Array; cum: Float64Array },
): { d: number; at: number } {
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let d = 0;
  let at = NaN;
  while (i < a.values.length || j < b.values.length) {
    const va = i < a.values.length ? (a.values[i] as number) : Infinity;
    const vb = j < b.values.length ? (b.values[j] as number) : Infinity;
    const x = Math.min(va, vb);
    while (i < a.values.length && a.values[i] === x) fa = a.cum[i++] as number;
    while (j < b.values.length && b.values[j] === x) fb = b.cum[j++] as number;
    const g = Math.abs(fa - fb);
    if (g > d) {
      d = g;
      at = x;
    }
  }
  return { d, at };
}

/**
 * Two-sample Kolmogorov-Smirnov on the KLL sketches of a numeric feature, Bonferroni-corrected
 * across features; the threshold is the KS critical value for the two sample sizes plus both
 * sketches' rank errors, and at least `floor` (a practical-significance floor for huge batches).
 */
export function numericKs(opts: { floor?: number } = {}): FeatureComparator {
  const floor = opts.floor ?? 0.02;
  return {
    kind: 'numeric-ks',
    compare(batch: FeatureStats, ref: FeatureStats, ctx: CompareContext): Anomaly[] {
      const a = batch.numeric?.kll;
      const b = ref.numeric?.kll;
      if (!a || !b || a.n === 0 || b.n === 0) return [];
      const { d, at } = ksDistance(a.cdf(), b.cdf());
      const crit = ksCritical(a.n, b.n, ctx.alpha / Math.max(1, ctx.tests));
      const threshold = Math.max(floor, crit) + a.rankError() + b.rankError();
      if (d <= threshold) return [];
      const ma = batch.numeric?.moments.mean ?? NaN;
      const mb = ref.numeric?.moments.mean ?? NaN;
      return [
        {
          feature: batch.name,
          type: 'COMPARATOR_KOLMOGOROV_SMIRNOV_HIGH',
          severity: 'warning',
          value: Number(d.toFixed(4)),
          threshold: Number(threshold.toFixed(4)),
          description: `distribution ${modeWord(ctx)}: KS distance ${fmt(d)} > ${fmt(threshold)} (largest at ${fmt(at)}; mean ${fmt(ma)} vs ${fmt(mb)}, n = ${a.n} vs ${b.n})`,
        },
      ];
    },
  };
}
