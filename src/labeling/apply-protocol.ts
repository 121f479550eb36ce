import type { ErrorCode } from '../core/errors.js';
import type { ApplyFailures } from './types.js';

/** Main thread to worker. */
export type PoolRequest =
  | {
      t: 'init';
      module: string;
      exportName?: string;
      cardinality?: number;
      faultTolerant?: boolean;
    }
  | { t: 'apply'; id: number; points: unknown[]; startRow: number };

/** Worker to main thread. */
export type PoolReply =
  | { t: 'ready'; names: string[] }
  | {
      t: 'done';
      id: number;
      n: number;
      rowPtr: Int32Array;
      cols: Int32Array;
      labels: Int32Array;
      failures: ApplyFailures;
    }
  | { t: 'error'; id: number; code: ErrorCode; message: string; details: Record<string, unknown> };
