/** Compiling chart specs to ECharts options: pure functions, testable without a browser. */
import type { ChartSpec } from '../model.js';
import { barOption } from './bar.js';
import { baseOption, invalidChart, type EChartsOption } from './common.js';
import { heatmapOption } from './heatmap.js';
import { histogramOption } from './histogram.js';
import { parallelOption } from './parallel.js';
import { xyOption } from './xy.js';

export type { EChartsOption } from './common.js';

/** What a raw option gets unless it sets them itself: the shared palette, font and no animation. */
const rawDefaults: EChartsOption = (({ animation, color, textStyle }) => ({
  animation,
  color,
  textStyle,
}))(baseOption([])) as EChartsOption;
export { PALETTE } from './common.js';

/**
 * Compiles a chart spec to a JSON-safe ECharts option. A raw `echarts` option passes through,
 * taking Mortar's palette, font and `animation: false` unless it sets them. `where` names the chart in error
 * messages (the renderer passes e.g. `section "Data", block 3 (chart "Loss")`).
 *
 * @throws MortarError `INVALID_ARGUMENT` when the data do not fit the spec (ragged series,
 * wrong number of bin counts, unknown category...).
 * @example
 * chartOption({ type: 'bar', categories: ['lr', 'depth'], series: [{ name: 'importance', values: [0.7, 0.3] }] });
 */
export function chartOption(spec: ChartSpec, where = 'chart'): EChartsOption {
  switch (spec.type) {
    case 'line':
    case 'scatter':
      return xyOption(spec, where);
    case 'bar':
      return barOption(spec, where);
    case 'histogram':
      return histogramOption(spec, where);
    case 'parallel':
      return parallelOption(spec, where);
    case 'heatmap':
      return heatmapOption(spec, where);
    case 'echarts':
      return { ...rawDefaults, ...spec.option };
    default:
      // Reachable from JSON input and plain JavaScript callers.
      return invalidChart(
        where,
        `unknown chart type ${JSON.stringify((spec as { type?: unknown }).type)}; use line, scatter, bar, histogram, parallel, heatmap or echarts`,
      );
  }
}
