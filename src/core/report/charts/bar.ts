/** Bar charts over named categories. */
import type { JsonObject } from '../../json.js';
import type { BarChart } from '../model.js';
import {
  baseOption,
  checkUniqueNames,
  finiteOrNull,
  invalidChart,
  type EChartsOption,
} from './common.js';

/** Compiles a {@link BarChart} to an ECharts option. */
export function barOption(spec: BarChart, where: string): EChartsOption {
  checkUniqueNames(
    where,
    spec.series.map((s) => s.name),
    'series',
  );
  const series = spec.series.map((s) => {
    if (s.values.length !== spec.categories.length) {
      invalidChart(
        where,
        `series "${s.name}" has ${s.values.length} values for ${spec.categories.length} categories; give one value per category`,
      );
    }
    const out: Record<string, JsonObject[keyof JsonObject]> = {
      type: 'bar',
      name: s.name,
      data: s.values.map(finiteOrNull),
      barMaxWidth: 48,
    };
    if (spec.stacked === true) out.stack = 'total';
    return out;
  });
  const categoryAxis: JsonObject = {
    type: 'category',
    data: [...spec.categories],
    inverse: spec.horizontal === true, // first category on top when horizontal
    axisTick: { alignWithLabel: true },
  };
  const valueAxis: JsonObject = {
    type: 'value',
    splitLine: { lineStyle: { color: '#e5e7eb' } },
    ...(spec.valueLabel === undefined
      ? {}
      : {
          name: spec.valueLabel,
          nameLocation: 'middle',
          nameGap: spec.horizontal === true ? 28 : 44,
        }),
  };
  return {
    ...baseOption(spec.series.map((s) => s.name)),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: spec.horizontal === true ? valueAxis : categoryAxis,
    yAxis: spec.horizontal === true ? categoryAxis : valueAxis,
    series,
  };
}
