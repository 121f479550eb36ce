import { MortarError } from '../core/errors.js';

/** One source of labels for a training set. */
export interface LabelSource {
  /** Provenance kept per row, e.g. `gold`, `label-model:matrix-completion`, `crowd`. */
  readonly name: string;
  /** Confidence weight of the source in [0, 1] (gold 1, label model e.g. 0.8). Higher wins. */
  readonly weight: number;
  /** Either hard labels (n, -1 = none) ... */
  readonly labels?: ArrayLike<number>;
  /** ... or probabilities (n x k, a row of NaN or all zeros = none). */
  readonly probs?: Float64Array;
}

/** Options of {@link mergeLabels}. */
export interface MergeOptions {
  readonly cardinality: number;
  /**
   * Per-row confidence: `entropy` multiplies the source weight by 1 - H(p)/log k; a number
   * drops rows (weight 0) whose max probability is below it. Default `entropy`.
   */
  readonly confidence?: 'entropy' | number;
}

/** (soft label, weight, provenance) per row. */
export interface MergedLabels {
  readonly n: number;
  readonly k: number;
  /** n x k soft labels (uniform for rows no source covers; their weight is 0). */
  readonly soft: Float64Array;
  readonly weight: Float64Array;
  /** Index into `sources` per row, -1 = none. */
  readonly source: Int16Array;
  readonly sources: readonly string[];
}

/**
 * Merges labels of different quality: each row takes its label from the highest-weight source
 * that has one (gold over label model over weaker sources), as a soft label; its training weight
 * is that source's weight times the row's confidence. Provenance stays per row so metrics can be
 * sliced by label source later.
 * @example
 * mergeLabels([{ name: 'gold', weight: 1, labels: gold }, { name: 'label-model', weight: 0.8, probs }], { cardinality: 2 });
 */
export function mergeLabels(sources: readonly LabelSource[], opts: MergeOptions): MergedLabels {
  const k = opts.cardinality;
  const n = sources[0] ? (sources[0].labels?.length ?? (sources[0].probs?.length ?? 0) / k) : 0;
  for (const s of sources) {
    const len = s.labels ? s.labels.length : (s.probs?.length ?? 0) / k;
    if (len !== n) {
      throw new MortarError(
        'DATA_INVALID',
        `label source "${s.name}" has ${len} rows, expected ${n} (one per data point)`,
        { details: { source: s.name } },
      );
    }
    if (!(s.weight >= 0 && s.weight <= 1))
      throw new MortarError(
        'INVALID_ARGUMENT',
        `label source "${s.name}": weight must be in [0, 1], got ${s.weight}`,
      );
  }
  const order = sources.map((_, t) => t).sort((a, b) => sources[b]!.weight - sources[a]!.weight);
  const soft = new Float64Array(n * k).fill(1 / k);
  const weight = new Float64Array(n);
  const source = new Int16Array(n).fill(-1);
  const conf = opts.confidence ?? 'entropy';
  for (let i = 0; i < n; i++) {
    for (const t of order) {
      const s = sources[t]!;
      const o = i * k;
      if (s.labels) {
        const y = s.labels[i]!;
        if (y < 0) continue;
        if (y >= k)
          throw new MortarError(
            'DATA_INVALID',
            `label source "${s.name}", row ${i}: label ${y} outside 0..${k - 1}`,
          );
        for (let c = 0; c < k; c++) soft[o + c] = c === y ? 1 : 0;
      } else if (s.probs) {
        let tot = 0;
        for (let c = 0; c < k; c++) tot += s.probs[o + c]!;
        if (!(tot > 0)) continue;
        for (let c = 0; c < k; c++) soft[o + c] = s.probs[o + c]! / tot;
      } else continue;
      let w = s.weight;
      if (conf === 'entropy') {
        let h = 0;
        for (let c = 0; c < k; c++) {
          const p = soft[o + c]!;
          if (p > 0) h -= p * Math.log(p);
        }
        w *= 1 - h / Math.log(k);
      } else {
        let mx = 0;
        for (let c = 0; c < k; c++) mx = Math.max(mx, soft[o + c]!);
        if (mx < conf) w = 0;
      }
      weight[i] = w;
      source[i] = t;
      break;
    }
  }
  return { n, k, soft, weight, source, sources: sources.map((s) => s.name) };
}
