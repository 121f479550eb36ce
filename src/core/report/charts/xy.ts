/** Line and scatter charts: series of x/y points on two cartesian axes. */
import type { JsonObject, JsonValue } from '../../json.js';
import type { Axis, LineChart, ScatterChart, XYSeries } from '../model.js';
import {
  axisOption,
  baseOption,
  checkUniqueNames,
  finiteOrNull,
  invalidChart,
  type EChartsOption,
} from './common.js';

/** Above this many points a line hides its markers and a scatter switches to ECharts' large mode. */
const MANY_POINTS = 2000;

/** Compiles a {@link LineChart} or {@link ScatterChart} to an ECharts option. */
export function xyOption(spec: LineChart | ScatterChart, where: string): EChartsOption {
  checkUniqueNames(
    where,
    spec.series.map((s) => s.name),
    'series',
  );
  const series = spec.series.map((s): JsonObject => {
    checkSeries(s, spec, where);
    const as = s.as ?? spec.type;
    const data: JsonValue[] = s.x.map((x, i) => [
      typeof x === 'number' ? finiteOrNull(x) : x,
      finiteOrNull(s.y[i]),
    ]);
    const many = data.length > MANY_POINTS;
    if (as === 'scatter') {
      return { type: 'scatter', name: s.name, data, symbolSize: many ? 3 : 7, large: many };
    }
    return {
      type: 'line',
      name: s.name,
      data,
      showSymbol: data.length <= 24,
      symbolSize: 5,
      lineStyle: { width: 2 },
      step: spec.type === 'line' && spec.step === true ? 'end' : false,
      smooth: spec.type === 'line' && spec.smooth === true,
      sampling: many ? 'lttb' : 'none',
      connectNulls: false,
    };
  });
  return {
    ...baseOption(spec.series.map((s) => s.name)),
    tooltip: spec.type === 'line' ? { trigger: 'axis' } : { trigger: 'item' },
    xAxis: axisOption(spec.x, 'x', () => spec.series.flatMap((s) => s.x)),
    yAxis: axisOption(spec.y, 'y', () => spec.series.flatMap((s) => s.y)),
    series,
  };
}

function checkSeries(s: XYSeries, spec: LineChart | ScatterChart, where: string): void {
  if (s.x.length !== s.y.length) {
    invalidChart(
      where,
      `series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values; they must pair up`,
    );
  }
  checkLog(spec.x, s.x, `series "${s.name}" x`, where);
  checkLog(spec.y, s.y, `series "${s.name}" y`, where);
}

function checkLog(
  axis: Axis | undefined,
  values: readonly (number | string | null)[],
  what: string,
  where: string,
): void {
  if (axis?.type !== 'log') return;
  const i = values.findIndex((v) => typeof v === 'number' && v <= 0);
  if (i >= 0) {
    invalidChart(
      where,
      `${what}[${i}] is ${String(values[i])} but the axis is logarithmic; use a value axis or drop values <= 0`,
    );
  }
}
