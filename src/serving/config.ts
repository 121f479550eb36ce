import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MortarError } from '../core/errors.js';
import { AdaptiveBatchingSchema } from './batching/adaptive.js';
import { DynamicBatchingSchema } from './batching/dynamic.js';
import { DATATYPES } from './tensor.js';

const TensorSpecSchema = z
  .object({
    name: z.string().min(1),
    datatype: z.enum(DATATYPES),
    shape: z.array(z.number().int().min(-1)),
  })
  .strict();

/** How a model's requests are batched (`none` = one request per model call). */
export const BatchingConfigSchema = z.discriminatedUnion('kind', [
  DynamicBatchingSchema.extend({ kind: z.literal('dynamic') }),
  AdaptiveBatchingSchema.extend({ kind: z.literal('adaptive') }),
  z.object({ kind: z.literal('none') }).strict(),
]);

/** Which versions of a model are served. */
export const VersionPolicySchema = z.union([
  z.literal('all'),
  z.object({ latest: z.number().int().min(1) }).strict(),
  z.object({ specific: z.array(z.number().int().min(1)).min(1) }).strict(),
]);

/** Several models behind one name, chosen or combined by a bandit. */
export const SelectionConfigSchema = z
  .object({
    /** exp3 | exp4 | epsilon-greedy | ucb | split */
    kind: z.string().min(1),
    /** Member models: `name` (its latest version) or `name@version`. */
    members: z.array(z.string().regex(/^[^@\s]+(@\d+)?$/)).min(1),
    /** The policy's own settings (gamma, eta, epsilon, c, percent). */
    config: z.record(z.string(), z.unknown()).default({}),
    /** Seed of the selection's random choices. */
    seed: z.number().int().default(0),
  })
  .strict();

/**
 * `model.json`: optional, at `<repo>/<model>/model.json` (every version) and/or
 * `<repo>/<model>/<version>/model.json` (that version; its keys win).
 */
export const ModelConfigSchema = z
  .object({
    description: z.string().optional(),
    /** Declared inputs/outputs; default: read from the ONNX file. */
    inputs: z.array(TensorSpecSchema).optional(),
    outputs: z.array(TensorSpecSchema).optional(),
    batching: BatchingConfigSchema.optional(),
    /** The latency objective, ms: adaptive batching's target and an ensemble's answer deadline. */
    latencyObjectiveMs: z.number().positive().max(600_000).optional(),
    /** Default request deadline, ms (a request's `timeout_ms` parameter overrides it). */
    timeoutMs: z.number().positive().max(3_600_000).optional(),
    /** Rows allowed to wait per version before requests are refused with 429. */
    maxQueueRows: z.number().int().min(1).max(1_000_000).optional(),
    versionPolicy: VersionPolicySchema.optional(),
    /** Cache predictions of this model (default true). */
    cache: z.boolean().optional(),
    selection: SelectionConfigSchema.optional(),
  })
  .strict();

/** A parsed `model.json`. */
export type ModelConfig = z.output<typeof ModelConfigSchema>;
/** A version policy. */
export type VersionPolicy = z.output<typeof VersionPolicySchema>;
/** A batching config. */
export type BatchingConfig = z.output<typeof BatchingConfigSchema>;
/** A selection config. */
export type SelectionConfig = z.output<typeof SelectionConfigSchema>;

/** Defaults applied to every model unless its model.json says otherwise. */
export interface ModelDefaults {
  readonly batching: BatchingConfig;
  readonly latencyObjectiveMs: number;
  readonly timeoutMs: number;
  readonly maxQueueRows: number;
  readonly versionPolicy: VersionPolicy;
}

/** Mortar's serving defaults: dynamic batching up to 64 rows, 50 ms objective, 1 s timeout. */
export const MODEL_DEFAULTS: ModelDefaults = {
  batching: { kind: 'dynamic', maxBatchSize: 64, maxQueueDelayMs: 0, preferredBatchSizes: [] },
  latencyObjectiveMs: 50,
  timeoutMs: 1000,
  maxQueueRows: 1024,
  versionPolicy: { latest: 1 },
};

/** Reads and validates a model.json; a bad file is INVALID_CONFIG naming the file and field. */
export function readModelConfig(path: string): ModelConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new MortarError(
      'INVALID_CONFIG',
      `${path}: not valid JSON (${(e as Error).message}); fix the file or remove it`,
      { details: { file: path }, cause: e },
    );
  }
  const r = ModelConfigSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new MortarError('INVALID_CONFIG', `${path}: ${issues.join('; ')}`, {
      details: { file: path, issues },
    });
  }
  return r.data;
}
