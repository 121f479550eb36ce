import { fmt, type Anomaly } from '../anomaly.js';
import { normalQuantile } from '../sketches/math.js';
import type { DatasetComparator } from './comparator.js';

/**
 * Multivariate check: pairwise Pearson correlations of numeric features, compared with Fisher's
 * z test (variance inflated 2.5x for non-normal data, Bonferroni over pairs) and a practical floor
 * (|Δr| >= `minChange`, default 0.3, one side |r| >= 0.3),
 * which catches a relationship broken while every marginal distribution stays the same. The
 * anomaly names the feature involved in the most changed pairs (each of them on a tie).
 */
export function correlationChange(
  opts: { minChange?: number; varianceInflation?: number } = {},
): DatasetComparator {
  const minChange = opts.minChange ?? 0.3;
  // Fisher's variance assumes normal data; real data have heavier tails.
  const inflation = opts.varianceInflation ?? 2.5;
  return {
    kind: 'correlation',
    compare(batch, ref, ctx): Anomaly[] {
      const names = batch.correlationFeatures ?? [];
      const pairs: { a: string; b: string; ra: number; rb: number }[] = [];
      const total = Math.max(1, (names.length * (names.length - 1)) / 2);
      const z = normalQuantile(1 - ctx.alpha / (2 * total));
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          const a = names[i] as string;
          const b = names[j] as string;
          const ca = batch.correlation(a, b);
          const cb = ref.correlation(a, b);
          if (!ca || !cb || ca.n < 20 || cb.n < 20) continue;
          const ra = ca.correlation;
          const rb = cb.correlation;
          if (!Number.isFinite(ra) || !Number.isFinite(rb)) continue;
          const clip = (r: number) => Math.max(-0.999, Math.min(0.999, r));
          const stat =
            Math.abs(Math.atanh(clip(ra)) - Math.atanh(clip(rb))) /
            Math.sqrt(inflation * (1 / (ca.n - 3) + 1 / (cb.n - 3)));
          if (
            stat > z &&
            Math.abs(ra - rb) >= minChange &&
            Math.max(Math.abs(ra), Math.abs(rb)) >= 0.3
          ) {
            pairs.push({ a, b, ra, rb });
          }
        }
      }
      if (!pairs.length) return [];
      const hits = new Map<string, number>();
      for (const p of pairs) for (const f of [p.a, p.b]) hits.set(f, (hits.get(f) ?? 0) + 1);
      const most = Math.max(...hits.values());
      return [...hits]
        .filter(([, h]) => h === most)
        .map(([f]) => {
          const mine = pairs.filter((p) => p.a === f || p.b === f);
          const top = mine.reduce((x, y) =>
            Math.abs(y.ra - y.rb) > Math.abs(x.ra - x.rb) ? y : x,
          );
          return {
            feature: f,
            type: 'COMPARATOR_CORRELATION_CHANGE',
            severity: 'warning' as const,
            value: Number(top.ra.toFixed(4)),
            threshold: `${fmt(top.rb)} ± ${fmt(minChange)}`,
            description: `correlation of ${top.a} and ${top.b} is ${fmt(top.ra)} vs ${fmt(top.rb)} in the reference (${mine.length} changed pair${mine.length > 1 ? 's' : ''} involve ${f})`,
          };
        });
    },
  };
}
