import { describe, expect, it } from 'vitest';
import { compareArrays, numericGradient } from './testkit.js';

describe('testkit', () => {
  it('compareArrays accepts close arrays and names the worst element otherwise', () => {
    expect(compareArrays([1, 2, 3], [1, 2.0000001, 3], 1e-6)).toBeNull();
    expect(compareArrays([1, 2.5, 3.1], [1, 2, 3], 0.01)).toMatch(/element 1: got 2.5, expected 2/);
    expect(compareArrays([NaN], [NaN], 0)).toBeNull();
    expect(compareArrays([NaN], [1], 10)).toMatch(/element 0/);
    expect(compareArrays([1], [1, 2], 1)).toMatch(/length/);
  });

  it('numericGradient differentiates a known function', () => {
    const x = new Float64Array([0.5, -2]);
    const g = numericGradient((v) => (v[0] as number) ** 3 + Math.sin(v[1] as number), x);
    expect(g[0]).toBeCloseTo(3 * 0.25, 6);
    expect(g[1]).toBeCloseTo(Math.cos(-2), 6);
    expect([...x]).toEqual([0.5, -2]);
  });
});
