/** A small fluent way to assemble a {@link Report}; plain object literals work just as well. */
import type {
  BarChart,
  Block,
  CellValue,
  ChartSpec,
  HeatmapChart,
  HistogramChart,
  KvItem,
  LineChart,
  ParallelChart,
  RawEChart,
  Report,
  ScatterChart,
  Section,
  Severity,
  TableBlock,
} from './model.js';
import { renderReport, type RenderOptions } from './render.js';
import { writeReport } from './write.js';

/** The frame around a chart: title, caption and height (see {@link ChartBlock}). */
export interface ChartFrame {
  readonly title?: string;
  readonly caption?: string;
  readonly height?: number;
}

/** A chart spec without its `type`, plus its frame: the argument of the chart shortcuts. */
export type ChartArgs<C extends ChartSpec> = Omit<C, 'type'> & ChartFrame;

/** Adds blocks to a section (or to a grid inside one). Every method returns the builder. */
export class BlocksBuilder {
  /** The blocks added so far, in order. */
  readonly blocks: Block[] = [];

  /** Adds any block as is. */
  add(block: Block): this {
    this.blocks.push(block);
    return this;
  }

  /** A sub-heading (level 3 by default). */
  heading(text: string, level: 3 | 4 = 3): this {
    return this.add({ kind: 'heading', text, level });
  }

  /** Paragraphs of plain text; with `severity`, a callout box. */
  text(text: string, severity?: Severity): this {
    return this.add(
      severity === undefined ? { kind: 'text', text } : { kind: 'text', text, severity },
    );
  }

  /** Summary cards, from `{ label: value }` (in key order) or a list of {@link KvItem}. */
  kv(items: Readonly<Record<string, CellValue>> | readonly KvItem[]): this {
    const list = Array.isArray(items)
      ? (items as readonly KvItem[])
      : Object.entries(items as Readonly<Record<string, CellValue>>).map(([label, value]) => ({
          label,
          value,
        }));
    return this.add({ kind: 'kv', items: list });
  }

  /** A table; see {@link TableBlock}. */
  table(table: Omit<TableBlock, 'kind'>): this {
    return this.add({ kind: 'table', ...table });
  }

  /** Any chart spec with an optional frame. */
  chart(chart: ChartSpec, frame: ChartFrame = {}): this {
    return this.add({ kind: 'chart', chart, ...frame });
  }

  /** A line chart (loss curves, optimization history). */
  line(args: ChartArgs<LineChart>): this {
    return this.shortcut('line', args);
  }

  /** A scatter chart (trials, Pareto fronts). */
  scatter(args: ChartArgs<ScatterChart>): this {
    return this.shortcut('scatter', args);
  }

  /** A bar chart (parameter importance, counts per category). */
  bar(args: ChartArgs<BarChart>): this {
    return this.shortcut('bar', args);
  }

  /** A pre-binned histogram, several series side by side (batch vs reference). */
  histogram(args: ChartArgs<HistogramChart>): this {
    return this.shortcut('histogram', args);
  }

  /** Parallel coordinates (one line per trial). */
  parallel(args: ChartArgs<ParallelChart>): this {
    return this.shortcut('parallel', args);
  }

  /** A heatmap (confusion matrix, correlations). */
  heatmap(args: ChartArgs<HeatmapChart>): this {
    return this.shortcut('heatmap', args);
  }

  /** A raw ECharts option, passed through. */
  echarts(option: RawEChart['option'], frame: ChartFrame = {}): this {
    return this.chart({ type: 'echarts', option }, frame);
  }

  /** Blocks side by side in `columns` columns. */
  grid(columns: 2 | 3 | 4, fill: (g: BlocksBuilder) => unknown): this {
    const g = new BlocksBuilder();
    fill(g);
    return this.add({ kind: 'grid', columns, blocks: g.blocks });
  }

  private shortcut<T extends ChartSpec['type']>(
    type: T,
    args: ChartArgs<Extract<ChartSpec, { type: T }>>,
  ): this {
    const { title, caption, height, ...rest } = args as ChartFrame & Record<string, unknown>;
    const frame: ChartFrame = {
      ...(title === undefined ? {} : { title }),
      ...(caption === undefined ? {} : { caption }),
      ...(height === undefined ? {} : { height }),
    };
    return this.chart({ type, ...rest } as unknown as ChartSpec, frame);
  }
}

/** Builds a {@link Report} section by section. */
export class ReportBuilder {
  private readonly sections: Section[] = [];

  constructor(
    private readonly title: string,
    private readonly meta: { readonly subtitle?: string; readonly generatedAt?: string } = {},
  ) {}

  /** Adds a section; `fill` adds its blocks. */
  section(title: string, fill: (s: BlocksBuilder) => unknown, description?: string): this {
    const s = new BlocksBuilder();
    fill(s);
    this.sections.push(
      description === undefined
        ? { title, blocks: s.blocks }
        : { title, description, blocks: s.blocks },
    );
    return this;
  }

  /** The report as a plain, JSON-safe object (a snapshot; later changes to the builder do not affect it). */
  build(): Report {
    return structuredClone({ title: this.title, ...this.meta, sections: this.sections });
  }

  /** Shorthand for `renderReport(this.build(), options)`. */
  render(options?: RenderOptions): string {
    return renderReport(this.build(), options);
  }

  /** Shorthand for `writeReport(path, this.build(), options)`. */
  write(path: string, options?: RenderOptions): Promise<string> {
    return writeReport(path, this.build(), options);
  }
}

/**
 * Starts a report.
 *
 * @example
 * await report('Validation: flights.csv', { generatedAt: clock.now().toISOString() })
 *   .section('Summary', (s) => s.kv({ rows: 10_000, anomalies: 2 }))
 *   .section('Distributions', (s) =>
 *     s.histogram({ title: 'delay', edges: [0, 10, 20, 30], normalize: 'probability',
 *       series: [{ name: 'batch', counts: [5, 3, 1] }, { name: 'reference', counts: [50, 40, 20] }] }),
 *   )
 *   .write('.mortar/reports/validation.html');
 */
export function report(
  title: string,
  meta: { subtitle?: string; generatedAt?: string } = {},
): ReportBuilder {
  return new ReportBuilder(title, meta);
}
