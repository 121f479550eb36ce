import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { loadEngine, type Engine } from '../../core/tensor/index.js';
import { Sequential } from '../nn/sequential.js';
import { exportOnnx, onnxTypes } from './export.js';
import { ONNX_DESCRIPTOR } from './schema.js';
import { verifyOnnx } from './verify.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

function randomInput(n: number, size: number, seed: number): Float32Array {
  const r = new Rng(seed);
  return Float32Array.from({ length: n * size }, () => r.uniform(-2, 2));
}

/** Moves BatchNorm running statistics away from 0/1 so the export must carry them. */
function trainBatchNorm(net: Sequential, x: Float32Array, n: number): void {
  e.scope(() => {
    const t = e.fromArray(x, [n, ...net.inputShape]);
    for (let i = 0; i < 3; i++) net.forward(t, { training: true, rng: new Rng(i) });
  });
}

describe('ONNX export, run in onnxruntime-node', () => {
  it('the vendored descriptor is what protobufjs makes of the vendored onnx.proto', () => {
    const text = readFileSync(new URL('./onnx.proto', import.meta.url), 'utf8');
    const parsed = protobuf.parse(text, { keepCase: true }).root.toJSON();
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse(JSON.stringify(ONNX_DESCRIPTOR)));
  });

  it('an MLP with every dense-side layer matches Mortar within 1e-4', async () => {
    const net = Sequential.create(
      e,
      {
        inputShape: [12],
        layers: [
          { kind: 'dense', config: { units: 16 } },
          { kind: 'batchnorm' },
          { kind: 'gelu' },
          { kind: 'dropout', config: { rate: 0.3 } },
          { kind: 'dense', config: { units: 8, bias: false } },
          { kind: 'tanh' },
          { kind: 'dense', config: { units: 6 } },
          { kind: 'sigmoid' },
          { kind: 'dense', config: { units: 3 } },
          { kind: 'relu' },
        ],
      },
      3,
    );
    const x = randomInput(20, 12, 1);
    trainBatchNorm(net, x, 20);
    const bytes = exportOnnx(net, { probabilities: 'softmax' });
    const v = await verifyOnnx(bytes, net, x, 20);
    expect(v.ok, `max diff ${v.maxAbsDiff}`).toBe(true);
    const decoded = onnxTypes().lookupType('onnx.ModelProto').decode(bytes).toJSON() as {
      graph: { node: { op_type: string }[] };
    };
    expect(decoded.graph.node.map((nd) => nd.op_type)).toEqual([
      'Gemm',
      'BatchNormalization',
      'Gelu',
      'Gemm',
      'Tanh',
      'Gemm',
      'Sigmoid',
      'Gemm',
      'Relu',
      'Softmax',
    ]);
    net.dispose();
  });

  it('a CNN (reshape, conv, batchnorm, max and avg pooling, flatten) matches within 1e-4', async () => {
    const net = Sequential.create(
      e,
      {
        inputShape: [2 * 9 * 9],
        layers: [
          { kind: 'reshape', config: { shape: [2, 9, 9] } },
          { kind: 'conv2d', config: { filters: 4, kernel: 3, padding: 1 } },
          { kind: 'batchnorm' },
          { kind: 'relu' },
          { kind: 'maxpool2d', config: { kernel: 2 } },
          { kind: 'conv2d', config: { filters: 3, kernel: [2, 3], stride: 1, padding: [1, 0] } },
          { kind: 'avgpool2d', config: { kernel: 2, stride: 1 } },
          { kind: 'flatten' },
          { kind: 'dense', config: { units: 5 } },
        ],
      },
      4,
    );
    const x = randomInput(6, 162, 2);
    trainBatchNorm(net, x, 6);
    const v = await verifyOnnx(exportOnnx(net), net, x, 6);
    expect(v.ok, `max diff ${v.maxAbsDiff}`).toBe(true);
    net.dispose();
  });

  it('an embedding model matches within 1e-4', async () => {
    const net = Sequential.create(
      e,
      {
        inputShape: [4],
        layers: [
          { kind: 'embedding', config: { vocab: 10, dim: 3 } },
          { kind: 'flatten' },
          { kind: 'dense', config: { units: 2 } },
        ],
      },
      5,
    );
    const x = Float32Array.from([0, 1, 2, 9, 3, 3, 8, 0]);
    const v = await verifyOnnx(exportOnnx(net), net, x, 2);
    expect(v.ok, `max diff ${v.maxAbsDiff}`).toBe(true);
    net.dispose();
  });

  it('a wrong weight makes verification fail (the check can fail)', async () => {
    const net = Sequential.create(
      e,
      { inputShape: [3], layers: [{ kind: 'dense', config: { units: 2 } }] },
      1,
    );
    const bytes = exportOnnx(net);
    const w = net.namedParams()[0]!.param.value;
    w.data[0] = (w.data[0] as number) + 0.01;
    const v = await verifyOnnx(bytes, net, randomInput(4, 3, 9), 4);
    expect(v.ok).toBe(false);
    expect(v.maxAbsDiff).toBeGreaterThan(1e-3);
    net.dispose();
  });
});
