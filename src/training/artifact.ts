import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MortarError } from '../core/errors.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import type { Store } from '../core/store/index.js';
import type { NamedWeights } from './nn/sequential.js';
import { decodeFloats, encodeFloats } from './train/checkpoint.js';

/** Collection of model artifact docs (metadata, small). */
export const MODELS_COLLECTION = 'models';
/** Collection of model weight docs (large), one per model, same key. */
export const MODEL_WEIGHTS_COLLECTION = 'model-weights';

/**
 * A trained model as recorded in the store: `models/<id>` holds this metadata (what it is, how
 * its inputs and label are encoded, its metrics and the run that made it); `model-weights/<id>`
 * holds the learned values with a sha256 checksum. Both are plain JSON docs, so every store
 * backend (memory, SQLite, PostgreSQL) holds whole models and nothing lives outside the store.
 */
export const ModelArtifactSchema = z
  .object({
    format: z.literal('mortar-model/1'),
    id: z.string().min(1),
    /** `network` (Sequential on the tensor engine) or `classic` (typed-array models). */
    family: z.enum(['network', 'classic']),
    kind: z.string().min(1),
    task: z.string(),
    /** How raw columns become inputs and labels; family-specific JSON. */
    inputs: z.json(),
    /** The architecture/loss recipe (network) or null (classic models carry their own config). */
    recipe: z.json().nullable(),
    /** The resolved training config. */
    training: z.json(),
    metrics: z.record(z.string(), z.number()),
    runId: z.string().nullable(),
    createdAt: z.number(),
    trainRows: z.number().int().min(0),
    parameters: z.number().int().min(0),
  })
  .strict();
/** A stored model's metadata. */
export type ModelArtifact = Omit<
  z.infer<typeof ModelArtifactSchema>,
  'inputs' | 'recipe' | 'training'
> & {
  readonly inputs: JsonValue;
  readonly recipe: JsonValue | null;
  readonly training: JsonValue;
};

const WeightsDoc = z.union([
  z
    .object({
      format: z.literal('mortar-weights/1'),
      checksum: z.string(),
      weights: z.array(
        z
          .object({ name: z.string(), shape: z.array(z.number().int().min(0)), data: z.string() })
          .strict(),
      ),
    })
    .strict(),
  z
    .object({ format: z.literal('mortar-classic/1'), checksum: z.string(), model: z.json() })
    .strict(),
]);

/** Weights of a model: network tensors, or a classic model's JSON. */
export type ModelWeights =
  { readonly network: readonly NamedWeights[] } | { readonly classic: JsonValue };

const sha = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Records a model (metadata + weights). The id must be new (ALREADY_EXISTS otherwise). */
export async function saveModel(
  store: Store,
  artifact: ModelArtifact,
  weights: ModelWeights,
): Promise<void> {
  const parsed = ModelArtifactSchema.parse(artifact);
  let doc: JsonObject;
  if ('network' in weights) {
    const w = weights.network.map((x) => ({
      name: x.name,
      shape: [...x.shape],
      data: encodeFloats(x.values),
    }));
    doc = { format: 'mortar-weights/1', checksum: sha(w), weights: w };
  } else {
    doc = { format: 'mortar-classic/1', checksum: sha(weights.classic), model: weights.classic };
  }
  await store.putDoc(MODEL_WEIGHTS_COLLECTION, parsed.id, doc, { expectedVersion: 0 });
  await store.putDoc(MODELS_COLLECTION, parsed.id, parsed as unknown as JsonObject, {
    expectedVersion: 0,
  });
}

/** The model's metadata; NOT_FOUND naming `mortar models`-style listing when missing. */
export async function loadModelArtifact(store: Store, id: string): Promise<ModelArtifact> {
  const doc = await store.getDoc(MODELS_COLLECTION, id);
  if (!doc) {
    throw new MortarError(
      'NOT_FOUND',
      `no model "${id}" in ${store.description}; \`mortar runs list\` shows training runs (a model's id is its run's id)`,
      { details: { model: id } },
    );
  }
  const parsed = ModelArtifactSchema.safeParse(doc.value);
  if (!parsed.success) {
    throw new MortarError(
      'DATA_INVALID',
      `model ${id} in ${store.description} is corrupt: ${parsed.error.issues[0]?.message ?? 'malformed'}`,
      { details: { model: id } },
    );
  }
  return parsed.data as ModelArtifact;
}

/** The model's weights; DATA_INVALID when missing pieces or the checksum does not match. */
export async function loadModelWeights(store: Store, id: string): Promise<ModelWeights> {
  const doc = await store.getDoc(MODEL_WEIGHTS_COLLECTION, id);
  const corrupt = (why: string): never => {
    throw new MortarError(
      'DATA_INVALID',
      `weights of model ${id} in ${store.description} are corrupt: ${why}; train the model again`,
      { details: { model: id } },
    );
  };
  if (!doc) return corrupt('the weights document is missing');
  const parsed = WeightsDoc.safeParse(doc.value);
  if (!parsed.success) return corrupt(parsed.error.issues[0]?.message ?? 'malformed');
  const d = parsed.data;
  if (d.format === 'mortar-classic/1') {
    if (sha(d.model) !== d.checksum) corrupt('checksum mismatch');
    return { classic: d.model };
  }
  if (sha(d.weights) !== d.checksum) corrupt('checksum mismatch');
  return {
    network: d.weights.map((w) => {
      const values = decodeFloats(w.data);
      if (!values || values.length !== w.shape.reduce((a, b) => a * b, 1))
        corrupt(`"${w.name}" has the wrong number of values`);
      return { name: w.name, shape: w.shape, values: values as Float32Array };
    }),
  };
}

/** Every model's metadata, newest first. */
export async function listModels(store: Store, limit = 100): Promise<ModelArtifact[]> {
  const docs = await store.listDocs(MODELS_COLLECTION, { order: 'desc', limit });
  return docs.map((d) => ModelArtifactSchema.parse(d.value) as ModelArtifact);
}
