import { report, type ReportBuilder } from '../core/report/index.js';
import type { Anomaly } from './anomaly.js';
import type { FeatureStats } from './profile/feature.js';
import type { Profile } from './profile/profile.js';

const BINS = 20;

function numericHistogram(b: FeatureStats, r: FeatureStats | undefined) {
  const kb = b.numeric?.kll;
  const kr = r?.numeric?.kll;
  if (!kb || kb.n === 0) return undefined;
  const lo = Math.min(kb.min, kr && kr.n ? kr.quantile(0.005) : Infinity);
  const hi = Math.max(kb.max, kr && kr.n ? kr.quantile(0.995) : -Infinity);
  const lo2 = Math.min(kb.quantile(0.005), lo === kb.min ? kb.quantile(0.005) : lo);
  const hi2 = Math.max(kb.quantile(0.995), hi === kb.max ? kb.quantile(0.995) : hi);
  const a = Number.isFinite(lo2) ? lo2 : kb.min;
  const z = Number.isFinite(hi2) && hi2 > a ? hi2 : a + 1;
  const edges = Array.from({ length: BINS + 1 }, (_, i) => a + ((z - a) * i) / BINS);
  // Equal-width bins from the sketches' CDFs (approximate within their rank error).
  const counts = (k: NonNullable<typeof kb>) =>
    edges.slice(1).map((e, i) => {
      const left = i === 0 ? 0 : k.rank(edges[i] as number);
      const right = i === BINS - 1 ? 1 : k.rank(e);
      return Math.max(0, (right - left) * k.n);
    });
  return {
    edges,
    series: [
      { name: 'batch', counts: counts(kb) },
      ...(kr && kr.n ? [{ name: 'reference', counts: counts(kr) }] : []),
    ],
  };
}

function categoricalBars(b: FeatureStats, r: FeatureStats | undefined) {
  const tb = b.string?.top;
  if (!tb || tb.total === 0) return undefined;
  const tr = r?.string?.top;
  const cats = [
    ...new Set([...tb.top(10).map(([k]) => k), ...(tr ? tr.top(10).map(([k]) => k) : [])]),
  ].slice(0, 15);
  return {
    categories: cats,
    series: [
      { name: 'batch', values: cats.map((c) => tb.count(c) / tb.total) },
      ...(tr && tr.total
        ? [{ name: 'reference', values: cats.map((c) => tr.count(c) / tr.total) }]
        : []),
    ],
  };
}

/**
 * Builds the HTML validation report: a summary, the anomalies table (errors and warnings
 * highlighted), and per feature the batch's histogram (numeric) or category shares next to the
 * reference's, features with anomalies first.
 */
export function validationReport(opts: {
  title: string;
  batch: Profile;
  reference?: Profile;
  anomalies: readonly Anomaly[];
  subtitle?: string;
}): ReportBuilder {
  const { batch, reference, anomalies } = opts;
  const errors = anomalies.filter((a) => a.severity === 'error').length;
  const flagged = new Set(anomalies.map((a) => a.feature));
  const features = [...batch.features.values()].sort(
    (x, y) => Number(flagged.has(y.name)) - Number(flagged.has(x.name)),
  );
  return report(opts.title, {
    ...(opts.subtitle ? { subtitle: opts.subtitle } : {}),
    generatedAt: new Date().toISOString(),
  })
    .section('Summary', (s) =>
      s.kv([
        { label: 'Rows', value: batch.rows },
        { label: 'Features', value: batch.features.size },
        ...(reference ? [{ label: 'Reference rows', value: reference.rows }] : []),
        {
          label: 'Anomalies',
          value: anomalies.length,
          ...(anomalies.length
            ? { severity: errors ? ('error' as const) : ('warning' as const) }
            : {}),
          hint: `${errors} errors, ${anomalies.length - errors} warnings`,
        },
      ]),
    )
    .section('Anomalies', (s) =>
      anomalies.length
        ? s.table({
            columns: [
              { key: 'feature', label: 'Feature' },
              { key: 'type', label: 'Type' },
              { key: 'severity', label: 'Severity' },
              { key: 'value', label: 'Value' },
              { key: 'threshold', label: 'Threshold' },
              { key: 'description', label: 'Description' },
            ],
            rows: anomalies.map((a) => ({ ...a })),
            severity: anomalies.map((a) => a.severity),
          })
        : s.text('No anomalies: the batch matches the schema and the reference.', 'info'),
    )
    .section('Features', (s) =>
      s.grid(2, (g) => {
        for (const f of features) {
          const r = reference?.feature(f.name);
          const title = `${f.name} (${f.type})${flagged.has(f.name) ? ' — anomaly' : ''}`;
          const h = f.numeric ? numericHistogram(f, r) : undefined;
          if (h) {
            g.histogram({ title, edges: h.edges, series: h.series, normalize: 'probability' });
            continue;
          }
          const bars = categoricalBars(f, r);
          if (bars)
            g.bar({ title, categories: bars.categories, series: bars.series, valueLabel: 'share' });
        }
      }),
    );
}
