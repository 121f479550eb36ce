import { describe, expect, it } from 'vitest';
import { isMortarError } from '../../errors.js';
import type { ChartSpec } from '../model.js';
import { chartOption } from './index.js';

/** The option as a loosely typed object, for reading nested fields in assertions. */
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const compile = (spec: ChartSpec): Loose => chartOption(spec, 'test chart') as Loose;

function errorOf(spec: ChartSpec): string {
  try {
    chartOption(spec, 'section 1 "S", block 2 (chart)');
  } catch (e) {
    expect(isMortarError(e, 'INVALID_ARGUMENT')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected chartOption to throw');
}

describe('line and scatter', () => {
  it('pairs x and y into points and turns non-finite values into gaps', () => {
    const o = compile({
      type: 'line',
      x: { label: 'step' },
      series: [
        { name: 'train', x: [1, 2, 3], y: [0.9, Number.NaN, 0.3] },
        { name: 'val', x: [1, 2, 3], y: [1, 0.6, 0.4], as: 'scatter' },
      ],
    });
    expect(o.series[0]).toMatchObject({
      type: 'line',
      name: 'train',
      data: [
        [1, 0.9],
        [2, null],
        [3, 0.3],
      ],
    });
    expect(o.series[1]).toMatchObject({ type: 'scatter', name: 'val' });
    expect(o.xAxis).toMatchObject({ type: 'value', name: 'step' });
    expect(o.legend.data).toEqual(['train', 'val']);
    expect(o.animation).toBe(false);
    expect(JSON.parse(JSON.stringify(o))).toEqual(o); // JSON-safe
  });

  it('uses step lines and hides markers on long series', () => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    const o = compile({ type: 'line', step: true, series: [{ name: 'best', x, y: x }] });
    expect(o.series[0]).toMatchObject({ step: 'end', showSymbol: false });
    expect(o.legend).toEqual({ show: false });
  });

  it('snaps log axes to whole decades', () => {
    const o = compile({
      type: 'scatter',
      x: { type: 'log' },
      series: [{ name: 'lr', x: [0.0003, 0.02], y: [1, 2] }],
    });
    expect(o.xAxis).toMatchObject({ type: 'log', min: 1e-4, max: 0.1 });
  });

  it('rejects ragged series, duplicate names and non-positive values on log axes', () => {
    expect(errorOf({ type: 'line', series: [{ name: 'a', x: [1, 2], y: [1] }] })).toBe(
      'section 1 "S", block 2 (chart): series "a" has 2 x values but 1 y values; they must pair up',
    );
    expect(
      errorOf({
        type: 'line',
        series: [
          { name: 'a', x: [], y: [] },
          { name: 'a', x: [], y: [] },
        ],
      }),
    ).toMatch(/two series are both named "a"/);
    expect(
      errorOf({ type: 'line', y: { type: 'log' }, series: [{ name: 'a', x: [1], y: [0] }] }),
    ).toMatch(/series "a" y\[0\] is 0 but the axis is logarithmic/);
  });
});

describe('bar', () => {
  it('puts categories on the y axis, top to bottom, when horizontal', () => {
    const o = compile({
      type: 'bar',
      horizontal: true,
      stacked: true,
      categories: ['lr', 'depth'],
      series: [{ name: 'importance', values: [0.7, 0.3] }],
    });
    expect(o.yAxis).toMatchObject({ type: 'category', data: ['lr', 'depth'], inverse: true });
    expect(o.xAxis.type).toBe('value');
    expect(o.series[0]).toMatchObject({ type: 'bar', data: [0.7, 0.3], stack: 'total' });
  });
  it('needs one value per category', () => {
    expect(
      errorOf({ type: 'bar', categories: ['a', 'b'], series: [{ name: 's', values: [1] }] }),
    ).toMatch(/series "s" has 1 values for 2 categories/);
  });
});

describe('histogram', () => {
  const edges = [0, 1, 2, 4];
  it('labels bins [lo, hi) with the last one closed, and keeps counts by default', () => {
    const o = compile({ type: 'histogram', edges, series: [{ name: 'batch', counts: [1, 2, 1] }] });
    expect(o.xAxis.data).toEqual(['[0, 1)', '[1, 2)', '[2, 4]']);
    expect(o.series[0].data).toEqual([1, 2, 1]);
    expect(o.yAxis.name).toBe('count');
  });
  it('normalizes each series by its own total (probability) and by bin width (density)', () => {
    const series = [
      { name: 'batch', counts: [1, 2, 1] },
      { name: 'reference', counts: [10, 20, 70] },
    ];
    const p = compile({ type: 'histogram', edges, normalize: 'probability', series });
    expect(p.series.map((s: Loose) => s.data)).toEqual([
      [0.25, 0.5, 0.25],
      [0.1, 0.2, 0.7],
    ]);
    expect(p.series[0].barGap).toBe('0%'); // side by side, touching
    const d = compile({ type: 'histogram', edges, normalize: 'density', series });
    expect(d.series[1].data).toEqual([0.1, 0.2, 0.35]);
    expect(d.yAxis.name).toBe('density');
  });
  it('gives all-zero series zero probability instead of NaN', () => {
    const o = compile({
      type: 'histogram',
      edges,
      normalize: 'probability',
      series: [{ name: 'e', counts: [0, 0, 0] }],
    });
    expect(o.series[0].data).toEqual([0, 0, 0]);
  });
  it('needs one more edge than counts, increasing edges and non-negative counts', () => {
    expect(
      errorOf({ type: 'histogram', edges, series: [{ name: 'b', counts: [1, 2, 3, 4] }] }),
    ).toBe(
      'section 1 "S", block 2 (chart): series "b" has 4 counts but 4 edges make 3 bins; edges needs one more entry than counts',
    );
    expect(errorOf({ type: 'histogram', edges: [0, 2, 1], series: [] })).toMatch(
      /edges\[2\] = 1 is not above edges\[1\] = 2/,
    );
    expect(errorOf({ type: 'histogram', edges: [0], series: [] })).toMatch(/at least 2/);
    expect(
      errorOf({ type: 'histogram', edges, series: [{ name: 'b', counts: [1, -1, 0] }] }),
    ).toMatch(/counts\[1\] is -1/);
  });
});

describe('parallel', () => {
  const dimensions = [
    { name: 'lr', type: 'log' as const },
    { name: 'opt', type: 'category' as const },
    { name: 'loss' },
  ];
  it('makes one axis per dimension and colours lines by the last dimension', () => {
    const o = compile({
      type: 'parallel',
      dimensions,
      rows: [
        [0.001, 'adam', 0.3],
        [0.05, 'sgd', 0.5],
        [0.01, 'adam', Number.NaN],
      ],
    });
    expect(o.parallelAxis).toHaveLength(3);
    expect(o.parallelAxis[0]).toMatchObject({
      dim: 0,
      name: 'lr',
      type: 'log',
      min: 0.001,
      max: 0.1,
    });
    expect(o.parallelAxis[1]).toMatchObject({ type: 'category', data: ['adam', 'sgd'] });
    expect(o.series[0].data[2]).toEqual([0.01, 'adam', null]);
    expect(o.visualMap).toMatchObject({ dimension: 2, min: 0.3, max: 0.5 });
  });
  it('rejects ragged rows, unknown categories and an unknown colorBy', () => {
    expect(errorOf({ type: 'parallel', dimensions, rows: [[1, 'adam']] })).toMatch(
      /rows\[0\] has 2 values for 3 dimensions/,
    );
    expect(
      errorOf({
        type: 'parallel',
        dimensions: [{ name: 'o', type: 'category', categories: ['a'] }, { name: 'y' }],
        rows: [['b', 1]],
      }),
    ).toMatch(/"b", which is not among its categories/);
    expect(errorOf({ type: 'parallel', dimensions, rows: [], colorBy: 'nope' })).toMatch(
      /colorBy "nope" names no dimension/,
    );
    expect(
      errorOf({
        type: 'parallel',
        dimensions: [{ name: 'x' }, { name: 'y' }],
        rows: [['text', 1]],
      }),
    ).toMatch(/declare the dimension as type 'category'/);
  });
});

describe('heatmap', () => {
  it('emits [x, y, value] cells, skips gaps and scales colours to the data', () => {
    const o = compile({
      type: 'heatmap',
      x: ['a', 'b'],
      y: ['r1', 'r2'],
      values: [
        [1, null],
        [3, 4],
      ],
    });
    expect(o.series[0].data).toEqual([
      [0, 0, 1],
      [0, 1, 3],
      [1, 1, 4],
    ]);
    expect(o.visualMap).toMatchObject({ min: 1, max: 4, precision: 0 });
    expect(o.series[0].label.show).toBe(true);
  });
  it('needs a full matrix', () => {
    expect(errorOf({ type: 'heatmap', x: ['a'], y: ['r1', 'r2'], values: [[1]] })).toMatch(
      /1 rows for 2 y labels/,
    );
    expect(errorOf({ type: 'heatmap', x: ['a', 'b'], y: ['r1'], values: [[1]] })).toMatch(
      /values\[0\] has 1 cells for 2 x labels/,
    );
  });
});

describe('raw echarts option', () => {
  it('passes through, taking the shared look unless it sets it', () => {
    const o = compile({ type: 'echarts', option: { series: [{ type: 'pie' }], animation: true } });
    expect(o.series).toEqual([{ type: 'pie' }]);
    expect(o.animation).toBe(true);
    expect(o.color).toHaveLength(10);
  });
});

it('rejects unknown chart types coming from JSON', () => {
  expect(errorOf({ type: 'pie' } as unknown as ChartSpec)).toMatch(/unknown chart type "pie"/);
});
