/** Pre-binned histograms, several series side by side over shared bin edges. */
import type { HistogramChart } from '../model.js';
import { shortNumber } from '../format.js';
import { baseOption, checkUniqueNames, invalidChart, type EChartsOption } from './common.js';

/** Compiles a {@link HistogramChart} to an ECharts option (one bar per bin and series). */
export function histogramOption(spec: HistogramChart, where: string): EChartsOption {
  const { edges } = spec;
  if (edges.length < 2)
    invalidChart(where, `edges has ${edges.length} entries; a histogram needs at least 2`);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i] as number;
    if (!Number.isFinite(e)) invalidChart(where, `edges[${i}] is ${e}; edges must be finite`);
    if (i > 0 && e <= (edges[i - 1] as number)) {
      invalidChart(
        where,
        `edges[${i}] = ${e} is not above edges[${i - 1}] = ${edges[i - 1]}; edges must increase`,
      );
    }
  }
  checkUniqueNames(
    where,
    spec.series.map((s) => s.name),
    'series',
  );
  const bins = edges.length - 1;
  const normalize = spec.normalize ?? 'count';
  const labels = Array.from({ length: bins }, (_, i) => binLabel(edges, i));
  const series = spec.series.map((s) => {
    if (s.counts.length !== bins) {
      invalidChart(
        where,
        `series "${s.name}" has ${s.counts.length} counts but ${edges.length} edges make ${bins} bins; edges needs one more entry than counts`,
      );
    }
    const bad = s.counts.findIndex((c) => !Number.isFinite(c) || c < 0);
    if (bad >= 0)
      invalidChart(
        where,
        `series "${s.name}" counts[${bad}] is ${s.counts[bad]}; counts must be finite and >= 0`,
      );
    const total = s.counts.reduce((a, b) => a + b, 0);
    const data = s.counts.map((c, i) => {
      if (normalize === 'count') return c;
      const p = total === 0 ? 0 : c / total;
      return normalize === 'probability'
        ? p
        : p / ((edges[i + 1] as number) - (edges[i] as number));
    });
    return { type: 'bar', name: s.name, data, barGap: '0%', barCategoryGap: '8%' };
  });
  const yName = normalize === 'count' ? 'count' : normalize;
  return {
    ...baseOption(spec.series.map((s) => s.name)),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: labels,
      ...(spec.xLabel === undefined
        ? {}
        : { name: spec.xLabel, nameLocation: 'middle', nameGap: 28 }),
      axisTick: { alignWithLabel: false },
    },
    yAxis: {
      type: 'value',
      name: yName,
      nameLocation: 'middle',
      nameGap: 44,
      splitLine: { lineStyle: { color: '#e5e7eb' } },
    },
    series,
  };
}

/** `[lo, hi)` for a bin, `[lo, hi]` for the last one (the usual histogram convention). */
function binLabel(edges: readonly number[], i: number): string {
  const lo = shortNumber(edges[i] as number);
  const hi = shortNumber(edges[i + 1] as number);
  return i === edges.length - 2 ? `[${lo}, ${hi}]` : `[${lo}, ${hi})`;
}
