/** Shared pieces of every compiled chart: look, grid, legend, axes, and the error for bad specs. */
import { MortarError } from '../../errors.js';
import type { JsonObject, JsonValue } from '../../json.js';
import type { Axis } from '../model.js';

/** An ECharts option as plain JSON (what ends up in the report's data element). */
export type EChartsOption = JsonObject;

/** The series colours, in order (Observable's 10-colour categorical scheme; colour-blind aware). */
export const PALETTE = [
  '#4269d0',
  '#efb118',
  '#ff725c',
  '#6cc5b0',
  '#3ca951',
  '#ff8ab7',
  '#a463f2',
  '#97bbf5',
  '#9c6b4e',
  '#9498a0',
] as const;

/** The font stack shared by the page and the charts. */
export const FONT_FAMILY =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Throws the error for a chart spec that cannot be drawn, naming where it is and what is wrong. */
export function invalidChart(where: string, problem: string): never {
  throw new MortarError('INVALID_ARGUMENT', `${where}: ${problem}`, { details: { where } });
}

/** Options every chart starts from: no animation (stable screenshots and printing), palette, font. */
export function baseOption(legendNames: readonly string[]): JsonObject {
  const legend = legendNames.length > 1;
  return {
    animation: false,
    color: [...PALETTE],
    textStyle: { fontFamily: FONT_FAMILY },
    legend: legend ? { top: 0, type: 'scroll', data: [...legendNames] } : { show: false },
    grid: {
      left: 12,
      right: 24,
      top: legend ? 40 : 24,
      bottom: 12,
      outerBoundsMode: 'same',
      outerBoundsContain: 'all',
    },
  };
}

/** An ECharts cartesian axis from a Mortar {@link Axis}. */
export function axisOption(
  axis: Axis | undefined,
  position: 'x' | 'y',
  values: () => Iterable<unknown> = () => [],
): JsonObject {
  const out: Record<string, JsonValue> = {
    type: axis?.type ?? 'value',
    scale: true, // do not force zero into the range
    splitLine: { show: position === 'y', lineStyle: { color: '#e5e7eb' } },
  };
  if (axis?.label !== undefined) {
    out.name = axis.label;
    out.nameLocation = 'middle';
    out.nameGap = position === 'x' ? 28 : 44;
  }
  if (axis?.min !== undefined) out.min = axis.min;
  if (axis?.max !== undefined) out.max = axis.max;
  if (axis?.type === 'log' && (axis.min === undefined || axis.max === undefined)) {
    const decades = decadeBounds(values());
    if (decades !== null) {
      out.min ??= decades[0];
      out.max ??= decades[1];
    }
  }
  return out;
}

/** A JSON-safe copy of numeric data: non-finite values become `null` (a gap in ECharts). */
export function finiteOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** Checks that names are unique; ECharts merges series of the same name in legends. */
export function checkUniqueNames(where: string, names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n))
      invalidChart(where, `two ${what} are both named "${n}"; give each a distinct name`);
    seen.add(n);
  }
}

/**
 * Whole-decade bounds around the positive values, e.g. `[1e-4, 1]` for 0.0003..0.5, for log axes
 * (ECharts prints a data-derived log extent with rounding noise, like 0.00009999999999999999).
 */
export function decadeBounds(values: Iterable<unknown>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi) return null;
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.max(a + 1, Math.ceil(Math.log10(hi) - 1e-9));
  return [Number(`1e${a}`), Number(`1e${b}`)];
}

/**
 * Decimal places for labels of a colour scale over `[lo, hi]`: none for whole numbers, else about
 * 3 significant digits of the range.
 */
export function scalePrecision(lo: number, hi: number, wholeNumbers = false): number {
  if (wholeNumbers) return 0;
  const range = hi - lo;
  if (!(range > 0) || !Number.isFinite(range)) return 0;
  return Math.min(10, Math.max(0, 2 - Math.floor(Math.log10(range))));
}
