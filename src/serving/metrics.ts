import { noopMetrics, type Metrics } from '../core/metrics.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/** The serving engine's Prometheus metrics, labelled by model and version. */
export function servingMetrics(m: Metrics = noopMetrics) {
  const mv = ['model', 'version'];
  return {
    requests: m.counter({
      name: 'mortar_serving_requests_total',
      help: 'inference requests answered, by model, version and status (ok or an error code)',
      labelNames: [...mv, 'status'],
    }),
    latency: m.histogram({
      name: 'mortar_serving_request_duration_seconds',
      help: 'inference latency inside the engine (queue + batch + model), seconds',
      labelNames: mv,
      buckets: LATENCY_BUCKETS,
    }),
    batchSize: m.histogram({
      name: 'mortar_serving_batch_size',
      help: 'rows per model call',
      labelNames: mv,
      buckets: BATCH_BUCKETS,
    }),
    batchSeconds: m.histogram({
      name: 'mortar_serving_batch_duration_seconds',
      help: 'model time per batch, seconds',
      labelNames: mv,
      buckets: LATENCY_BUCKETS,
    }),
    queueRows: m.gauge({
      name: 'mortar_serving_queue_rows',
      help: 'rows waiting to be batched',
      labelNames: mv,
    }),
    cacheHits: m.counter({
      name: 'mortar_serving_cache_hits_total',
      help: 'predictions answered from the cache',
      labelNames: mv,
    }),
    cacheMisses: m.counter({
      name: 'mortar_serving_cache_misses_total',
      help: 'cache lookups that missed',
      labelNames: mv,
    }),
    cacheHitRate: m.gauge({
      name: 'mortar_serving_cache_hit_ratio',
      help: 'hits / lookups of the prediction cache since start',
    }),
    ready: m.gauge({
      name: 'mortar_serving_model_ready',
      help: '1 when the model version is loaded and serving, else 0',
      labelNames: mv,
    }),
    banditWeight: m.gauge({
      name: 'mortar_serving_bandit_weight',
      help: 'selection weight of each member of a selection model',
      labelNames: ['model', 'member'],
    }),
    feedback: m.counter({
      name: 'mortar_serving_feedback_total',
      help: 'feedback records applied to selection models',
      labelNames: ['model'],
    }),
  };
}

/** The metric handles of {@link servingMetrics}. */
export type ServingMetrics = ReturnType<typeof servingMetrics>;
