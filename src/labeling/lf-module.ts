import { MortarError } from '../core/errors.js';
import type { LabelingFunction } from './types.js';

function isLf(v: unknown): v is LabelingFunction<unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { name?: unknown }).name === 'string' &&
    typeof (v as { label?: unknown }).label === 'function'
  );
}

/**
 * Picks the LF array out of an imported LF module: `exportName` if given, else `lfs`, else the
 * default export.
 * @throws INVALID_ARGUMENT naming the module when it exports no array of labeling functions.
 */
export function loadLfModuleExport(
  mod: Record<string, unknown>,
  path: string,
  exportName?: string,
): LabelingFunction<unknown>[] {
  const value = exportName !== undefined ? mod[exportName] : (mod['lfs'] ?? mod['default']);
  if (!Array.isArray(value) || value.length === 0) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${path}: expected ${exportName ? `an export "${exportName}"` : 'an export "lfs" (or a default export)'} holding a non-empty array of labelingFunction(...)s`,
      { details: { module: path, exportName: exportName ?? null } },
    );
  }
  value.forEach((v, j) => {
    if (!isLf(v)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `${path}: element #${j} of the LF array is not a labelingFunction(...) (needs name and label)`,
        {
          details: { module: path, index: j },
        },
      );
    }
  });
  return value as LabelingFunction<unknown>[];
}
