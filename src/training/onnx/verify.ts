import { MortarError } from '../../core/errors.js';
import type * as OrtNs from 'onnxruntime-node';
import type { Sequential } from '../nn/sequential.js';

type OrtModule = typeof OrtNs;

/** What {@link verifyOnnx} found. */
export interface OnnxVerification {
  /** Largest |onnxruntime - Mortar| over every output value. */
  readonly maxAbsDiff: number;
  readonly samples: number;
  readonly ok: boolean;
  readonly tolerance: number;
}

/**
 * Runs the exported bytes in onnxruntime-node on `x` (n samples) and compares the `output`
 * tensor with Mortar's own forward; `ok` when every value agrees within `tolerance` (default
 * 1e-4, absolute + relative). onnxruntime-node is imported lazily (a native dependency).
 */
export async function verifyOnnx(
  bytes: Uint8Array,
  net: Sequential,
  x: Float32Array,
  n: number,
  tolerance = 1e-4,
): Promise<OnnxVerification> {
  let ort: OrtModule;
  try {
    ort = await import('onnxruntime-node');
  } catch (cause) {
    throw new MortarError(
      'DEPENDENCY_MISSING',
      'verifying ONNX needs onnxruntime-node (npm install onnxruntime-node)',
      { cause },
    );
  }
  const session = await ort.InferenceSession.create(bytes);
  try {
    const input = new ort.Tensor('float32', x, [n, ...net.inputShape]);
    const result = await session.run({ input });
    const got = result['output']?.data as Float32Array | undefined;
    if (!got) throw new MortarError('INTERNAL', 'the ONNX model produced no "output"');
    const want = net.predict(x, n);
    if (got.length !== want.length)
      throw new MortarError(
        'INTERNAL',
        `ONNX output has ${got.length} values, Mortar's ${want.length}`,
      );
    let worst = 0;
    let ok = true;
    for (let i = 0; i < got.length; i++) {
      const d = Math.abs((got[i] as number) - (want[i] as number));
      worst = Math.max(worst, d);
      if (!(d <= tolerance * (1 + Math.abs(want[i] as number)))) ok = false;
    }
    return { maxAbsDiff: worst, samples: n, ok, tolerance };
  } finally {
    await session.release();
  }
}
