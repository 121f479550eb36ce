import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { compareCodePoints, encodeJson, prefixUpperBound } from './common.js';

const ALPHABET = [
  'a',
  'b',
  'z',
  '/',
  '%',
  '\u00e9',
  '\u07ff',
  '\u0800',
  '\ud7ff',
  '\ue000',
  '\uffff',
  '😀',
  '\u{10ffff}',
  '\u{10000}',
];

function randomString(rng: Rng): string {
  return Array.from({ length: rng.int(0, 4) }, () => rng.choice(ALPHABET)).join('');
}

describe('compareCodePoints', () => {
  it('agrees with UTF-8 byte order (SQLite BINARY, PostgreSQL "C")', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 2000; i++) {
      const a = randomString(rng);
      const b = randomString(rng);
      const bytes = Buffer.compare(Buffer.from(a), Buffer.from(b));
      expect(
        Math.sign(compareCodePoints(a, b)),
        `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
      ).toBe(bytes);
    }
  });
});

describe('prefixUpperBound', () => {
  it('bounds exactly the strings that start with the prefix', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2000; i++) {
      const prefix = randomString(rng);
      const s = randomString(rng) + (rng.float() < 0.5 ? '' : randomString(rng));
      const upper = prefixUpperBound(prefix);
      const inRange =
        compareCodePoints(s, prefix) >= 0 &&
        (upper === undefined || compareCodePoints(s, upper) < 0);
      expect(
        inRange,
        `${JSON.stringify(s)} in [${JSON.stringify(prefix)}, ${JSON.stringify(upper)})`,
      ).toBe(s.startsWith(prefix));
    }
  });
  it('skips the surrogate range and handles the empty and maximal prefixes', () => {
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(prefixUpperBound('ab')).toBe('ac');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
  });
});

describe('encodeJson', () => {
  it('names the path of the offending value', () => {
    expect(() => encodeJson({ a: [1, { b: Number.NaN }] }, 'value')).toThrow(
      'value.a[1].b is not JSON-safe: got NaN',
    );
    expect(() => encodeJson(Object.create(null) as object, 'v')).not.toThrow();
  });
});
