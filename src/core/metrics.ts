import { Counter, Gauge, Histogram, Registry as PromRegistry } from 'prom-client';

/** Label values of one metric sample. */
export type Labels = Readonly<Record<string, string | number>>;

/** A monotonically increasing count. */
export interface CounterMetric {
  inc(labels?: Labels, value?: number): void;
}
/** A value that goes up and down. */
export interface GaugeMetric {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, value?: number): void;
  dec(labels?: Labels, value?: number): void;
}
/** A distribution of observations in buckets. */
export interface HistogramMetric {
  observe(value: number, labels?: Labels): void;
}

/** Options shared by every metric. */
export interface MetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

/**
 * Where metrics go. Injected into every layer; `noopMetrics` by default, Prometheus at the edges.
 * Asking twice for the same name returns the same metric.
 */
export interface Metrics {
  counter(opts: MetricOptions): CounterMetric;
  gauge(opts: MetricOptions): GaugeMetric;
  histogram(opts: MetricOptions & { readonly buckets?: readonly number[] }): HistogramMetric;
}

const noopMetric = { inc() {}, dec() {}, set() {}, observe() {} };

/** Metrics that record nothing. */
export const noopMetrics: Metrics = {
  counter: () => noopMetric,
  gauge: () => noopMetric,
  histogram: () => noopMetric,
};

/**
 * Prometheus metrics backed by prom-client, with their own registry.
 * @example const m = new PrometheusMetrics(); m.counter({ name: 'x_total', help: 'x' }).inc();
 * await m.render(); // Prometheus text format
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new PromRegistry();
  private readonly byName = new Map<string, unknown>();

  constructor(opts: { readonly defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) {
      void import('prom-client').then((p) => p.collectDefaultMetrics({ register: this.registry }));
    }
  }

  counter(opts: MetricOptions): CounterMetric {
    return this.once(opts.name, () => {
      const c = new Counter({ ...this.base(opts) });
      return { inc: (labels?: Labels, v = 1) => (labels ? c.inc(labels, v) : c.inc(v)) };
    });
  }

  gauge(opts: MetricOptions): GaugeMetric {
    return this.once(opts.name, () => {
      const g = new Gauge({ ...this.base(opts) });
      return {
        set: (v: number, labels?: Labels) => (labels ? g.set(labels, v) : g.set(v)),
        inc: (labels?: Labels, v = 1) => (labels ? g.inc(labels, v) : g.inc(v)),
        dec: (labels?: Labels, v = 1) => (labels ? g.dec(labels, v) : g.dec(v)),
      };
    });
  }

  histogram(opts: MetricOptions & { readonly buckets?: readonly number[] }): HistogramMetric {
    return this.once(opts.name, () => {
      const h = new Histogram({
        ...this.base(opts),
        ...(opts.buckets ? { buckets: [...opts.buckets] } : {}),
      });
      return {
        observe: (v: number, labels?: Labels) => (labels ? h.observe(labels, v) : h.observe(v)),
      };
    });
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link render}'s output. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private base(opts: MetricOptions) {
    return {
      name: opts.name,
      help: opts.help,
      labelNames: [...(opts.labelNames ?? [])],
      registers: [this.registry],
    };
  }

  private once<T>(name: string, make: () => T): T {
    const existing = this.byName.get(name);
    if (existing) return existing as T;
    const m = make();
    this.byName.set(name, m);
    return m;
  }
}
