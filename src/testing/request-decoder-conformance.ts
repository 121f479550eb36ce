/**
 * Conformance suite for KServe request decoders (`RequestDecoder` in `mortar/serving`): every
 * decoder must agree with `decodeInferRequest` on good bodies (JSON, nested JSON, the binary
 * tensor extension, mixed) and reject bad ones with the same error.
 *
 * @example
 * requestDecoderConformance('worker pool', () => pool.decoder());
 */
import { describe, expect, it } from 'vitest';
import {
  PredictionCache,
  decodeInferRequest,
  type InferRequest,
  type RequestDecoder,
} from '../serving/index.js';

const enc = new TextEncoder();

/** A JSON body. */
function json(doc: unknown): { body: Uint8Array; headerLength?: number } {
  return { body: enc.encode(JSON.stringify(doc)) };
}

/** A body with the binary tensor extension: a JSON header, then `parts` back to back. */
function binary(
  doc: unknown,
  parts: readonly ArrayBufferView[],
): { body: Uint8Array; headerLength: number } {
  const head = enc.encode(JSON.stringify(doc));
  const total = head.byteLength + parts.reduce((n, p) => n + p.byteLength, 0);
  const body = new Uint8Array(total);
  body.set(head, 0);
  let at = head.byteLength;
  for (const p of parts) {
    body.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return { body, headerLength: head.byteLength };
}

const f32 = Float32Array.from({ length: 12 }, (_, i) => i / 7 - 0.5);
const i64 = BigInt64Array.from([1n, -2n, 3n]);

/** Good bodies covering each path of the codec. */
export const GOOD_BODIES: readonly {
  name: string;
  make(): { body: Uint8Array; headerLength?: number };
}[] = [
  {
    name: 'flat JSON FP32 with id and parameters',
    make: () =>
      json({
        id: 'r1',
        parameters: { timeout_ms: 100 },
        inputs: [{ name: 'x', shape: [3, 4], datatype: 'FP32', data: Array.from(f32) }],
      }),
  },
  {
    name: 'nested JSON, several inputs and types',
    make: () =>
      json({
        inputs: [
          {
            name: 'a',
            shape: [2, 2],
            datatype: 'INT32',
            data: [
              [1, 2],
              [3, -4],
            ],
          },
          { name: 'b', shape: [2], datatype: 'BOOL', data: [true, false] },
          { name: 'c', shape: [3], datatype: 'INT64', data: [1, -2, 3] },
          { name: 'd', shape: [1, 2], datatype: 'FP64', data: [0.1, 1e300] },
        ],
        outputs: [{ name: 'y', parameters: { binary_data: true } }, { name: 'z' }],
      }),
  },
  {
    name: 'binary tensors, mixed with JSON, binary outputs',
    make: () =>
      binary(
        {
          id: 'bin',
          parameters: { binary_data_output: true },
          inputs: [
            { name: 'x', shape: [3, 4], datatype: 'FP32', parameters: { binary_data_size: 48 } },
            { name: 'j', shape: [2], datatype: 'UINT8', data: [7, 255] },
            { name: 'k', shape: [3], datatype: 'INT64', parameters: { binary_data_size: 24 } },
          ],
        },
        [f32, i64],
      ),
  },
];

/** Bad bodies; each must be rejected with decodeInferRequest's error. */
export const BAD_BODIES: readonly {
  name: string;
  make(): { body: Uint8Array; headerLength?: number };
}[] = [
  { name: 'malformed JSON', make: () => ({ body: enc.encode('{"inputs": [') }) },
  { name: 'empty body', make: () => ({ body: new Uint8Array(0) }) },
  {
    name: 'wrong value count',
    make: () => json({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1] }] }),
  },
  {
    name: 'non-integer for INT32',
    make: () => json({ inputs: [{ name: 'x', shape: [1], datatype: 'INT32', data: [1.5] }] }),
  },
  {
    name: 'unsupported datatype',
    make: () => json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP16', data: [1] }] }),
  },
  {
    name: 'binary size mismatch',
    make: () =>
      binary(
        {
          inputs: [
            { name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 4 } },
          ],
        },
        [new Float32Array(1)],
      ),
  },
  {
    name: 'header length beyond the body',
    make: () => ({ body: enc.encode('{"inputs":[]}'), headerLength: 999 }),
  },
];

function plain(r: InferRequest) {
  return {
    id: r.id,
    parameters: r.parameters,
    outputs: r.outputs,
    binaryOutputs: r.binaryOutputs,
    inputs: Object.fromEntries(
      Object.entries(r.inputs).map(([k, t]) => [
        k,
        {
          datatype: t.datatype,
          shape: [...t.shape],
          data: Array.from(t.data as Float64Array, String),
        },
      ]),
    ),
  };
}

/** Runs the contract of `RequestDecoder` against the decoder `create` returns. */
export function requestDecoderConformance(name: string, create: () => RequestDecoder): void {
  describe(`RequestDecoder conformance: ${name}`, () => {
    it('decodes good bodies exactly as decodeInferRequest does, with the inputs hash', async () => {
      const d = create();
      for (const g of GOOD_BODIES) {
        const a = g.make();
        const want = decodeInferRequest(a.body, a.headerLength);
        const b = g.make(); // the decoder owns (may transfer) its body
        const got = await d.decode(b.body, b.headerLength, true);
        expect(plain(got), g.name).toEqual(plain(want));
        expect(got.inputHash, g.name).toBe(PredictionCache.inputHash(want.inputs));
      }
    });

    it('rejects bad bodies with the same code and message, and never throws synchronously', async () => {
      const d = create();
      for (const bad of BAD_BODIES) {
        const a = bad.make();
        let want: unknown;
        try {
          decodeInferRequest(a.body, a.headerLength);
        } catch (e) {
          want = e;
        }
        expect(want, bad.name).toBeDefined();
        const b = bad.make();
        let p: Promise<unknown> | undefined;
        expect(() => (p = d.decode(b.body, b.headerLength, false))).not.toThrow();
        await expect(p, bad.name).rejects.toMatchObject({
          code: (want as { code: string }).code,
          message: (want as Error).message,
        });
      }
    });

    it('decodes many bodies at once, each to its own answer', async () => {
      const d = create();
      const bodies = Array.from({ length: 16 }, (_, k) =>
        json({
          id: String(k),
          inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [k, -k - 0.5] }],
        }),
      );
      const got = await Promise.all(bodies.map((b) => d.decode(b.body, undefined, false)));
      got.forEach((r, k) => {
        expect(r.id).toBe(String(k));
        expect(Array.from(r.inputs['x']!.data as Float32Array)).toEqual([k, -k - 0.5]);
      });
    });
  });
}
