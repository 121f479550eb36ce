import { describe, expect, it } from 'vitest';
import type { Profile } from '../validation/index.js';
import type { CompareContext, DatasetComparator, FeatureComparator } from '../validation/index.js';

/**
 * The conformance suite every validation comparator must pass: silent on identical profiles,
 * deterministic, inputs untouched, well-formed warnings naming the compared feature.
 * `reference` and `shifted` are two profiles of the same features, `shifted` clearly different.
 */
export function comparatorConformance(
  name: string,
  make: () => FeatureComparator | DatasetComparator,
  data: () => { reference: Profile; same: Profile; shifted: Profile },
): void {
  const ctx: CompareContext = { alpha: 1e-3, tests: 5, mode: 'drift' };
  const compare = (c: FeatureComparator | DatasetComparator, a: Profile, b: Profile) => {
    if (isDataset(c)) return (c as DatasetComparator).compare(a, b, ctx);
    const out = [];
    for (const [n, f] of a.features) {
      const g = b.features.get(n);
      if (g) out.push(...(c as FeatureComparator).compare(f, g, ctx));
    }
    return out;
  };
  describe(`comparator conformance: ${name}`, () => {
    it('raises nothing when the batch is the reference', () => {
      const { reference } = data();
      expect(compare(make(), reference, reference)).toEqual([]);
    });
    it('is deterministic and leaves its inputs unchanged', () => {
      const { reference, shifted } = data();
      const before = [JSON.stringify(reference.toJSON()), JSON.stringify(shifted.toJSON())];
      const a = compare(make(), shifted, reference);
      const b = compare(make(), shifted, reference);
      expect(a).toEqual(b);
      expect([JSON.stringify(reference.toJSON()), JSON.stringify(shifted.toJSON())]).toEqual(
        before,
      );
    });
    it('returns well-formed warnings', () => {
      const { reference, shifted, same } = data();
      for (const an of [
        ...compare(make(), shifted, reference),
        ...compare(make(), same, reference),
      ]) {
        expect(an.severity).toBe('warning');
        expect(an.type).toMatch(/^[A-Z_]+$/);
        expect(an.description.length).toBeGreaterThan(10);
        expect(
          an.feature === '*' ||
            reference.features.has(an.feature) ||
            shifted.features.has(an.feature),
        ).toBe(true);
      }
    });
  });
}

/** Dataset comparators are told apart by kind (the two interfaces have the same shape). */
function isDataset(c: FeatureComparator | DatasetComparator): boolean {
  return ['duplicates', 'row-count', 'correlation'].includes(c.kind);
}
