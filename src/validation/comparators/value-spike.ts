import { fmt, type Anomaly } from '../anomaly.js';
import { binomialUpper, wilsonUpper } from '../sketches/math.js';
import { modeWord, type FeatureComparator } from './comparator.js';

/**
 * Value spikes in numeric features (sentinels such as -1 or 999 filling gaps): a value far more
 * frequent in the batch than the reference allows. The reference frequency of a value is taken
 * at its upper 3-sigma bound (for an untracked value, the frequent-items error bound), and the
 * batch count must exceed a binomial upper bound (Bonferroni over features and tracked values)
 * and the reference share by `floor`.
 */
export function valueSpike(opts: { floor?: number; minCount?: number } = {}): FeatureComparator {
  const floor = opts.floor ?? 0.02;
  const minCount = opts.minCount ?? 5;
  return {
    kind: 'value-spike',
    compare(batch, ref, ctx): Anomaly[] {
      const a = batch.numeric?.top;
      const b = ref.numeric?.top;
      if (!a || !b || a.total === 0 || b.total === 0) return [];
      const alpha = ctx.alpha / (Math.max(1, ctx.tests) * Math.max(1, a.counts.size));
      let worst: { v: number; c: number; p: number; bound: number } | undefined;
      for (const [v, c] of a.counts) {
        if (c < minCount) continue;
        const refCount = b.counts.get(v) ?? b.offset;
        const p = (b.counts.get(v) ?? 0) / b.total;
        const pUp = wilsonUpper(Math.min(refCount, b.total), b.total, 3);
        const bound = binomialUpper(a.total, pUp, alpha);
        if (
          c > bound &&
          c / a.total - p > floor &&
          (!worst || c / a.total - p > worst.c / a.total - worst.p)
        ) {
          worst = { v, c, p, bound };
        }
      }
      if (!worst) return [];
      const share = worst.c / a.total;
      return [
        {
          feature: batch.name,
          type: 'COMPARATOR_VALUE_SPIKE',
          severity: 'warning',
          value: Number(share.toFixed(4)),
          threshold: Number(Math.max(worst.bound / a.total, worst.p + floor).toFixed(4)),
          description: `value ${modeWord(ctx)}: ${fmt(worst.v)} is ${fmt(100 * share)}% of the batch vs ${fmt(100 * worst.p)}% of the reference (a sentinel or default value?)`,
        },
      ];
    },
  };
}
