/** Parallel coordinates: one polyline per row across one axis per dimension. */
import type { JsonObject, JsonValue } from '../../json.js';
import type { ParallelChart, ParallelDimension } from '../model.js';
import {
  baseOption,
  checkUniqueNames,
  decadeBounds,
  invalidChart,
  PALETTE,
  scalePrecision,
  type EChartsOption,
} from './common.js';

/** Compiles a {@link ParallelChart} to an ECharts option, coloured by `colorBy` when numeric. */
export function parallelOption(spec: ParallelChart, where: string): EChartsOption {
  const { dimensions, rows } = spec;
  if (dimensions.length < 2)
    invalidChart(
      where,
      `has ${dimensions.length} dimensions; parallel coordinates need at least 2`,
    );
  checkUniqueNames(
    where,
    dimensions.map((d) => d.name),
    'dimensions',
  );
  const categories = dimensions.map((d, j) =>
    d.type === 'category' ? categoryList(d, rows, j) : null,
  );
  const data: JsonValue[] = rows.map((row, i) => {
    if (row.length !== dimensions.length) {
      invalidChart(
        where,
        `rows[${i}] has ${row.length} values for ${dimensions.length} dimensions; give one per dimension`,
      );
    }
    return row.map((v, j) =>
      cell(v, dimensions[j] as ParallelDimension, categories[j] ?? null, where, i),
    );
  });
  const colorName = spec.colorBy ?? (dimensions[dimensions.length - 1] as ParallelDimension).name;
  const colorDim = dimensions.findIndex((d) => d.name === colorName);
  if (colorDim < 0) invalidChart(where, `colorBy "${colorName}" names no dimension`);
  const range = categories[colorDim] === null ? numericRange(data, colorDim) : null;
  const option: Record<string, JsonValue> = {
    ...baseOption([]),
    parallel: { left: 56, right: 64, top: 48, bottom: range === null ? 32 : 72 },
    parallelAxis: dimensions.map((d, j) => axis(d, j, categories[j] ?? null, data)),
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'parallel',
        data,
        lineStyle: { width: 1.2, opacity: 0.5, color: PALETTE[0] },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        inactiveOpacity: 0.05,
        activeOpacity: 1,
      },
    ],
  };
  if (range !== null) {
    option.visualMap = {
      type: 'continuous',
      dimension: colorDim,
      min: range[0],
      max: range[1],
      calculable: true,
      precision: scalePrecision(range[0], range[1], range[2]),
      text: ['', colorName],
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemWidth: 12,
      itemHeight: 200,
      inRange: { color: ['#4269d0', '#6cc5b0', '#efb118', '#ff725c'] },
    };
  }
  return option;
}

function categoryList(d: ParallelDimension, rows: ParallelChart['rows'], j: number): string[] {
  if (d.categories !== undefined) return [...d.categories];
  const seen = new Set<string>();
  for (const row of rows) {
    const v = row[j];
    if (v !== null && v !== undefined) seen.add(String(v));
  }
  return [...seen];
}

function cell(
  v: number | string | null,
  d: ParallelDimension,
  cats: string[] | null,
  where: string,
  i: number,
): JsonValue {
  if (v === null) return null;
  if (cats !== null) {
    const s = String(v);
    if (!cats.includes(s))
      invalidChart(
        where,
        `rows[${i}] dimension "${d.name}" is "${s}", which is not among its categories`,
      );
    return s;
  }
  if (typeof v !== 'number') {
    invalidChart(
      where,
      `rows[${i}] dimension "${d.name}" is "${v}"; declare the dimension as type 'category' for text values`,
    );
  }
  if (!Number.isFinite(v)) return null;
  if (d.type === 'log' && v <= 0) {
    invalidChart(
      where,
      `rows[${i}] dimension "${d.name}" is ${v} but the axis is logarithmic; values must be > 0`,
    );
  }
  return v;
}

function axis(
  d: ParallelDimension,
  j: number,
  cats: string[] | null,
  data: readonly JsonValue[],
): JsonObject {
  const out: Record<string, JsonValue> = {
    dim: j,
    name: d.name,
    type: cats === null ? (d.type ?? 'value') : 'category',
    nameLocation: 'end',
    nameGap: 16,
    nameTextStyle: { fontWeight: 'bold' },
  };
  if (cats !== null) out.data = cats;
  else if (d.type !== 'log') out.scale = true; // log axes snap to whole decades instead
  if (d.min !== undefined) out.min = d.min;
  if (d.max !== undefined) out.max = d.max;
  if (d.type === 'log') {
    const decades = decadeBounds(data.map((row) => (row as readonly JsonValue[])[j]));
    if (decades !== null) {
      out.min ??= decades[0];
      out.max ??= decades[1];
    }
  }
  return out;
}

function numericRange(data: readonly JsonValue[], dim: number): [number, number, boolean] | null {
  let lo = Infinity;
  let hi = -Infinity;
  let whole = true;
  for (const row of data) {
    const v = (row as readonly JsonValue[])[dim];
    if (typeof v === 'number') {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      whole &&= Number.isInteger(v);
    }
  }
  if (lo > hi) return null;
  return lo === hi ? [lo - 1, hi + 1, whole] : [lo, hi, whole];
}
