import { MortarError } from '../../core/errors.js';
import type { ModelLoader } from '../engine.js';
import type { InferOptions, Model, ModelSignature } from '../model.js';
import type { TensorMap } from '../tensor.js';
import type { OnnxPool } from './pool.js';

let loads = 0;

/**
 * An ONNX model served by an {@link OnnxPool}: the session lives in every worker of the pool.
 * Build it with {@link loadOnnxModel}.
 */
export class OnnxModel implements Model {
  private closed = false;
  private inFlight = 0;
  private drained: (() => void) | undefined;

  /** @internal use {@link loadOnnxModel}. */
  constructor(
    private readonly pool: OnnxPool,
    private readonly key: string,
    readonly signature: ModelSignature,
  ) {}

  async infer(inputs: TensorMap, opts: InferOptions = {}): Promise<TensorMap> {
    if (this.closed) {
      throw new MortarError('FAILED_PRECONDITION', `model ${this.key} is closed`);
    }
    for (const spec of this.signature.inputs) {
      if (!inputs[spec.name]) {
        throw new MortarError('INVALID_ARGUMENT', `input "${spec.name}" is missing`, {
          details: { input: spec.name },
        });
      }
    }
    this.inFlight++;
    try {
      const wire = Object.entries(inputs).map(([name, t]) => ({ name, ...t }));
      const out = await this.pool.run(this.key, wire, opts.outputs ? [...opts.outputs] : null);
      const result: Record<string, TensorMap[string]> = {};
      for (const t of out) result[t.name] = { datatype: t.datatype, shape: t.shape, data: t.data };
      return result;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inFlight > 0) await new Promise<void>((r) => (this.drained = r));
    await this.pool.unload(this.key);
  }
}

/**
 * Loads the ONNX file at `path` into every worker of `pool`. A file that onnxruntime cannot load
 * rejects with DATA_INVALID naming the file and onnxruntime's reason.
 * @example const m = await loadOnnxModel(pool, 'repo/mlp/1/model.onnx');
 */
export async function loadOnnxModel(pool: OnnxPool, path: string): Promise<OnnxModel> {
  const key = `${path}#${++loads}`;
  try {
    const { inputs, outputs } = await pool.load(key, path);
    return new OnnxModel(pool, key, { inputs, outputs, platform: 'onnxruntime_onnx' });
  } catch (e) {
    // Drop whatever workers did load.
    await pool.unload(key).catch(() => undefined);
    throw new MortarError(
      'DATA_INVALID',
      `${path}: onnxruntime could not load the model (${(e as Error).message}); check that the file is a valid ONNX model`,
      { details: { file: path }, cause: e },
    );
  }
}

/**
 * The {@link ModelLoader} of a repository served by `pool`: loads `<version>/model.onnx`.
 * @example const engine = await ServingEngine.open({ root, loader: onnxLoader(pool), concurrency: pool.size });
 */
export function onnxLoader(pool: OnnxPool): ModelLoader {
  return (src) => loadOnnxModel(pool, src.modelPath);
}
