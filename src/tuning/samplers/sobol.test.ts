import { describe, expect, it } from 'vitest';
import { samplerConformance } from '../../testing/sampler-conformance.js';
import { SOBOL_MAX_DIMS, SobolSampler, SobolSequence } from './sobol.js';

samplerConformance('sobol', { create: (seed) => new SobolSampler({ seed }) });

function isNet(points: number[][], dims: [number, number], m: number): boolean {
  // Every elementary box 2^-a x 2^-(m-a) holds exactly one of the 2^m points ((0, m, 2)-net).
  for (let a = 0; a <= m; a++) {
    const cells = new Set<string>();
    for (const p of points)
      cells.add(
        `${Math.floor((p[dims[0]] as number) * 2 ** a)},${Math.floor((p[dims[1]] as number) * 2 ** (m - a))}`,
      );
    if (cells.size !== 2 ** m) return false;
  }
  return true;
}

describe('SobolSequence', () => {
  it('has direction numbers for at least 21 dimensions', () => {
    expect(SOBOL_MAX_DIMS).toBeGreaterThanOrEqual(21);
    expect(SOBOL_MAX_DIMS).toBe(53);
  });

  it("matches scipy's unscrambled points (scipy walks them in Gray-code order)", () => {
    const s = new SobolSequence(3);
    const gray = (i: number): number => i ^ (i >> 1);
    expect([0, 1, 2, 3, 4].map((i) => s.point(gray(i)))).toEqual([
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
    ]);
  });

  it('every 1-D projection of 2^m points is stratified, scrambled or not, in all 53 dims', () => {
    for (const seed of [undefined, 5]) {
      const s = new SobolSequence(SOBOL_MAX_DIMS, seed);
      const pts = Array.from({ length: 64 }, (_, i) => s.point(i));
      for (let d = 0; d < SOBOL_MAX_DIMS; d++) {
        expect(new Set(pts.map((p) => Math.floor((p[d] as number) * 64))).size).toBe(64);
      }
    }
  });

  it('the first two dimensions form a (0, m, 2)-net, also after scrambling', () => {
    for (const seed of [undefined, 1, 2]) {
      const s = new SobolSequence(2, seed);
      expect(
        isNet(
          Array.from({ length: 256 }, (_, i) => s.point(i)),
          [0, 1],
          8,
        ),
      ).toBe(true);
    }
  });

  it('scrambling is seeded', () => {
    expect(new SobolSequence(4, 1).point(3)).toEqual(new SobolSequence(4, 1).point(3));
    expect(new SobolSequence(4, 1).point(3)).not.toEqual(new SobolSequence(4, 2).point(3));
    expect(() => new SobolSequence(SOBOL_MAX_DIMS + 1)).toThrow(/dims/);
  });
});
