/**
 * The report model: a declarative, JSON-safe description of a report. Subsystems build one of
 * these (by hand or with {@link report}) and {@link renderReport} turns it into a self-contained
 * HTML document. Nothing here holds functions, dates or class instances, so a report can be
 * stored, sent over HTTP and rendered later.
 *
 * Blocks are discriminated by `kind`; charts by `type` (mirroring ECharts' `series.type`).
 * Non-finite numbers in chart data become gaps (JSON has no NaN); in tables they print as text.
 */
import type { JsonObject } from '../json.js';

/** How loud a highlighted row, card or callout is. */
export type Severity = 'info' | 'warning' | 'error';

/** A whole report: a title and its sections, in order. */
export interface Report {
  readonly title: string;
  readonly subtitle?: string;
  /** When the report was made, shown as given (pass an ISO string; rendering never reads a clock). */
  readonly generatedAt?: string;
  readonly sections: readonly Section[];
}

/** A titled part of a report; the table of contents lists sections. */
export interface Section {
  readonly title: string;
  /** Plain text under the section title; blank lines separate paragraphs. */
  readonly description?: string;
  readonly blocks: readonly Block[];
}

/** Anything a section can hold. */
export type Block = HeadingBlock | TextBlock | KvBlock | TableBlock | ChartBlock | GridBlock;

/** A sub-heading inside a section (sections themselves are level 2). */
export interface HeadingBlock {
  readonly kind: 'heading';
  readonly text: string;
  /** 3 (default) or 4. */
  readonly level?: 3 | 4;
}

/** Plain text, HTML-escaped; blank lines separate paragraphs. With `severity` it shows as a callout. */
export interface TextBlock {
  readonly kind: 'text';
  readonly text: string;
  readonly severity?: Severity;
}

/** One summary card. */
export interface KvItem {
  readonly label: string;
  readonly value: CellValue;
  /** A small line under the value (unit, comparison, explanation). */
  readonly hint?: string;
  readonly severity?: Severity;
  /** How to print a numeric value; default `auto`. */
  readonly format?: NumberFormat;
}

/** Key/value summary cards (row counts, best value, anomaly count...). */
export interface KvBlock {
  readonly kind: 'kv';
  readonly items: readonly KvItem[];
}

/** A table cell value; `null` prints as an em dash. */
export type CellValue = string | number | boolean | null;

/**
 * How numbers print. `auto`: integers with thousands separators, others with 4 significant
 * digits (exponent form below 1e-3 or from 1e9); `fixed`: `digits` decimals (default 2);
 * `percent`: the value times 100 with `digits` decimals (default 1); `scientific`: exponent form
 * with `digits` decimals (default 3); `integer`: rounded, with separators; `raw`: `String(value)`.
 */
export type NumberFormat = 'auto' | 'integer' | 'fixed' | 'percent' | 'scientific' | 'raw';

/** One table column; `key` picks the value out of each row. */
export interface TableColumn {
  readonly key: string;
  /** Header text; defaults to `key`. */
  readonly label?: string;
  /** Defaults to `right` when every value in the column is a number, else `left`. */
  readonly align?: 'left' | 'right' | 'center';
  readonly format?: NumberFormat;
  /** Decimals for `fixed`, `percent` and `scientific`; significant digits for `auto`. */
  readonly digits?: number;
}

/** A table row: column key to value. Missing keys print as an em dash. */
export type TableRow = Readonly<Record<string, CellValue>>;

/** A table; click a header in the rendered report to sort by that column. */
export interface TableBlock {
  readonly kind: 'table';
  readonly title?: string;
  readonly caption?: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
  /** Per-row highlight, aligned with `rows` (`null` for none); may be shorter than `rows`. */
  readonly severity?: readonly (Severity | null)[];
}

/** A chart with an optional title and caption around it. */
export interface ChartBlock {
  readonly kind: 'chart';
  readonly title?: string;
  readonly caption?: string;
  /** Height in CSS pixels; default 320. */
  readonly height?: number;
  readonly chart: ChartSpec;
}

/** Blocks laid out side by side in `columns` columns (they wrap to one column on narrow screens). */
export interface GridBlock {
  readonly kind: 'grid';
  /** 2 (default), 3 or 4. */
  readonly columns?: 2 | 3 | 4;
  readonly blocks: readonly Block[];
}

/** A high-level chart description, compiled to ECharts options by {@link chartOption}. */
export type ChartSpec =
  LineChart | ScatterChart | BarChart | HistogramChart | ParallelChart | HeatmapChart | RawEChart;

/** An axis of a line or scatter chart. */
export interface Axis {
  readonly label?: string;
  /** `value` (default), `log`, `time` (epoch milliseconds or ISO strings) or `category`. */
  readonly type?: 'value' | 'log' | 'time' | 'category';
  readonly min?: number;
  readonly max?: number;
}

/** One series of x/y points; `x` and `y` must have the same length. */
export interface XYSeries {
  readonly name: string;
  readonly x: readonly (number | string)[];
  readonly y: readonly (number | null)[];
  /** Draw this series as a line or as points; defaults to the chart's type. */
  readonly as?: 'line' | 'scatter';
}

/** Lines over x (loss curves, optimization history). */
export interface LineChart {
  readonly type: 'line';
  readonly x?: Axis;
  readonly y?: Axis;
  readonly series: readonly XYSeries[];
  /** Step lines (e.g. best value so far). */
  readonly step?: boolean;
  readonly smooth?: boolean;
}

/** Points (trials, Pareto fronts); a series with `as: 'line'` is drawn joined. */
export interface ScatterChart {
  readonly type: 'scatter';
  readonly x?: Axis;
  readonly y?: Axis;
  readonly series: readonly XYSeries[];
}

/** Bars over named categories (parameter importance, counts per label). */
export interface BarChart {
  readonly type: 'bar';
  readonly categories: readonly string[];
  /** Each series has one value per category. */
  readonly series: readonly {
    readonly name: string;
    readonly values: readonly (number | null)[];
  }[];
  /** Bars grow to the right, categories read top to bottom. */
  readonly horizontal?: boolean;
  readonly stacked?: boolean;
  readonly valueLabel?: string;
}

/**
 * A pre-binned histogram: `edges` has one more entry than each series' `counts`. Several series
 * (e.g. batch and reference) share the edges and are drawn side by side.
 */
export interface HistogramChart {
  readonly type: 'histogram';
  readonly edges: readonly number[];
  readonly series: readonly { readonly name: string; readonly counts: readonly number[] }[];
  /**
   * `count` (default); `probability`: each series divided by its total, so series of different
   * sizes compare; `density`: probability divided by bin width.
   */
  readonly normalize?: 'count' | 'probability' | 'density';
  readonly xLabel?: string;
}

/** One axis of a parallel-coordinates chart. */
export interface ParallelDimension {
  readonly name: string;
  /** `value` (default), `log`, or `category` (values are strings). */
  readonly type?: 'value' | 'log' | 'category';
  /** For `category`: the order of categories; default: order of first appearance. */
  readonly categories?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

/** Parallel coordinates: one line per row (e.g. one per trial), coloured by a dimension. */
export interface ParallelChart {
  readonly type: 'parallel';
  readonly dimensions: readonly ParallelDimension[];
  /** One value per dimension per row. */
  readonly rows: readonly (readonly (number | string | null)[])[];
  /** Name of the dimension that colours the lines (e.g. the objective); default: the last one. */
  readonly colorBy?: string;
}

/** A matrix of values (confusion matrix, correlations, LF overlaps). */
export interface HeatmapChart {
  readonly type: 'heatmap';
  readonly x: readonly string[];
  readonly y: readonly string[];
  /** `values[i][j]` is the cell at row `y[i]`, column `x[j]`. */
  readonly values: readonly (readonly (number | null)[])[];
  /** Print values in the cells (default: when there are at most 400 cells). */
  readonly showValues?: boolean;
}

/** Escape hatch: a raw ECharts option, passed through (it gets Mortar's palette, font and no animation unless it sets them). */
export interface RawEChart {
  readonly type: 'echarts';
  readonly option: JsonObject;
}
