// Messages between the ONNX worker pool (pool.ts) and its worker threads (worker.ts).
import type { Datatype, TensorArray } from '../tensor.js';
import type { TensorSpec } from '../model.js';

/** A tensor on the wire; `data`'s buffer is transferred, not copied. */
export interface WireTensor {
  readonly name: string;
  readonly datatype: Datatype;
  readonly shape: readonly number[];
  readonly data: TensorArray;
}

/** Main thread -> worker. */
export type PoolRequest =
  | { t: 'load'; id: number; key: string; path: string; intraOpThreads: number }
  | { t: 'run'; id: number; key: string; inputs: WireTensor[]; outputs: string[] | null }
  | { t: 'unload'; id: number; key: string };

/** Worker -> main thread. */
export type PoolReply =
  | { t: 'loaded'; id: number; inputs: TensorSpec[]; outputs: TensorSpec[] }
  | { t: 'result'; id: number; outputs: WireTensor[] }
  | { t: 'unloaded'; id: number }
  | {
      t: 'error';
      id: number;
      code: 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'INTERNAL';
      message: string;
    };
