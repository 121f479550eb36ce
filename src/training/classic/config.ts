import type { z } from 'zod';
import { MortarError } from '../../core/errors.js';

/**
 * Parses a model config with its zod schema; the first issue becomes an INVALID_CONFIG error
 * naming the model kind and the parameter path.
 */
export function parseConfig<T>(kind: string, schema: z.ZodType<T>, config: unknown): T {
  const r = schema.safeParse(config ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue?.path.join('.') || 'config';
    throw new MortarError(
      'INVALID_CONFIG',
      `${kind}: ${path}: ${issue?.message ?? 'invalid'} (fix the config or the --config file)`,
      {
        details: {
          kind,
          issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
    );
  }
  return r.data;
}
