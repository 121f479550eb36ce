/**
 * Ranking trials: single-objective order, Pareto dominance, non-dominated sorting. Infeasible
 * trials (constraint violations) always rank after feasible ones, by total violation.
 */
import { isFeasible, totalViolation, type Direction, type FrozenTrial } from './trial.js';

/** Values turned into "smaller is better" by negating maximized objectives. */
export function lossOf(values: readonly number[], directions: readonly Direction[]): number[] {
  return values.map((v, i) => (directions[i] === 'maximize' ? -v : v));
}

/** True if loss vector `a` Pareto-dominates `b` (no worse everywhere, better somewhere). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/**
 * Fronts of non-dominated sorting (Deb et al. 2002) of loss vectors: `fronts[0]` holds indices of
 * the Pareto front. O(M N^2).
 */
export function nondominatedSort(losses: readonly (readonly number[])[]): number[][] {
  const n = losses.length;
  const dominatedBy: number[][] = Array.from({ length: n }, () => []);
  const count = new Array<number>(n).fill(0);
  const fronts: number[][] = [[]];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = losses[i] as number[];
      const b = losses[j] as number[];
      if (dominates(a, b)) {
        (dominatedBy[i] as number[]).push(j);
        count[j]!++;
      } else if (dominates(b, a)) {
        (dominatedBy[j] as number[]).push(i);
        count[i]!++;
      }
    }
  }
  for (let i = 0; i < n; i++) if (count[i] === 0) (fronts[0] as number[]).push(i);
  for (let k = 0; (fronts[k] as number[]).length > 0; k++) {
    const next: number[] = [];
    for (const i of fronts[k] as number[]) {
      for (const j of dominatedBy[i] as number[]) {
        count[j]!--;
        if (count[j] === 0) next.push(j);
      }
    }
    fronts.push(next);
  }
  fronts.pop();
  return fronts;
}

/**
 * Compares two complete single-objective trials: feasible before infeasible, then by value in
 * `direction`, then infeasible ones by total violation, then by number (stable).
 */
export function compareTrials(direction: Direction): (a: FrozenTrial, b: FrozenTrial) => number {
  return (a, b) => {
    const fa = isFeasible(a);
    const fb = isFeasible(b);
    if (fa !== fb) return fa ? -1 : 1;
    if (!fa) {
      const d = totalViolation(a) - totalViolation(b);
      if (d !== 0) return d;
    }
    const va = (a.values?.[0] ?? NaN) * (direction === 'maximize' ? -1 : 1);
    const vb = (b.values?.[0] ?? NaN) * (direction === 'maximize' ? -1 : 1);
    if (va !== vb) return va < vb ? -1 : 1;
    return a.number - b.number;
  };
}

/** The Pareto front of complete feasible trials (single objective: every trial tied for best). */
export function paretoFront(
  trials: readonly FrozenTrial[],
  directions: readonly Direction[],
): FrozenTrial[] {
  const ok = trials.filter(
    (t) => t.state === 'complete' && t.values !== undefined && isFeasible(t),
  );
  const losses = ok.map((t) => lossOf(t.values as number[], directions));
  const front = nondominatedSort(losses)[0] ?? [];
  return front.sort((a, b) => a - b).map((i) => ok[i] as FrozenTrial);
}

/**
 * Exact hypervolume (minimization) dominated by `points` and bounded by `ref`, by recursive
 * slicing on the last objective (fine for the small sets TPE and NSGA-II use). Points not strictly
 * better than `ref` in every objective contribute nothing.
 */
export function hypervolume(
  points: readonly (readonly number[])[],
  ref: readonly number[],
): number {
  const m = ref.length;
  const pts = points.filter((p) => p.every((v, i) => v < (ref[i] as number)));
  if (pts.length === 0) return 0;
  if (m === 1) return (ref[0] as number) - Math.min(...pts.map((p) => p[0] as number));
  if (m === 2) {
    const s = [...pts].sort(
      (a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number),
    );
    let hv = 0;
    let bestY = ref[1] as number;
    for (const p of s) {
      if ((p[1] as number) < bestY) {
        hv += ((ref[0] as number) - (p[0] as number)) * (bestY - (p[1] as number));
        bestY = p[1] as number;
      }
    }
    return hv;
  }
  const s = [...pts].sort((a, b) => (a[m - 1] as number) - (b[m - 1] as number));
  const sub = ref.slice(0, m - 1);
  let hv = 0;
  for (let i = 0; i < s.length; i++) {
    const next = i + 1 < s.length ? (s[i + 1]?.[m - 1] as number) : (ref[m - 1] as number);
    const depth = next - (s[i]?.[m - 1] as number);
    if (depth > 0)
      hv +=
        depth *
        hypervolume(
          s.slice(0, i + 1).map((p) => p.slice(0, m - 1)),
          sub,
        );
  }
  return hv;
}

/** Optuna's reference point for a set of losses: 1.1 x the worst (0.9 x when negative), per objective. */
export function referencePoint(losses: readonly (readonly number[])[]): number[] {
  const m = (losses[0] as readonly number[]).length;
  return Array.from({ length: m }, (_, j) => {
    const worst = Math.max(...losses.map((l) => l[j] as number));
    const r = worst > 0 ? 1.1 * worst : worst < 0 ? 0.9 * worst : 0;
    return r === worst ? worst + 1e-12 : r;
  });
}

/** Greedy hypervolume subset selection: `k` indices of `losses` maximizing the dominated volume. */
export function selectByHypervolume(
  losses: readonly (readonly number[])[],
  k: number,
  ref: readonly number[],
): number[] {
  const chosen: number[] = [];
  const left = new Set(losses.map((_, i) => i));
  let base = 0;
  while (chosen.length < k && left.size > 0) {
    let best = -1;
    let bestGain = -Infinity;
    for (const i of left) {
      const gain =
        hypervolume(
          [...chosen, i].map((j) => losses[j] as number[]),
          ref,
        ) - base;
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    }
    chosen.push(best);
    left.delete(best);
    base += bestGain;
  }
  return chosen;
}

/** Crowding distance (Deb et al. 2002) of loss vectors; boundary points get Infinity. */
export function crowdingDistance(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const d = new Array<number>(n).fill(0);
  if (n === 0) return d;
  const m = (points[0] as number[]).length;
  for (let j = 0; j < m; j++) {
    const idx = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (points[a] as number[])[j]! - (points[b] as number[])[j]!,
    );
    const lo = (points[idx[0] as number] as number[])[j] as number;
    const hi = (points[idx[n - 1] as number] as number[])[j] as number;
    d[idx[0] as number] = Infinity;
    d[idx[n - 1] as number] = Infinity;
    if (hi === lo) continue;
    for (let k = 1; k < n - 1; k++) {
      const prev = (points[idx[k - 1] as number] as number[])[j] as number;
      const next = (points[idx[k + 1] as number] as number[])[j] as number;
      d[idx[k] as number]! += (next - prev) / (hi - lo);
    }
  }
  return d;
}
