/**
 * `mortar/serving`: a model server's engine — model repository with versions and hot reload,
 * batching policies (dynamic, SLO-adaptive AIMD), a prediction cache, model selection (Exp3,
 * Exp4, epsilon-greedy, UCB, splits) and the KServe V2 codec. ONNX models on worker threads come
 * from `mortar/serving/onnx` (onnxruntime-node is loaded only there).
 */
export * from './tensor.js';
export type { Model, ModelSignature, TensorSpec, InferOptions } from './model.js';
export * from './config.js';
export * from './repository.js';
export * from './cache.js';
export * from './validate.js';
export * from './engine.js';
export { servingMetrics, type ServingMetrics } from './metrics.js';
export type { BatchPolicy, BatchDecision, BatchOutcome, QueueView } from './batching/policy.js';
export {
  DynamicBatching,
  DynamicBatchingSchema,
  type DynamicBatchingConfig,
} from './batching/dynamic.js';
export {
  AdaptiveBatching,
  AdaptiveBatchingSchema,
  type AdaptiveBatchingConfig,
} from './batching/adaptive.js';
export { batchPolicies } from './batching/registry.js';
export { BatchQueue, type Queued, type PollResult } from './batching/queue.js';
export { BatchRunner, type BatchRunnerOptions } from './batching/runner.js';
export type { Bandit, Selection } from './selection/bandit.js';
export { Exp3 } from './selection/exp3.js';
export { Exp4 } from './selection/exp4.js';
export { EpsilonGreedy } from './selection/epsilon-greedy.js';
export { Ucb } from './selection/ucb.js';
export { Split } from './selection/split.js';
export { createBandit, BANDIT_KINDS } from './selection/registry.js';
export {
  Selector,
  combine,
  argmaxRows,
  type Feedback,
  type SelectionAnswer,
  type MemberAnswer,
} from './selection/selector.js';
export * from './kserve/codec.js';
export * from './kserve/decoder.js';
export { predictFile, type PredictFileOptions } from './offline.js';
