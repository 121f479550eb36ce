// Messages between the ONNX worker pool (pool.ts) and its worker threads (worker.ts).
import type { ErrorCode } from '../../core/errors.js';
import type { TensorSpec } from '../model.js';
import type { Datatype, TensorArray } from '../tensor.js';

/** A tensor on the wire; `data`'s buffer is transferred, not copied. */
export interface WireTensor {
  readonly name: string;
  readonly datatype: Datatype;
  readonly shape: readonly number[];
  readonly data: TensorArray;
}

/** A KServe request decoded by a worker (`InferRequest` with its inputs as a list). */
export interface WireRequest {
  readonly id?: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly inputs: WireTensor[];
  readonly outputs?: readonly { readonly name: string; readonly binary: boolean }[];
  readonly binaryOutputs: boolean;
  readonly inputHash?: string;
}

/** Main thread -> worker. */
export type PoolRequest =
  | { t: 'load'; id: number; key: string; path: string; intraOpThreads: number }
  | { t: 'run'; id: number; key: string; inputs: WireTensor[]; outputs: string[] | null }
  | { t: 'unload'; id: number; key: string }
  | { t: 'decode'; id: number; body: Uint8Array; headerLength: number | null; hash: boolean };

/** Worker -> main thread. */
export type PoolReply =
  | { t: 'loaded'; id: number; inputs: TensorSpec[]; outputs: TensorSpec[] }
  | { t: 'result'; id: number; outputs: WireTensor[] }
  | { t: 'decoded'; id: number; request: WireRequest }
  | { t: 'unloaded'; id: number }
  | {
      t: 'error';
      id: number;
      code: ErrorCode;
      message: string;
      details?: Record<string, unknown>;
    };
