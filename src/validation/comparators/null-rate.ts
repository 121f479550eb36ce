import { fmt, type Anomaly } from '../anomaly.js';
import { binomialUpper, wilsonUpper } from '../sketches/math.js';
import { modeWord, type FeatureComparator } from './comparator.js';

/**
 * Null-rate jump: the batch's missing count is compared with a binomial upper bound built from
 * the reference's missing rate (itself taken at its upper 3-sigma Wilson bound, so a small
 * reference is not over-trusted), Bonferroni over features, plus an absolute `floor` on the rate.
 */
export function nullRate(opts: { floor?: number } = {}): FeatureComparator {
  const floor = opts.floor ?? 0.01;
  return {
    kind: 'null-rate',
    compare(batch, ref, ctx): Anomaly[] {
      const m = batch.present + batch.missing;
      const n = ref.present + ref.missing;
      if (m === 0 || n === 0) return [];
      const pRef = ref.missing / n;
      const pUp = wilsonUpper(ref.missing, n, 3);
      const bound = binomialUpper(m, pUp, ctx.alpha / Math.max(1, ctx.tests));
      const rate = batch.missing / m;
      if (batch.missing <= bound || rate - pRef <= floor) return [];
      return [
        {
          feature: batch.name,
          type: 'COMPARATOR_NULL_RATE_HIGH',
          severity: 'warning',
          value: Number(rate.toFixed(4)),
          threshold: Number(Math.max(bound / m, pRef + floor).toFixed(4)),
          description: `null-rate ${modeWord(ctx)}: ${fmt(100 * rate)}% missing vs ${fmt(100 * pRef)}% (${batch.missing} of ${m} rows; at most ${Math.floor(bound)} expected)`,
        },
      ];
    },
  };
}
