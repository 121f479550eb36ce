import type { JsonObject } from '../core/json.js';
import type { Store } from '../core/store/index.js';
import { fmt, type Anomaly } from './anomaly.js';
import type { Profile } from './profile/profile.js';

/** Metrics kept per feature per validated batch (numbers or null when not applicable). */
export interface FeatureMetrics {
  readonly rows: number;
  readonly missingRate: number;
  readonly mean: number | null;
  readonly std: number | null;
  readonly p50: number | null;
  readonly distinct: number | null;
  readonly anomalies: number;
}

/** One point of a feature's history. */
export interface HistoryPoint {
  readonly ts: number;
  readonly batch: string;
  readonly metrics: FeatureMetrics;
}

const STREAM = (feature: string) => `validation/features/${feature}`;
const num = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(10)) : null);

/** The per-feature metrics of a profile. */
export function featureMetrics(
  profile: Profile,
  anomalies: readonly Anomaly[] = [],
): Map<string, FeatureMetrics> {
  const out = new Map<string, FeatureMetrics>();
  for (const f of profile.features.values()) {
    const rows = f.present + f.missing;
    out.set(f.name, {
      rows,
      missingRate: rows ? f.missing / rows : 0,
      mean: f.numeric ? num(f.numeric.moments.mean) : null,
      std: f.numeric ? num(f.numeric.moments.std) : null,
      p50: f.numeric ? num(f.numeric.kll.quantile(0.5)) : null,
      distinct: f.string ? Math.round(f.string.hll.estimate()) : null,
      anomalies: anomalies.filter((a) => a.feature === f.name).length,
    });
  }
  return out;
}

/** Appends each feature's metrics of a validated batch to the store (one stream per feature). */
export async function recordHistory(
  store: Store,
  opts: { batch: string; profile: Profile; anomalies?: readonly Anomaly[]; ts: number },
): Promise<void> {
  for (const [feature, metrics] of featureMetrics(opts.profile, opts.anomalies)) {
    await store.append(STREAM(feature), [
      { ts: opts.ts, batch: opts.batch, metrics: { ...metrics } as JsonObject },
    ]);
  }
}

/** The recorded history of `feature`, oldest first. */
export async function readHistory(store: Store, feature: string): Promise<HistoryPoint[]> {
  const recs = await store.read(STREAM(feature));
  return recs.map((r) => r.data as unknown as HistoryPoint);
}

/** Features that have a history. */
export async function historyFeatures(store: Store): Promise<string[]> {
  return (await store.listStreams('validation/features/')).map((s) =>
    s.slice('validation/features/'.length),
  );
}

/**
 * Anomaly detection on a metric series, without raw data: the latest value against the mean ±
 * `k`·σ of the earlier points (at least `minPoints` of them), and its rate of change against the
 * earlier changes the same way. Returns anomalies (severity `warning`) naming the metric.
 */
export function detectSeriesAnomalies(
  feature: string,
  points: readonly HistoryPoint[],
  opts: { k?: number; minPoints?: number } = {},
): Anomaly[] {
  const k = opts.k ?? 3;
  const minPoints = opts.minPoints ?? 5;
  if (points.length < minPoints + 1) return [];
  const out: Anomaly[] = [];
  const metrics = ['rows', 'missingRate', 'mean', 'std', 'p50', 'distinct'] as const;
  for (const m of metrics) {
    const series = points
      .map((p) => p.metrics[m])
      .filter((v): v is number => typeof v === 'number');
    if (series.length < minPoints + 1) continue;
    const last = series[series.length - 1] as number;
    const prev = series.slice(0, -1);
    const test = (xs: number[], x: number, what: string) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(
        xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1),
      );
      const band = k * sd + 1e-9 * Math.max(1, Math.abs(mean));
      if (Math.abs(x - mean) > band) {
        out.push({
          feature,
          type: what === 'value' ? 'HISTORY_METRIC_OUT_OF_BAND' : 'HISTORY_METRIC_RATE_OF_CHANGE',
          severity: 'warning',
          value: num(x),
          threshold: `${fmt(mean)} ± ${fmt(band)}`,
          description: `${m} ${what === 'value' ? '' : 'change '}${fmt(x)} is outside the mean ± ${k}σ of the previous ${xs.length} batches (${fmt(mean - band)}..${fmt(mean + band)})`,
        });
      }
    };
    test(prev, last, 'value');
    const diffs = series.slice(1).map((v, i) => v - (series[i] as number));
    if (diffs.length >= minPoints + 1)
      test(diffs.slice(0, -1), diffs[diffs.length - 1] as number, 'change');
  }
  return out;
}
