import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MortarError, isMortarError, toMortarError } from './errors.js';

describe('MortarError', () => {
  it('carries code, details and cause and serializes to a JSON body', () => {
    const cause = new Error('disk full');
    const e = new MortarError('DATA_INVALID', 'a.csv, row 3: expected 2 fields, found 3', {
      details: { file: 'a.csv', row: 3 },
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('MortarError');
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toEqual({
      error: {
        code: 'DATA_INVALID',
        message: 'a.csv, row 3: expected 2 fields, found 3',
        details: { file: 'a.csv', row: 3 },
      },
    });
    expect(isMortarError(e, 'DATA_INVALID')).toBe(true);
    expect(isMortarError(e, 'NOT_FOUND')).toBe(false);
  });

  it('toMortarError keeps MortarErrors and wraps anything else', () => {
    const m = new MortarError('NOT_FOUND', 'x');
    expect(toMortarError(m)).toBe(m);
    const w = toMortarError(new TypeError('boom'));
    expect(w.code).toBe('INTERNAL');
    expect(w.message).toBe('boom');
    expect(toMortarError('str', 'INVALID_ARGUMENT').code).toBe('INVALID_ARGUMENT');
  });

  it('has unique codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});
