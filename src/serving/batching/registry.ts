import { KindRegistry } from '../../core/registry.js';
import { AdaptiveBatching, type AdaptiveBatchingConfig } from './adaptive.js';
import { DynamicBatching, type DynamicBatchingConfig } from './dynamic.js';
import type { BatchPolicy } from './policy.js';

/** The batching policies by kind: `dynamic` (Triton-like) and `adaptive` (AIMD, Clipper-like). */
export const batchPolicies = new KindRegistry<BatchPolicy>('batching policy')
  .register('dynamic', (c) => new DynamicBatching(c as DynamicBatchingConfig))
  .register('adaptive', (c) => new AdaptiveBatching(c as AdaptiveBatchingConfig));
