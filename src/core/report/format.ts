/** Printing table and card values: deterministic (en-US, no clock, no locale of the machine). */
import type { CellValue, NumberFormat } from './model.js';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Prints a cell value. `null` prints as an em dash; non-finite numbers as `NaN`, `∞`, `-∞`.
 * @example formatValue(0.12345, 'percent') === '12.3%'
 */
export function formatValue(
  value: CellValue,
  format: NumberFormat = 'auto',
  digits?: number,
): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  switch (format) {
    case 'raw':
      return String(value);
    case 'integer':
      return grouped.format(Math.round(value));
    case 'fixed':
      return value.toFixed(clampDigits(digits ?? 2, 0, 20));
    case 'percent':
      return `${(value * 100).toFixed(clampDigits(digits ?? 1, 0, 20))}%`;
    case 'scientific':
      return value.toExponential(clampDigits(digits ?? 3, 0, 20));
    case 'auto':
      return formatAuto(value, clampDigits(digits ?? 4, 1, 21));
  }
}

function formatAuto(value: number, significant: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return grouped.format(value);
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e9) return value.toExponential(significant - 1);
  // Never round away digits before the decimal point.
  const intDigits = abs >= 1 ? Math.floor(Math.log10(abs)) + 1 : 1;
  const maximumSignificantDigits = Math.min(21, Math.max(significant, intDigits));
  return new Intl.NumberFormat('en-US', { maximumSignificantDigits }).format(value);
}

function clampDigits(d: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(d)));
}

/**
 * A short label for a number on an axis or bin edge: up to 3 significant digits, exponent form
 * for very small or large magnitudes.
 */
export function shortNumber(value: number): string {
  if (!Number.isFinite(value)) return formatValue(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(3)));
}
