import { describe, expect, it } from 'vitest';
import { isMortarError } from '../core/errors.js';
import {
  categoricalDistribution,
  contains,
  distributionsCompatible,
  distributionsEqual,
  floatDistribution,
  fromUnit,
  gridSize,
  intDistribution,
  toExternal,
  toInternal,
  toUnit,
  validateDistribution,
} from './distributions.js';

function err(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isMortarError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('distribution validation', () => {
  it('rejects low > high, naming the parameter', () => {
    const e = err(() => floatDistribution('lr', 1, 0));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('"lr"');
    expect(e.message).toContain('low (1) must be <= high (0)');
  });
  it('rejects log with low <= 0', () => {
    expect(err(() => floatDistribution('lr', 0, 1, { log: true })).message).toMatch(
      /"lr".*low > 0/,
    );
    expect(err(() => intDistribution('n', 0, 10, { log: true })).code).toBe('INVALID_ARGUMENT');
  });
  it('rejects empty and duplicate categoricals', () => {
    expect(err(() => categoricalDistribution('opt', [])).message).toContain('at least one choice');
    expect(err(() => categoricalDistribution('opt', ['a', 'a'])).message).toContain('duplicate');
  });
  it('rejects a range that is not a multiple of step, naming the fix', () => {
    expect(err(() => floatDistribution('x', 0, 0.95, { step: 0.1 })).message).toContain(
      'use high = 0.9',
    );
    expect(err(() => intDistribution('k', 0, 10, { step: 3 })).message).toContain('use high = 9');
    expect(floatDistribution('x', 0, 0.9, { step: 0.1 }).step).toBe(0.1);
  });
  it('rejects step with log, non-integer int bounds, non-finite bounds', () => {
    expect(err(() => floatDistribution('x', 1, 2, { log: true, step: 0.5 })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(err(() => intDistribution('k', 0.5, 3)).code).toBe('INVALID_ARGUMENT');
    expect(err(() => floatDistribution('x', 0, Infinity)).code).toBe('INVALID_ARGUMENT');
    expect(err(() => intDistribution('k', 1, 8, { log: true, step: 2 })).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
  it('validates journal-shaped values and unknown types', () => {
    expect(
      validateDistribution('a', { type: 'int', low: 1, high: 4, log: false, step: 1 }),
    ).toEqual(intDistribution('a', 1, 4));
    expect(err(() => validateDistribution('a', { type: 'nope' } as never)).message).toContain(
      'unknown distribution type',
    );
  });
});

describe('contains, grid and representations', () => {
  const f = floatDistribution('f', -1, 1);
  const fl = floatDistribution('fl', 1e-4, 1, { log: true });
  const fs = floatDistribution('fs', 0, 1, { step: 0.25 });
  const i = intDistribution('i', 0, 10, { step: 2 });
  const il = intDistribution('il', 1, 1024, { log: true });
  const c = categoricalDistribution('c', ['a', 1, true, null]);

  it('contains', () => {
    expect(contains(f, 0.3)).toBe(true);
    expect(contains(f, 1.01)).toBe(false);
    expect(contains(f, NaN)).toBe(false);
    expect(contains(fs, 0.75)).toBe(true);
    expect(contains(fs, 0.7)).toBe(false);
    expect(contains(i, 4)).toBe(true);
    expect(contains(i, 5)).toBe(false);
    expect(contains(c, null)).toBe(true);
    expect(contains(c, 'b')).toBe(false);
    expect(contains(c, '1')).toBe(false);
  });
  it('grid sizes', () => {
    expect(gridSize(f)).toBe(Infinity);
    expect(gridSize(fs)).toBe(5);
    expect(gridSize(i)).toBe(6);
    expect(gridSize(c)).toBe(4);
  });
  it('internal representation round-trips', () => {
    expect(toInternal(c, true)).toBe(2);
    expect(toExternal(c, 2)).toBe(true);
    expect(toExternal(i, 4.9)).toBe(4);
    expect(toExternal(fs, 0.49)).toBe(0.5);
  });
  it('unit representation: every grid value has an equal cell, round-trips', () => {
    const counts = new Map<number, number>();
    for (let k = 0; k < 600; k++) {
      const v = fromUnit(i, (k + 0.5) / 600) as number;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8, 10]);
    for (const n of counts.values()) expect(n).toBe(100);
    for (const v of [0, 2, 10]) expect(fromUnit(i, toUnit(i, v))).toBe(v);
    for (const v of [1, 7, 1024]) expect(fromUnit(il, toUnit(il, v))).toBe(v);
    expect(fromUnit(fl, 0.5)).toBeCloseTo(0.01, 12);
    expect(toUnit(fl, 0.01)).toBeCloseTo(0.5, 12);
    expect(fromUnit(fs, toUnit(fs, 0.75))).toBe(0.75);
    expect(fromUnit(c, 0.99)).toBe(null);
    expect(fromUnit(f, 1.5)).toBe(1);
  });
  it('stepped floats come out without float noise', () => {
    const d = floatDistribution('x', 0.1, 0.9, { step: 0.1 });
    const vals = Array.from({ length: 9 }, (_, k) => fromUnit(d, (k + 0.5) / 9));
    expect(vals).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });
  it('equality and compatibility', () => {
    expect(distributionsEqual(f, floatDistribution('g', -1, 1))).toBe(true);
    expect(distributionsEqual(f, floatDistribution('g', -1, 2))).toBe(false);
    expect(distributionsCompatible(f, floatDistribution('g', -1, 2))).toBe(true);
    expect(distributionsCompatible(f, i)).toBe(false);
    expect(distributionsCompatible(c, categoricalDistribution('c', ['a']))).toBe(false);
  });
  it('distributions are frozen', () => {
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.choices)).toBe(true);
  });
});
