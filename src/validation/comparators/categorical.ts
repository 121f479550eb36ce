import { fmt } from '../anomaly.js';
import type { FeatureStats } from '../profile/feature.js';
import { binomialUpper, chiSquareQuantile, normalQuantile, wilsonUpper } from '../sketches/math.js';
import { modeWord, type FeatureComparator } from './comparator.js';

interface Freqs {
  readonly n: number;
  readonly counts: Map<string, number>;
}

function freqs(f: FeatureStats): Freqs | undefined {
  const s = f.string;
  if (!s || s.top.total === 0) return undefined;
  return { n: s.top.total, counts: s.top.counts };
}

/**
 * L-infinity distance between the category frequencies (TFDV's `COMPARATOR_L_INFTY_HIGH`),
 * made sample-size aware: a category is flagged only when its frequency change exceeds both a
 * two-proportion z bound (Bonferroni over features and categories) and `floor`.
 */
export function lInfinity(opts: { floor?: number } = {}): FeatureComparator {
  const floor = opts.floor ?? 0.01;
  return {
    kind: 'l-infinity',
    compare(batch, ref, ctx) {
      const a = freqs(batch);
      const b = freqs(ref);
      if (!a || !b) return [];
      const keys = new Set([...a.counts.keys(), ...b.counts.keys()]);
      const z = normalQuantile(
        1 - ctx.alpha / (2 * Math.max(1, ctx.tests) * Math.max(1, keys.size)),
      );
      let linf = 0;
      let worst: { key: string; pa: number; pb: number; bound: number; excess: number } | undefined;
      for (const k of keys) {
        const pa = (a.counts.get(k) ?? 0) / a.n;
        const pb = (b.counts.get(k) ?? 0) / b.n;
        const diff = Math.abs(pa - pb);
        linf = Math.max(linf, diff);
        const pool = ((a.counts.get(k) ?? 0) + (b.counts.get(k) ?? 0)) / (a.n + b.n);
        const sd = Math.sqrt(Math.max(pool * (1 - pool), 1 / (a.n + b.n)) * (1 / a.n + 1 / b.n));
        let bound = Math.max(floor, z * sd + 0.5 * (1 / a.n + 1 / b.n));
        if (pa > pb) {
          // Rare categories: the normal bound is too tight; use a binomial (Poisson) tail on the
          // batch count at the reference share's upper 3-sigma bound.
          const alphaK = ctx.alpha / (Math.max(1, ctx.tests) * Math.max(1, keys.size));
          const upper = binomialUpper(a.n, wilsonUpper(b.counts.get(k) ?? 0, b.n, 3), alphaK) / a.n;
          bound = Math.max(bound, upper - pb);
        }
        if (diff > bound && (!worst || diff - bound > worst.excess))
          worst = { key: k, pa, pb, bound, excess: diff - bound };
      }
      if (!worst) return [];
      return [
        {
          feature: batch.name,
          type: 'COMPARATOR_L_INFTY_HIGH',
          severity: 'warning',
          value: Number(Math.abs(worst.pa - worst.pb).toFixed(4)),
          threshold: Number(worst.bound.toFixed(4)),
          description: `category ${modeWord(ctx)}: "${worst.key}" is ${fmt(100 * worst.pa)}% of the batch vs ${fmt(100 * worst.pb)}% (L-inf ${fmt(linf)}, bound ${fmt(worst.bound)})`,
        },
      ];
    },
  };
}

/**
 * Jensen-Shannon divergence (base 2) between the category distributions (TFDV's
 * `COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH`). Categories seen fewer than 5 times on both sides
 * are pooled. The threshold is the chi-square homogeneity bound translated to JS
 * (JS ≈ X² / (8 ln2 n_eff), n_eff = n m / (n + m)), Bonferroni over features, and at least `floor`.
 */
export function jensenShannon(opts: { floor?: number } = {}): FeatureComparator {
  const floor = opts.floor ?? 0.005;
  return {
    kind: 'jensen-shannon',
    compare(batch, ref, ctx) {
      const a = freqs(batch);
      const b = freqs(ref);
      if (!a || !b) return [];
      const pooled = new Map<string, [number, number]>();
      for (const k of new Set([...a.counts.keys(), ...b.counts.keys()])) {
        const ca = a.counts.get(k) ?? 0;
        const cb = b.counts.get(k) ?? 0;
        const key = ca < 5 && cb < 5 ? '\0other' : k;
        const cur = pooled.get(key) ?? [0, 0];
        pooled.set(key, [cur[0] + ca, cur[1] + cb]);
      }
      // Mass not tracked by the summaries (long tails beyond capacity) goes to "other" too.
      const ta = [...pooled.values()].reduce((s, v) => s + v[0], 0);
      const tb = [...pooled.values()].reduce((s, v) => s + v[1], 0);
      const other = pooled.get('\0other') ?? [0, 0];
      pooled.set('\0other', [other[0] + Math.max(0, a.n - ta), other[1] + Math.max(0, b.n - tb)]);
      let js = 0;
      for (const [ca, cb] of pooled.values()) {
        const p = ca / a.n;
        const q = cb / b.n;
        const m = (p + q) / 2;
        if (p > 0) js += 0.5 * p * Math.log2(p / m);
        if (q > 0) js += 0.5 * q * Math.log2(q / m);
      }
      const df = Math.max(1, [...pooled.values()].filter(([x, y]) => x + y > 0).length - 1);
      const nEff = (a.n * b.n) / (a.n + b.n);
      const chi = chiSquareQuantile(1 - ctx.alpha / Math.max(1, ctx.tests), df);
      const threshold = Math.max(floor, (1.5 * chi) / (8 * Math.LN2 * nEff));
      if (js <= threshold) return [];
      return [
        {
          feature: batch.name,
          type: 'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH',
          severity: 'warning',
          value: Number(js.toFixed(5)),
          threshold: Number(threshold.toFixed(5)),
          description: `category ${modeWord(ctx)}: Jensen-Shannon divergence ${fmt(js)} > ${fmt(threshold)} over ${df + 1} categories (n = ${a.n} vs ${b.n})`,
        },
      ];
    },
  };
}
