import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import type { Store } from '../../core/store/index.js';
import type { NamedWeights } from '../nn/sequential.js';
import type { Callback, EpochLogs, TrainingControl, TrainingSnapshot } from './callback.js';

/** The store collection holding training checkpoints (one doc per checkpoint name). */
export const CHECKPOINTS_COLLECTION = 'training-checkpoints';

/** Float32 values as base64 of their little-endian bytes. */
export function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** The inverse of {@link encodeFloats}; null when the text is not a whole number of floats. */
export function decodeFloats(text: string): Float32Array | null {
  const buf = Buffer.from(text, 'base64');
  if (buf.length % 4 !== 0) return null;
  const out = new Float32Array(buf.length / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

const Encoded = z
  .object({ name: z.string(), shape: z.array(z.number().int().min(0)), data: z.string() })
  .strict();
const SnapshotDoc = z
  .object({
    format: z.literal('mortar-checkpoint/1'),
    checksum: z.string(),
    epoch: z.number().int().min(0),
    weights: z.array(Encoded),
    optimizer: z
      .object({ step: z.number().int().min(0), slots: z.array(z.array(z.string())) })
      .strict(),
    rng: z
      .object({ shuffle: z.array(z.number()).length(4), dropout: z.array(z.number()).length(4) })
      .strict(),
    history: z.array(z.record(z.string(), z.number())),
  })
  .strict();

function checksumOf(doc: Omit<z.infer<typeof SnapshotDoc>, 'checksum'>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([doc.epoch, doc.weights, doc.optimizer, doc.rng, doc.history]));
  return h.digest('hex');
}

/** A snapshot as a JSON doc with a sha256 checksum over its content. */
export function encodeSnapshot(s: TrainingSnapshot): JsonObject {
  const body = {
    format: 'mortar-checkpoint/1' as const,
    epoch: s.epoch,
    weights: s.weights.map((w) => ({
      name: w.name,
      shape: [...w.shape],
      data: encodeFloats(w.values),
    })),
    optimizer: {
      step: s.optimizer.step,
      slots: s.optimizer.slots.map((arr) => arr.map(encodeFloats)),
    },
    rng: { shuffle: [...s.rng.shuffle], dropout: [...s.rng.dropout] },
    history: s.history.map((h) => ({ ...h })),
  };
  return { ...body, checksum: checksumOf(body) } as unknown as JsonObject;
}

/**
 * Decodes a checkpoint doc; any damage (schema, checksum, truncated arrays) is DATA_INVALID
 * naming the checkpoint (`where`) and what is wrong, never a silently wrong model.
 */
export function decodeSnapshot(value: unknown, where: string): TrainingSnapshot {
  const corrupt = (why: string): never => {
    throw new MortarError(
      'DATA_INVALID',
      `checkpoint ${where} is corrupt: ${why}; delete it and train again (or resume from an older one)`,
      {
        details: { checkpoint: where },
      },
    );
  };
  const parsed = SnapshotDoc.safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return corrupt(`${i?.path.join('.') || 'document'}: ${i?.message ?? 'malformed'}`);
  }
  const d = parsed.data;
  const { checksum, ...body } = d;
  if (checksumOf(body) !== checksum) corrupt('its checksum does not match its content');
  const weights: NamedWeights[] = d.weights.map((w) => {
    const values = decodeFloats(w.data);
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (!values || values.length !== size)
      corrupt(
        `weights "${w.name}" hold ${values?.length ?? 'a partial'} values, shape [${w.shape.join(',')}] needs ${size}`,
      );
    return { name: w.name, shape: w.shape, values: values as Float32Array };
  });
  const slots = d.optimizer.slots.map((arr) =>
    arr.map((t) => decodeFloats(t) ?? corrupt('an optimizer slot is not a whole number of floats')),
  );
  return {
    epoch: d.epoch,
    weights,
    optimizer: { step: d.optimizer.step, slots },
    rng: { shuffle: d.rng.shuffle, dropout: d.rng.dropout },
    history: d.history as unknown as EpochLogs[],
  };
}

/** Saves a snapshot under `name` (overwriting the previous checkpoint of that name). */
export async function saveCheckpoint(
  store: Store,
  name: string,
  snapshot: TrainingSnapshot,
): Promise<void> {
  await store.putDoc(CHECKPOINTS_COLLECTION, name, encodeSnapshot(snapshot));
}

/** Loads the checkpoint `name`: NOT_FOUND when missing, DATA_INVALID when corrupt. */
export async function loadCheckpoint(store: Store, name: string): Promise<TrainingSnapshot> {
  const doc = await store.getDoc(CHECKPOINTS_COLLECTION, name);
  if (!doc) {
    throw new MortarError('NOT_FOUND', `no checkpoint "${name}" in ${store.description}`, {
      details: { checkpoint: name },
    });
  }
  return decodeSnapshot(
    doc.value,
    `"${name}" (${CHECKPOINTS_COLLECTION}/${name} in ${store.description})`,
  );
}

/** Saves a checkpoint `name` in `store` every `every` epochs (default 1) and at the end. */
export function checkpointTo(store: Store, name: string, every = 1): Callback {
  let last = -1;
  const save = async (control: TrainingControl) => {
    const s = control.snapshot();
    if (s.epoch === last) return;
    last = s.epoch;
    await saveCheckpoint(store, name, s);
  };
  return {
    async onEpochEnd(logs, control) {
      if (logs.epoch % every === 0) await save(control);
    },
    onTrainEnd: (_h, control) => save(control),
  };
}
