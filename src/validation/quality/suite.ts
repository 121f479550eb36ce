import type { RecordBatch } from '../../core/data/index.js';
import { Rng } from '../../core/rng.js';
import type { Anomaly } from '../anomaly.js';
import { profileBatch } from '../profile/profile.js';
import { inferSchema } from '../schema/infer.js';
import { validate } from '../validate.js';
import { CORRUPTIONS, type Corruption } from './corruptions.js';

/** A real dataset for the quality suite. */
export interface QualityDataset {
  readonly name: string;
  readonly table: RecordBatch;
  /** A categorical label (for the label-shift corruption and the SERVING environment). */
  readonly label?: string;
}

/** Options of {@link runQualitySuite}. */
export interface QualityOptions {
  readonly seed: number;
  /** Rows of each dataset used as the reference (at most half of it). */
  readonly referenceRows: number;
  /** Clean batch sizes (each capped by the rows left after the reference). */
  readonly cleanSizes: readonly number[];
  /** Batch sizes that get each corruption. */
  readonly corruptSizes: readonly number[];
  /** Clean batches per size, and corrupted batches per (corruption, size). */
  readonly repeats: number;
  readonly corruptions?: readonly Corruption[];
}

/** One validated batch of the suite. */
export interface QualityCase {
  readonly dataset: string;
  readonly kind: string;
  readonly size: number;
  readonly expected: readonly string[];
  readonly anomalies: readonly Anomaly[];
  /** Corrupted: an anomaly names an expected feature. Clean: no anomaly at all. */
  readonly ok: boolean;
  readonly note: string;
}

/** What {@link runQualitySuite} measured. */
export interface QualityResult {
  readonly clean: readonly QualityCase[];
  readonly corrupted: readonly QualityCase[];
  /** Corrupted batches caught with the right feature / corrupted batches. */
  readonly recall: number;
  /** Clean batches with any anomaly / clean batches. */
  readonly falseAlarmRate: number;
}

function sampleRows(pool: readonly number[], size: number, rng: Rng): number[] {
  const a = [...pool];
  const k = Math.min(size, a.length);
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, a.length - 1);
    [a[i], a[j]] = [a[j] as number, a[i] as number];
  }
  return a.slice(0, k);
}

/**
 * The corruption suite: for each dataset, a seeded random reference (profile + inferred schema),
 * clean random batches of several sizes from the remaining rows (any anomaly is a false alarm),
 * and batches with one injected problem each (caught when an anomaly names the right feature).
 */
export function runQualitySuite(
  datasets: readonly QualityDataset[],
  opts: QualityOptions,
): QualityResult {
  const clean: QualityCase[] = [];
  const corrupted: QualityCase[] = [];
  const rng = new Rng(opts.seed);
  for (const ds of datasets) {
    const n = ds.table.numRows;
    const order = sampleRows(
      Array.from({ length: n }, (_, i) => i),
      n,
      rng,
    );
    const refRows = Math.min(opts.referenceRows, Math.floor(n / 2));
    const reference = profileBatch(ds.table.take(order.slice(0, refRows)));
    const schema = inferSchema(reference, ds.label === undefined ? {} : { label: ds.label });
    const pool = order.slice(refRows);
    const check = (b: RecordBatch) => validate(profileBatch(b), { schema, reference });
    for (const size of opts.cleanSizes) {
      const s = Math.min(size, pool.length);
      for (let r = 0; r < opts.repeats; r++) {
        const anomalies = check(ds.table.take(sampleRows(pool, s, rng)));
        clean.push({
          dataset: ds.name,
          kind: 'clean',
          size: s,
          expected: [],
          anomalies,
          ok: anomalies.length === 0,
          note: '',
        });
      }
    }
    for (const c of opts.corruptions ?? CORRUPTIONS) {
      for (const size of opts.corruptSizes) {
        const s = Math.min(size, pool.length);
        for (let r = 0; r < opts.repeats; r++) {
          const base = ds.table.take(sampleRows(pool, s, rng));
          const bad = c.apply(base, { reference, schema, label: ds.label, rng });
          if (!bad) continue;
          const anomalies = check(bad.batch);
          const ok = anomalies.some((a) => bad.features.includes(a.feature));
          corrupted.push({
            dataset: ds.name,
            kind: c.kind,
            size: s,
            expected: bad.features,
            anomalies,
            ok,
            note: bad.note,
          });
        }
      }
    }
  }
  const recall = corrupted.length ? corrupted.filter((c) => c.ok).length / corrupted.length : NaN;
  const falseAlarmRate = clean.length ? clean.filter((c) => !c.ok).length / clean.length : NaN;
  return { clean, corrupted, recall, falseAlarmRate };
}
