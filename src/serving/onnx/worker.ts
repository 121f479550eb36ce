// A worker thread of the ONNX pool: holds onnxruntime sessions by key and runs them. Tensors
// arrive and leave as transferred ArrayBuffers. onnxruntime-node is imported on first load.
import { parentPort } from 'node:worker_threads';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { isMortarError } from '../../core/errors.js';
import { decodeWithHash } from '../kserve/decoder.js';
import type { TensorSpec } from '../model.js';
import type { Datatype, TensorArray } from '../tensor.js';
import type { PoolReply, PoolRequest, WireTensor } from './protocol.js';

type Ort = typeof OrtModule;

const port = parentPort;
if (!port) throw new Error('serving/onnx/worker.ts must run in a worker thread');

let ortPromise: Promise<Ort> | undefined;
const sessions = new Map<string, InferenceSession>();

const TO_ORT: Readonly<Record<Datatype, string>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  UINT16: 'uint16',
  UINT32: 'uint32',
  FP32: 'float32',
  FP64: 'float64',
};
const FROM_ORT = new Map<string, Datatype>(
  Object.entries(TO_ORT).map(([k, v]) => [v, k as Datatype]),
);

function post(msg: PoolReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

function spec(meta: unknown, fallbackName: string): TensorSpec | undefined {
  const m = meta as { name?: string; isTensor?: boolean; type?: string; shape?: unknown[] };
  if (m.isTensor === false) return undefined;
  const datatype = FROM_ORT.get(m.type ?? '');
  if (!datatype) return undefined;
  return {
    name: m.name ?? fallbackName,
    datatype,
    shape: (m.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
  };
}

async function load(m: Extract<PoolRequest, { t: 'load' }>): Promise<void> {
  ortPromise ??= import('onnxruntime-node');
  const ort = await ortPromise;
  const session = await ort.InferenceSession.create(m.path, {
    intraOpNumThreads: m.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const meta = session as unknown as { inputMetadata?: unknown[]; outputMetadata?: unknown[] };
  const fallback = (n: string): TensorSpec => ({ name: n, datatype: 'FP32', shape: [] });
  const inputs: TensorSpec[] = session.inputNames.map(
    (n, i) => spec(meta.inputMetadata?.[i] ?? { name: n }, n) ?? fallback(n),
  );
  const outputs: TensorSpec[] = session.outputNames.map(
    (n, i) => spec(meta.outputMetadata?.[i] ?? { name: n }, n) ?? fallback(n),
  );
  const old = sessions.get(m.key);
  sessions.set(m.key, session);
  if (old) await old.release();
  post({ t: 'loaded', id: m.id, inputs, outputs });
}

async function run(m: Extract<PoolRequest, { t: 'run' }>): Promise<void> {
  const session = sessions.get(m.key);
  if (!session) {
    post({ t: 'error', id: m.id, code: 'NOT_FOUND', message: `model ${m.key} is not loaded` });
    return;
  }
  const ort = await ortPromise!;
  const feeds: Record<string, OrtTensor> = {};
  for (const t of m.inputs) {
    feeds[t.name] = new ort.Tensor(
      TO_ORT[t.datatype] as 'float32',
      t.data as Float32Array,
      t.shape as number[],
    );
  }
  const result = m.outputs ? await session.run(feeds, m.outputs) : await session.run(feeds);
  const outputs: WireTensor[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const [name, value] of Object.entries(result)) {
    const datatype = FROM_ORT.get(value.type);
    if (!datatype) continue;
    let data = value.data as TensorArray;
    if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) {
      data = data.slice() as TensorArray;
    }
    outputs.push({ name, datatype, shape: [...value.dims], data });
    transfer.push(data.buffer as ArrayBuffer);
  }
  post({ t: 'result', id: m.id, outputs }, transfer);
}

// Decodes a KServe request body (JSON parsing off the HTTP thread); tensors go back transferred.
function decode(m: Extract<PoolRequest, { t: 'decode' }>): void {
  const req = decodeWithHash(m.body, m.headerLength ?? undefined, m.hash);
  const transfer = new Set<ArrayBuffer>();
  const inputs: WireTensor[] = Object.entries(req.inputs).map(([name, t]) => {
    transfer.add(t.data.buffer as ArrayBuffer);
    return { name, ...t };
  });
  post(
    {
      t: 'decoded',
      id: m.id,
      request: {
        ...(req.id === undefined ? {} : { id: req.id }),
        parameters: req.parameters,
        inputs,
        ...(req.outputs ? { outputs: req.outputs } : {}),
        binaryOutputs: req.binaryOutputs,
        ...(req.inputHash === undefined ? {} : { inputHash: req.inputHash }),
      },
    },
    [...transfer],
  );
}

port.on('message', (m: PoolRequest) => {
  if (m.t === 'decode') {
    try {
      decode(m);
    } catch (e) {
      if (isMortarError(e)) {
        post({ t: 'error', id: m.id, code: e.code, message: e.message, details: { ...e.details } });
      } else {
        post({ t: 'error', id: m.id, code: 'INTERNAL', message: (e as Error).message });
      }
    }
    return;
  }
  const work =
    m.t === 'load'
      ? load(m)
      : m.t === 'run'
        ? run(m)
        : (async () => {
            const s = sessions.get(m.key);
            sessions.delete(m.key);
            if (s) await s.release();
            post({ t: 'unloaded', id: m.id });
          })();
  work.catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    // onnxruntime reports bad feeds (shape, type, missing input) as plain errors.
    const code =
      m.t === 'run' && /input|shape|dimension|type|feed/i.test(message)
        ? 'INVALID_ARGUMENT'
        : 'INTERNAL';
    post({ t: 'error', id: m.id, code, message });
  });
});
