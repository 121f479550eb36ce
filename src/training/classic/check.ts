import { MortarError } from '../../core/errors.js';
import type { ClassicDataset, ClassicDatasetKind, ClassicFitOptions } from './types.js';

/** Throws INVALID_ARGUMENT unless `data` is of the kind the model takes. */
export function expectKind<K extends ClassicDatasetKind>(
  model: string,
  data: ClassicDataset,
  kind: K,
): asserts data is Extract<ClassicDataset, { kind: K }> {
  if (data?.kind !== kind) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${model} takes a "${kind}" dataset, got "${String(data?.kind)}"`,
      { details: { model, expected: kind, got: data?.kind ?? null } },
    );
  }
}

/** Throws INVALID_ARGUMENT when `length` differs from `want`, naming both. */
export function expectLength(what: string, length: number, want: number, wantWhat: string): void {
  if (length !== want) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${what} has ${length} entries but ${wantWhat} has ${want}; they must match`,
      { details: { what, length, expected: want } },
    );
  }
}

/** Throws a CANCELLED MortarError when `signal` has fired. */
export function checkAborted(signal: AbortSignal | undefined, model: string): void {
  if (signal?.aborted) {
    throw new MortarError('CANCELLED', `${model}: training was cancelled`, {
      cause: signal.reason,
    });
  }
}

/**
 * Runs the per-epoch bookkeeping: abort check, the `onEpoch` callback, and a yield to the event
 * loop (so progress bars redraw and signals are seen). Returns false when training should stop.
 */
export async function afterEpoch(
  model: string,
  epoch: number,
  metrics: Record<string, number>,
  options: ClassicFitOptions,
): Promise<boolean> {
  const go = options.onEpoch?.({ epoch, metrics });
  await new Promise<void>((resolve) => setImmediate(resolve));
  checkAborted(options.signal, model);
  return go !== false;
}
