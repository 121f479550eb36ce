import { report, type ReportBuilder } from '../core/report/index.js';
import { checkGold } from './matrix-csv.js';
import type { LabelMatrix } from './matrix.js';

/** One row of {@link lfSummary} (Snorkel's `lf_summary`). */
export interface LfSummaryRow {
  readonly lf: string;
  readonly j: number;
  /** The distinct labels this LF emitted, ascending. */
  readonly polarity: readonly number[];
  /** Fraction of rows it labels. */
  readonly coverage: number;
  /** Fraction of rows it labels together with at least one other LF. */
  readonly overlaps: number;
  /** Fraction of rows it labels and another LF labels differently. */
  readonly conflicts: number;
  /** With gold: votes equal to gold (rows whose gold is -1 are skipped). */
  readonly correct?: number;
  readonly incorrect?: number;
  /** With gold: correct / (correct + incorrect); null when it never voted on a gold row. */
  readonly empiricalAccuracy?: number | null;
}

/** {@link lfSummary}'s result: per-LF rows and totals over the set. */
export interface LfSummary {
  readonly n: number;
  readonly m: number;
  readonly rows: readonly LfSummaryRow[];
  /** Fraction of rows with at least one vote / two votes / a disagreement. */
  readonly coverage: number;
  readonly overlap: number;
  readonly conflict: number;
}

/**
 * Polarity, coverage, overlaps, conflicts and (with gold labels) empirical accuracy of every LF.
 * @throws DATA_INVALID when `gold` does not have one label per row.
 */
export function lfSummary(L: LabelMatrix, gold?: ArrayLike<number>, goldName?: string): LfSummary {
  if (gold) checkGold(gold, L.n, goldName);
  const m = L.m;
  const cover = new Float64Array(m);
  const over = new Float64Array(m);
  const conf = new Float64Array(m);
  const correct = new Float64Array(m);
  const incorrect = new Float64Array(m);
  const pol: Set<number>[] = Array.from({ length: m }, () => new Set());
  let anyCover = 0;
  let anyOverlap = 0;
  let anyConflict = 0;
  for (let i = 0; i < L.n; i++) {
    const s = L.rowPtr[i]!;
    const e = L.rowPtr[i + 1]!;
    const cnt = e - s;
    if (cnt === 0) continue;
    anyCover++;
    let lo = Infinity;
    let hi = -Infinity;
    for (let p = s; p < e; p++) {
      const v = L.labels[p]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const disagree = lo !== hi;
    if (cnt > 1) anyOverlap++;
    if (disagree) anyConflict++;
    const g = gold ? gold[i]! : -1;
    for (let p = s; p < e; p++) {
      const j = L.cols[p]!;
      const v = L.labels[p]!;
      cover[j]!++;
      pol[j]!.add(v);
      if (cnt > 1) over[j]!++;
      if (disagree) {
        // Conflict for this LF: some other vote differs from its own.
        for (let q = s; q < e; q++) {
          if (L.labels[q] !== v) {
            conf[j]!++;
            break;
          }
        }
      }
      if (g >= 0) {
        if (v === g) correct[j]!++;
        else incorrect[j]!++;
      }
    }
  }
  const n = Math.max(1, L.n);
  const rows = L.lfNames.map((lf, j): LfSummaryRow => {
    const r: LfSummaryRow = {
      lf,
      j,
      polarity: [...pol[j]!].sort((a, b) => a - b),
      coverage: cover[j]! / n,
      overlaps: over[j]! / n,
      conflicts: conf[j]! / n,
    };
    if (!gold) return r;
    const t = correct[j]! + incorrect[j]!;
    return {
      ...r,
      correct: correct[j]!,
      incorrect: incorrect[j]!,
      empiricalAccuracy: t ? correct[j]! / t : null,
    };
  });
  return {
    n: L.n,
    m,
    rows,
    coverage: anyCover / n,
    overlap: anyOverlap / n,
    conflict: anyConflict / n,
  };
}

/** The summary as an HTML report (tables and a coverage/accuracy chart) via `core/report`. */
export function lfSummaryReport(s: LfSummary, title = 'Labeling function analysis'): ReportBuilder {
  const hasGold = s.rows.some((r) => r.empiricalAccuracy !== undefined);
  return report(title, { subtitle: `${s.n} data points x ${s.m} labeling functions` }).section(
    'Summary',
    (b) => {
      b.kv([
        { label: 'data points', value: s.n },
        { label: 'labeling functions', value: s.m },
        {
          label: 'coverage',
          value: s.coverage,
          format: 'percent',
          hint: 'rows with at least one vote',
        },
        {
          label: 'overlap',
          value: s.overlap,
          format: 'percent',
          hint: 'rows with two or more votes',
        },
        {
          label: 'conflict',
          value: s.conflict,
          format: 'percent',
          hint: 'rows with disagreeing votes',
        },
      ])
        .table({
          title: 'Per labeling function',
          columns: [
            { key: 'lf', label: 'LF' },
            { key: 'polarity' },
            { key: 'coverage', format: 'percent' },
            { key: 'overlaps', format: 'percent' },
            { key: 'conflicts', format: 'percent' },
            ...(hasGold
              ? [
                  { key: 'correct' },
                  { key: 'incorrect' },
                  { key: 'empiricalAccuracy', label: 'emp. accuracy', format: 'percent' as const },
                ]
              : []),
          ],
          rows: s.rows.map((r) => ({ ...r, polarity: r.polarity.join(' ') })) as never,
        })
        .bar({
          title: hasGold ? 'Coverage and empirical accuracy' : 'Coverage',
          categories: s.rows.map((r) => r.lf),
          series: [
            { name: 'coverage', values: s.rows.map((r) => r.coverage) },
            ...(hasGold
              ? [{ name: 'emp. accuracy', values: s.rows.map((r) => r.empiricalAccuracy ?? 0) }]
              : []),
          ],
        });
    },
  );
}
