import { MortarError } from '../core/errors.js';
import type { ModelSignature } from './model.js';
import type { TensorMap } from './tensor.js';

/**
 * Checks request inputs against a model's signature: every input present and no others, the
 * declared data type, the declared rank, fixed dimensions matching, and one batch size (axis 0)
 * shared by all inputs. Returns that batch size; throws INVALID_ARGUMENT naming the input.
 */
export function checkInputs(model: string, sig: ModelSignature, inputs: TensorMap): number {
  let rows: number | undefined;
  for (const name of Object.keys(inputs)) {
    if (!sig.inputs.some((s) => s.name === name)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `model ${model} has no input "${name}"; its inputs are ${sig.inputs.map((s) => s.name).join(', ')}`,
        { details: { model, input: name } },
      );
    }
  }
  for (const spec of sig.inputs) {
    const t = inputs[spec.name];
    const want = `[${spec.shape.join(', ')}]`;
    if (!t) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `model ${model} needs input "${spec.name}" (${spec.datatype} ${want}); add it to inputs`,
        { details: { model, input: spec.name } },
      );
    }
    if (t.datatype !== spec.datatype) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `input "${spec.name}" of model ${model} must have datatype ${spec.datatype}, got ${t.datatype}`,
        { details: { model, input: spec.name, expected: spec.datatype, got: t.datatype } },
      );
    }
    const shapeOk =
      t.shape.length === spec.shape.length &&
      spec.shape.every((d, i) => d < 0 || d === t.shape[i]) &&
      t.shape.every((d) => Number.isInteger(d) && d >= 0);
    if (!shapeOk) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `input "${spec.name}" of model ${model} must have shape ${want} (-1 = any), got [${t.shape.join(', ')}]`,
        { details: { model, input: spec.name, expected: spec.shape, got: t.shape } },
      );
    }
    const n = t.shape[0] ?? 1;
    if (rows !== undefined && n !== rows) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `inputs of model ${model} disagree on the batch size (axis 0): ${rows} and ${n}`,
        { details: { model, input: spec.name } },
      );
    }
    rows = n;
  }
  if (rows === 0) {
    throw new MortarError('INVALID_ARGUMENT', `the request to model ${model} has no rows`, {
      details: { model },
    });
  }
  return rows ?? 1;
}

/** True when every input has a free batch axis 0 and fixed other axes, so requests can merge. */
export function isBatchable(sig: ModelSignature): boolean {
  return (
    sig.inputs.length > 0 &&
    sig.inputs.every(
      (s) => s.shape.length >= 1 && s.shape[0]! < 0 && s.shape.slice(1).every((d) => d >= 0),
    )
  );
}
