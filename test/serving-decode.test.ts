// Request decoding off the HTTP thread and the raw-body cache path: the worker pool's decoder
// agrees with the inline codec (conformance), JSON and binary requests decoded on workers give
// the committed known answers, and a repeated body is answered from the cache without decoding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/index.js';
import { kserveRoutes } from '../src/http/routes/kserve.js';
import {
  BINARY_HEADER,
  ServingEngine,
  inlineDecoder,
  type RequestDecoder,
} from '../src/serving/index.js';
import { OnnxPool, loadOnnxModel, onnxLoader } from '../src/serving/onnx/index.js';
import { requestDecoderConformance } from '../src/testing/request-decoder-conformance.js';

const FIX = join(import.meta.dirname, 'fixtures/serving');
const answers = JSON.parse(readFileSync(join(FIX, 'answers.json'), 'utf8')) as {
  mlp: { input: number[]; v1: number[]; v2: number[] };
};

let pool: OnnxPool;
beforeAll(() => {
  pool = new OnnxPool({ workers: 2 });
});
afterAll(async () => {
  await pool.close();
});

requestDecoderConformance('inline', () => inlineDecoder);
requestDecoderConformance('ONNX worker pool', () => pool.decoder());

/** A decoder that counts its calls (to see which requests were decoded at all). */
function counting(inner: () => RequestDecoder): { decoder: RequestDecoder; calls: number } {
  const c = {
    calls: 0,
    decoder: {
      decode: (body: Uint8Array, h: number | undefined, hash: boolean) => {
        c.calls++;
        return inner().decode(body, h, hash);
      },
    } as RequestDecoder,
  };
  return c;
}

function binaryBody(head: unknown, data: Float32Array): { body: Uint8Array; length: number } {
  const h = Buffer.from(JSON.stringify(head));
  return { body: Buffer.concat([h, Buffer.from(data.buffer)]), length: h.byteLength };
}

describe('KServe requests decoded on the worker pool', () => {
  let engine: ServingEngine;
  let dec: ReturnType<typeof counting>;
  beforeAll(async () => {
    dec = counting(() => pool.decoder());
    engine = await ServingEngine.open({
      root: join(FIX, 'repo'),
      loader: onnxLoader(pool),
      concurrency: 2,
      decoder: dec.decoder,
      offThreadDecodeBytes: 0, // every body goes to the workers
      defaults: { versionPolicy: 'all' },
    });
  });
  afterAll(() => engine.close());
  const app = () => createApp({ bodyLimitBytes: 1 << 20, routes: [kserveRoutes({ engine })] });

  it('JSON and binary requests give the committed answers of both versions', async () => {
    const a = app();
    const jsonReq = (id: string) =>
      JSON.stringify({
        id,
        inputs: [{ name: 'input', shape: [1, 32], datatype: 'FP32', data: answers.mlp.input }],
      });
    for (const [v, want] of [
      ['1', answers.mlp.v1],
      ['2', answers.mlp.v2],
    ] as const) {
      const r = await a.request(`/v2/models/mlp/versions/${v}/infer`, {
        method: 'POST',
        body: jsonReq(`json-${v}`),
      });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { id: string; outputs: { data: number[] }[] };
      expect(body.id).toBe(`json-${v}`);
      body.outputs[0]!.data.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 5));

      // Binary in, binary out: the logits come back as raw little-endian floats.
      const bin = binaryBody(
        {
          id: `bin-${v}`,
          inputs: [
            {
              name: 'input',
              shape: [1, 32],
              datatype: 'FP32',
              parameters: { binary_data_size: 128 },
            },
          ],
          outputs: [{ name: 'logits', parameters: { binary_data: true } }],
        },
        Float32Array.from(answers.mlp.input.map((x) => x + 0)), // same values
      );
      const rb = await a.request(`/v2/models/mlp/versions/${v}/infer`, {
        method: 'POST',
        body: bin.body,
        headers: { [BINARY_HEADER]: String(bin.length) },
      });
      expect(rb.status).toBe(200);
      const raw = new Uint8Array(await rb.arrayBuffer());
      const hl = Number(rb.headers.get(BINARY_HEADER));
      const head = JSON.parse(Buffer.from(raw.subarray(0, hl)).toString()) as {
        id: string;
        outputs: { parameters: { binary_data_size: number } }[];
      };
      expect(head.id).toBe(`bin-${v}`);
      expect(head.outputs[0]!.parameters.binary_data_size).toBe(8);
      const logits = new Float32Array(raw.slice(hl).buffer);
      Array.from(logits).forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 5));
    }
  });

  it('a CNN request decoded on a worker (JSON) equals the binary request and direct ORT', async () => {
    const a = app();
    const n = 3 * 64 * 64;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.5);
    const json = JSON.stringify({
      inputs: [{ name: 'input', shape: [1, 3, 64, 64], datatype: 'FP32', data: Array.from(x) }],
    });
    const bin = binaryBody(
      {
        inputs: [
          {
            name: 'input',
            shape: [1, 3, 64, 64],
            datatype: 'FP32',
            parameters: { binary_data_size: n * 4 },
          },
        ],
      },
      x,
    );
    const rj = (await (
      await a.request('/v2/models/cnn/infer', { method: 'POST', body: json })
    ).json()) as { outputs: { data: number[] }[] };
    const rb = (await (
      await a.request('/v2/models/cnn/infer', {
        method: 'POST',
        body: bin.body,
        headers: { [BINARY_HEADER]: String(bin.length) },
      })
    ).json()) as { outputs: { data: number[] }[]; parameters?: { cached?: boolean } };
    const model = await loadOnnxModel(pool, join(FIX, 'repo/cnn/1/model.onnx'));
    try {
      const direct = await model.infer({
        input: { datatype: 'FP32', shape: [1, 3, 64, 64], data: x.slice() },
      });
      const want = Array.from(direct['logits']!.data as Float32Array);
      expect(want).toHaveLength(10);
      expect(rj.outputs[0]!.data).toEqual(want);
      expect(rb.outputs[0]!.data).toEqual(want);
      // Same tensor under other bytes: decoded, then answered from the cache by its inputs.
      expect(rb.parameters?.cached).toBe(true);
    } finally {
      await model.close();
    }
  });

  it('a repeated body is answered from the cache without being decoded', async () => {
    const a = app();
    const body = JSON.stringify({
      id: 'rep',
      inputs: [
        {
          name: 'input',
          shape: [1, 32],
          datatype: 'FP32',
          data: answers.mlp.input.map((v) => v * 3),
        },
      ],
    });
    const post = () => a.request('/v2/models/mlp/versions/1/infer', { method: 'POST', body });
    const first = (await (await post()).json()) as {
      id: string;
      parameters?: { cached?: boolean };
      outputs: { data: number[] }[];
    };
    expect(first.parameters?.cached).toBeUndefined();
    const calls = dec.calls;
    const second = (await (await post()).json()) as typeof first;
    expect(dec.calls).toBe(calls); // not decoded, no worker involved
    expect(second.parameters?.cached).toBe(true);
    expect(second.id).toBe('rep');
    expect(second.outputs).toEqual(first.outputs);
    // The other version has its own entries.
    const other = await a.request('/v2/models/mlp/versions/2/infer', { method: 'POST', body });
    expect(((await other.json()) as typeof first).parameters?.cached).toBeUndefined();
    expect(dec.calls).toBe(calls + 1);
  });

  it('bad bodies decoded on a worker are 400s naming the problem; the server keeps serving', async () => {
    const a = app();
    const r = await a.request('/v2/models/mlp/infer', { method: 'POST', body: '{"inputs": [' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(
      /not valid JSON/,
    );
    const t = await a.request('/v2/models/mlp/infer', {
      method: 'POST',
      body: JSON.stringify({
        parameters: { timeout_ms: -1 },
        inputs: [{ name: 'input', shape: [1, 32], datatype: 'FP32', data: answers.mlp.input }],
      }),
    });
    expect(t.status).toBe(400);
    expect(((await t.json()) as { error: { message: string } }).error.message).toMatch(
      /timeout_ms/,
    );
    const ok = await a.request('/v2/models/mlp/infer', {
      method: 'POST',
      body: JSON.stringify({
        inputs: [{ name: 'input', shape: [1, 32], datatype: 'FP32', data: answers.mlp.input }],
      }),
    });
    expect(ok.status).toBe(200);
  });
});
