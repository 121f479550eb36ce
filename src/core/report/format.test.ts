import { describe, expect, it } from 'vitest';
import { formatValue, shortNumber } from './format.js';

describe('formatValue', () => {
  it.each([
    [null, 'auto', undefined, '—'],
    ['text', 'auto', undefined, 'text'],
    [true, 'auto', undefined, 'true'],
    [Number.NaN, 'auto', undefined, 'NaN'],
    [Infinity, 'fixed', undefined, '∞'],
    [-Infinity, 'auto', undefined, '-∞'],
    [1234567, 'auto', undefined, '1,234,567'],
    [0.123456, 'auto', undefined, '0.1235'],
    [12345.678, 'auto', undefined, '12,346'],
    [0.0000123, 'auto', undefined, '1.230e-5'],
    [3.14159, 'fixed', undefined, '3.14'],
    [3.14159, 'fixed', 4, '3.1416'],
    [0.12345, 'percent', undefined, '12.3%'],
    [12345.6, 'scientific', 2, '1.23e+4'],
    [1234.5, 'integer', undefined, '1,235'],
    [0.1 + 0.2, 'raw', undefined, '0.30000000000000004'],
  ] as const)('%s as %s (%s digits) is %s', (value, format, digits, expected) => {
    expect(formatValue(value, format, digits)).toBe(expected);
  });
});

describe('shortNumber', () => {
  it.each([
    [0, '0'],
    [12.3456, '12.3'],
    [1234.5, '1230'],
    [0.0001234, '1.23e-4'],
    [2_000_000, '2e+6'],
  ])('%s is %s', (value, expected) => {
    expect(shortNumber(value)).toBe(expected);
  });
});
