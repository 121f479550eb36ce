/**
 * Helpers shared by samplers: the intersection search space (Optuna's IntersectionSearchSpace),
 * trial selection, seeds.
 */
import { MortarError } from '../../core/errors.js';
import { distributionsEqual, type Distribution } from '../distributions.js';
import type { FrozenTrial, StudyView, TrialState } from '../trial.js';
import type { RelativeSpace } from './sampler.js';

/** A seed: the one given (validated) or a fresh random one. */
export function resolveSeed(seed: number | undefined): number {
  if (seed === undefined) return Math.floor(Math.random() * 2 ** 32);
  if (!Number.isFinite(seed))
    throw new MortarError('INVALID_ARGUMENT', `seed must be a finite number, got ${seed}`);
  return seed;
}

const cache = new WeakMap<readonly FrozenTrial[], Map<string, RelativeSpace>>();

/**
 * Parameters present, with the same distribution, in every trial of `states` (default complete);
 * empty when there is no such trial. Sorted by name. Cached per study snapshot.
 */
export function intersectionSearchSpace(
  study: StudyView,
  states: readonly TrialState[] = ['complete'],
): RelativeSpace {
  const all = study.trials();
  const key = states.join(',');
  let perSnapshot = cache.get(all);
  const hit = perSnapshot?.get(key);
  if (hit) return hit;
  let space: Map<string, Distribution> | undefined;
  for (const t of all) {
    if (!states.includes(t.state)) continue;
    if (!space) {
      space = new Map(Object.entries(t.distributions));
      continue;
    }
    for (const [name, d] of space) {
      const td = t.distributions[name];
      if (!td || !distributionsEqual(td, d)) space.delete(name);
    }
  }
  const out: Record<string, Distribution> = {};
  for (const name of [...(space?.keys() ?? [])].sort())
    out[name] = space?.get(name) as Distribution;
  Object.freeze(out);
  if (!perSnapshot) {
    perSnapshot = new Map();
    cache.set(all, perSnapshot);
  }
  perSnapshot.set(key, out);
  return out;
}

/** A seed mixed from several integers (for per-trial generators that survive restarts). */
export function mixSeed(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    const lo = x >>> 0;
    const hi = Math.floor(x / 4294967296) >>> 0;
    for (const w of [lo, hi]) {
      h = Math.imul(h ^ w, 0x01000193) >>> 0;
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d) >>> 0;
      h ^= h >>> 12;
    }
  }
  return h >>> 0;
}

/**
 * Optuna's GroupDecomposedSearchSpace: parameters of trials in `states` partitioned into groups
 * that always occur together (each group is a sub-space that the trials having it fully cover).
 * A parameter whose distribution changes between trials is left out.
 */
export function groupDecomposedSearchSpace(
  study: StudyView,
  states: readonly TrialState[] = ['complete'],
): RelativeSpace[] {
  const dists = new Map<string, Distribution>();
  const excluded = new Set<string>();
  let groups: Set<string>[] = [];
  for (const t of study.trials()) {
    if (!states.includes(t.state)) continue;
    const names = new Set<string>();
    for (const [name, d] of Object.entries(t.distributions)) {
      const prev = dists.get(name);
      if (!prev) dists.set(name, d);
      else if (!distributionsEqual(prev, d)) excluded.add(name);
      names.add(name);
    }
    const next: Set<string>[] = [];
    const covered = new Set<string>();
    for (const g of groups) {
      const inside = new Set([...g].filter((n) => names.has(n)));
      const outside = new Set([...g].filter((n) => !names.has(n)));
      if (inside.size > 0) next.push(inside);
      if (outside.size > 0) next.push(outside);
      for (const n of g) covered.add(n);
    }
    const fresh = new Set([...names].filter((n) => !covered.has(n)));
    if (fresh.size > 0) next.push(fresh);
    groups = next;
  }
  return groups
    .map((g) => {
      const out: Record<string, Distribution> = {};
      for (const n of [...g].sort()) if (!excluded.has(n)) out[n] = dists.get(n) as Distribution;
      return Object.freeze(out);
    })
    .filter((g) => Object.keys(g).length > 0)
    .sort((a, b) => (Object.keys(a)[0] as string).localeCompare(Object.keys(b)[0] as string));
}
