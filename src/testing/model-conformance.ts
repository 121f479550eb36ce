/**
 * Conformance suite for servable models (`Model` in `mortar/serving`): the batch-axis contract
 * the serving engine relies on. Mortar's own trained models run it too.
 *
 * @example
 * modelConformance('onnx mlp', async () => ({ model: await loadOnnxModel(pool, path), close: async () => {} }));
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import {
  allocate,
  concatBatch,
  elementCount,
  type Model,
  type Tensor,
  type TensorMap,
} from '../serving/index.js';

function randomInputs(model: Model, rows: number, rng: Rng): TensorMap {
  const out: Record<string, Tensor> = {};
  for (const s of model.signature.inputs) {
    const shape = s.shape.map((d, i) => (i === 0 ? rows : d < 0 ? 1 : d));
    const data = allocate(s.datatype, elementCount(shape));
    for (let i = 0; i < data.length; i++) {
      if (data instanceof BigInt64Array) data[i] = BigInt(rng.int(0, 3));
      else (data as Float32Array)[i] = s.datatype.startsWith('FP') ? rng.normal() : rng.int(0, 3);
    }
    out[s.name] = { datatype: s.datatype, shape, data };
  }
  return out;
}

function copy(m: TensorMap): TensorMap {
  return Object.fromEntries(Object.entries(m).map(([k, t]) => [k, { ...t, data: t.data.slice() }]));
}

/** Runs the contract of `Model` against the model `open` returns (closed by the suite). */
export function modelConformance(name: string, open: () => Promise<Model>): void {
  describe(`Model conformance: ${name}`, () => {
    it('answers n rows with n rows, row i from input row i (batching-invariant)', async () => {
      const model = await open();
      try {
        const rng = new Rng(5);
        const a = randomInputs(model, 1, rng);
        const b = randomInputs(model, 3, rng);
        const outA = await model.infer(copy(a));
        const outB = await model.infer(copy(b));
        const merged: Record<string, Tensor> = {};
        for (const k of Object.keys(a)) merged[k] = concatBatch([a[k]!, b[k]!]);
        const outAB = await model.infer(merged);
        for (const spec of model.signature.outputs) {
          const y1 = outA[spec.name]!;
          const y3 = outB[spec.name]!;
          const y4 = outAB[spec.name]!;
          expect(y1.shape[0]).toBe(1);
          expect(y3.shape[0]).toBe(3);
          expect(y4.shape[0]).toBe(4);
          const joined = [
            ...Array.from(y1.data as Float32Array),
            ...Array.from(y3.data as Float32Array),
          ];
          Array.from(y4.data as Float32Array).forEach((v, i) =>
            expect(v).toBeCloseTo(joined[i]!, 4),
          );
        }
      } finally {
        await model.close();
      }
    });

    it('runs concurrent calls and stays usable after a bad input', async () => {
      const model = await open();
      try {
        const rng = new Rng(6);
        const outs = await Promise.all(
          [1, 2, 3].map((n) => model.infer(randomInputs(model, n, rng))),
        );
        outs.forEach((o, i) => expect(Object.values(o)[0]!.shape[0]).toBe(i + 1));
        await expect(model.infer({})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        const again = await model.infer(randomInputs(model, 2, rng));
        expect(Object.values(again)[0]!.shape[0]).toBe(2);
      } finally {
        await model.close();
      }
    });

    it('rejects infer after close with FAILED_PRECONDITION; close twice is harmless', async () => {
      const model = await open();
      await model.close();
      await model.close();
      await expect(model.infer(randomInputs(model, 1, new Rng(1)))).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
      });
    });
  });
}
