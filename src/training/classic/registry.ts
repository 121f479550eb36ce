import { MortarError } from '../../core/errors.js';
import { lasso } from './lasso.js';
import { lda } from './lda.js';
import { logisticRegression } from './logreg.js';
import { matrixFactorization } from './mf.js';
import type { ClassicModel, ClassicModelKind } from './types.js';

/**
 * Every classic model by kind: `mf`, `lasso`, `logreg`, `lda`. The uniform entry for the CLI:
 *
 * @example
 * const spec = classicModel('mf');
 * const model = await spec.fit(data, { epochs: 30, seed: 1 }, { onEpoch });
 * const stored = model.toJSON();          // JSON-safe
 * const again = restoreClassicModel(stored); // same predictions
 */
export const CLASSIC_MODELS: Readonly<Record<string, ClassicModelKind>> = Object.freeze({
  mf: matrixFactorization,
  lasso,
  logreg: logisticRegression,
  lda,
});

/** The kind named `kind`; INVALID_ARGUMENT listing the known kinds otherwise. */
export function classicModel(kind: string): ClassicModelKind {
  const spec = Object.hasOwn(CLASSIC_MODELS, kind) ? CLASSIC_MODELS[kind] : undefined;
  if (!spec) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `unknown classic model "${kind}"; known: ${Object.keys(CLASSIC_MODELS).join(', ')}`,
      {
        details: { kind, known: Object.keys(CLASSIC_MODELS) },
      },
    );
  }
  return spec;
}

/** Restores any serialized classic model by the `kind` it records. */
export function restoreClassicModel(json: unknown): ClassicModel {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string') {
    throw new MortarError(
      'DATA_INVALID',
      'corrupt classic model: no "kind" field (is this a mortar.classic document?)',
    );
  }
  return classicModel(kind).fromJSON(json);
}
