import { MortarError } from '../../core/errors.js';
import type { z } from 'zod';

/** `[2,3]` for messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Throws INVALID_ARGUMENT `layer: message`. */
export function layerError(
  layer: string,
  message: string,
  details: Record<string, unknown> = {},
): never {
  throw new MortarError('INVALID_ARGUMENT', `${layer}: ${message}`, {
    details: { layer, ...details },
  });
}

/** Checks that a batched tensor's per-sample shape equals `want`. */
export function expectSample(
  layer: string,
  name: string,
  shape: readonly number[],
  want: readonly number[],
): void {
  const got = shape.slice(1);
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    layerError(
      layer,
      `${name} has shape ${fmtShape(shape)}, expected [batch,${want.join(',')}] (per sample ${fmtShape(want)})`,
      { [name]: shape, expected: want },
    );
  }
}

/** Parses a layer/loss/optimizer config with its zod schema; INVALID_CONFIG names the kind and field. */
export function parseConfig<T>(what: string, schema: z.ZodType<T>, config: unknown): T {
  const r = schema.safeParse(config ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length ? ` at "${issue.path.map(String).join('.')}"` : '';
  throw new MortarError(
    'INVALID_CONFIG',
    `${what} config${where}: ${issue?.message ?? 'invalid'}`,
    {
      details: { what },
    },
  );
}
