/** Heatmaps: a matrix of values over two category axes. */
import type { JsonValue } from '../../json.js';
import type { HeatmapChart } from '../model.js';
import {
  baseOption,
  finiteOrNull,
  invalidChart,
  scalePrecision,
  type EChartsOption,
} from './common.js';

/** Compiles a {@link HeatmapChart} to an ECharts option with a continuous colour scale. */
export function heatmapOption(spec: HeatmapChart, where: string): EChartsOption {
  if (spec.values.length !== spec.y.length) {
    invalidChart(
      where,
      `values has ${spec.values.length} rows for ${spec.y.length} y labels; give one row per y label`,
    );
  }
  const data: JsonValue[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  let whole = true;
  spec.values.forEach((row, i) => {
    if (row.length !== spec.x.length) {
      invalidChart(
        where,
        `values[${i}] has ${row.length} cells for ${spec.x.length} x labels; give one per x label`,
      );
    }
    row.forEach((raw, j) => {
      const v = finiteOrNull(raw);
      if (v === null) return;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      whole &&= Number.isInteger(v);
      data.push([j, i, v]);
    });
  });
  if (lo > hi) [lo, hi] = [0, 1];
  else if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const showValues = spec.showValues ?? spec.x.length * spec.y.length <= 400;
  const base = baseOption([]);
  return {
    ...base,
    grid: { ...(base.grid as object), right: 80, top: 16 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'category', data: [...spec.x], splitArea: { show: true } },
    yAxis: { type: 'category', data: [...spec.y], splitArea: { show: true }, inverse: true },
    visualMap: {
      type: 'continuous',
      min: lo,
      max: hi,
      calculable: true,
      precision: scalePrecision(lo, hi, whole),
      right: 0,
      top: 'middle',
      itemHeight: 160,
      inRange: { color: ['#f7fbff', '#9ecae1', '#4269d0', '#1b2f6e'] },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: showValues, fontSize: 11 },
        emphasis: { itemStyle: { borderColor: '#111827', borderWidth: 1 } },
      },
    ],
  };
}
