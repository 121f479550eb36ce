import protobuf from 'protobufjs';
import { MortarError } from '../../core/errors.js';
import type { Layer } from '../nn/layer.js';
import { ActivationLayer } from '../nn/layers/activation.js';
import { BatchNorm } from '../nn/layers/batch-norm.js';
import { Conv2d } from '../nn/layers/conv2d.js';
import { Dense } from '../nn/layers/dense.js';
import { Embedding } from '../nn/layers/embedding.js';
import { AvgPool2d, MaxPool2d } from '../nn/layers/pool.js';
import { Reshape } from '../nn/layers/shape.js';
import type { Sequential } from '../nn/sequential.js';
import { ONNX_DESCRIPTOR } from './schema.js';

/** ONNX ops used here need opset 20 (Gelu); IR version 9 goes with it. */
export const ONNX_OPSET = 20;
const IR_VERSION = 9;
const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

let root: protobuf.Root | undefined;
/** The ONNX protobuf types (from the vendored descriptor). */
export function onnxTypes(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(ONNX_DESCRIPTOR as unknown as protobuf.INamespace);
  return root;
}

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /** Graph name (default "mortar"). */
  readonly name?: string;
  /** Adds a second output: "probabilities" (softmax over classes) or "probability" (sigmoid). */
  readonly probabilities?: 'softmax' | 'sigmoid' | null;
  /** Free-form metadata stored in the model (e.g. the encoder spec as JSON). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly producerVersion?: string;
}

type Attr = { name: string; type: number; i?: number; f?: number; s?: Uint8Array; ints?: number[] };
const int = (name: string, i: number): Attr => ({ name, type: ATTR.INT, i });
const float = (name: string, f: number): Attr => ({ name, type: ATTR.FLOAT, f });
const ints = (name: string, v: readonly number[]): Attr => ({
  name,
  type: ATTR.INTS,
  ints: [...v],
});
const str = (name: string, s: string): Attr => ({ name, type: ATTR.STRING, s: Buffer.from(s) });

/**
 * Writes a trained {@link Sequential} as an ONNX model (protobuf bytes). Input `input` is float32
 * [batch, ...net.inputShape]; output `output` is the network's raw output (logits or values),
 * plus optionally `probabilities`. Dropout exports as nothing (inference), BatchNorm with its
 * running statistics, GELU as opset-20 Gelu(approximate="tanh"), Embedding as Cast + Gather.
 * A layer kind without an ONNX mapping is UNSUPPORTED naming it.
 */
export function exportOnnx(net: Sequential, options: OnnxExportOptions = {}): Uint8Array {
  const initializers: object[] = [];
  const nodes: object[] = [];
  let current = 'input';
  let counter = 0;
  const fresh = (base: string) => `${base}_${counter++}`;
  const init = (name: string, dims: readonly number[], values: Float32Array) => {
    initializers.push({
      name,
      data_type: FLOAT,
      dims: [...dims],
      raw_data: Buffer.from(values.buffer, values.byteOffset, values.byteLength),
    });
    return name;
  };
  const initInt64 = (name: string, values: readonly number[]) => {
    const b = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => b.writeBigInt64LE(BigInt(v), i * 8));
    initializers.push({ name, data_type: INT64, dims: [values.length], raw_data: b });
    return name;
  };
  const node = (
    op: string,
    inputs: string[],
    attrs: Attr[] = [],
    out = fresh(op.toLowerCase()),
  ) => {
    nodes.push({
      op_type: op,
      name: `${op}_${nodes.length}`,
      input: inputs,
      output: [out],
      attribute: attrs,
    });
    return out;
  };

  net.layers.forEach((layer: Layer, i) => {
    const p = `l${i}_${layer.kind}`;
    if (layer instanceof Dense) {
      const w = layer.weight.value;
      const inputs = [current, init(`${p}_weight`, w.shape, w.toArray())];
      if (layer.bias)
        inputs.push(init(`${p}_bias`, layer.bias.value.shape, layer.bias.value.toArray()));
      current = node('Gemm', inputs, [
        float('alpha', 1),
        float('beta', 1),
        int('transA', 0),
        int('transB', 0),
      ]);
    } else if (layer instanceof Conv2d) {
      const w = layer.weight.value;
      const inputs = [current, init(`${p}_weight`, w.shape, w.toArray())];
      if (layer.bias)
        inputs.push(init(`${p}_bias`, layer.bias.value.shape, layer.bias.value.toArray()));
      const [ph, pw] = layer.padding;
      current = node('Conv', inputs, [
        ints('kernel_shape', layer.kernel),
        ints('strides', layer.stride),
        ints('pads', [ph, pw, ph, pw]),
        ints('dilations', [1, 1]),
        int('group', 1),
      ]);
    } else if (layer instanceof MaxPool2d || layer instanceof AvgPool2d) {
      const [ph, pw] = layer.padding;
      const attrs = [
        ints('kernel_shape', layer.kernel),
        ints('strides', layer.stride),
        ints('pads', [ph, pw, ph, pw]),
      ];
      current =
        layer instanceof MaxPool2d
          ? node('MaxPool', [current], attrs)
          : node('AveragePool', [current], [...attrs, int('count_include_pad', 1)]);
    } else if (layer instanceof BatchNorm) {
      const [gamma, beta, mean, variance] = layer.params();
      const t = (name: string, q: typeof gamma) =>
        init(`${p}_${name}`, q!.value.shape, q!.value.toArray());
      current = node(
        'BatchNormalization',
        [current, t('gamma', gamma), t('beta', beta), t('mean', mean), t('var', variance)],
        [float('epsilon', layer.eps), float('momentum', 1 - layer.momentum)],
      );
    } else if (layer instanceof ActivationLayer) {
      if (layer.kind === 'gelu') current = node('Gelu', [current], [str('approximate', 'tanh')]);
      else
        current = node({ relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid' }[layer.kind], [current]);
    } else if (layer instanceof Reshape) {
      current = node('Reshape', [current, initInt64(`${p}_shape`, [-1, ...layer.shape])]);
    } else if (layer.kind === 'flatten') {
      current = node('Flatten', [current], [int('axis', 1)]);
    } else if (layer.kind === 'dropout') {
      // identity at inference
    } else if (layer instanceof Embedding) {
      const ids = node('Cast', [current], [int('to', INT64)]);
      const w = layer.weight.value;
      current = node('Gather', [init(`${p}_weight`, w.shape, w.toArray()), ids], [int('axis', 0)]);
    } else {
      throw new MortarError(
        'UNSUPPORTED',
        `ONNX export: layer ${i} (${layer.kind}) has no ONNX mapping`,
        { details: { layer: layer.kind, index: i } },
      );
    }
  });

  // Name the final tensor "output" (an Identity when the last layer produced no node).
  const last = nodes[nodes.length - 1] as { output: string[] } | undefined;
  if (last && last.output[0] === current) last.output[0] = 'output';
  else node('Identity', [current], [], 'output');
  const tensorType = (shape: readonly (number | string)[]) => ({
    tensor_type: {
      elem_type: FLOAT,
      shape: {
        dim: shape.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })),
      },
    },
  });
  const outputs = [{ name: 'output', type: tensorType(['batch', ...net.outputShape]) }];
  if (options.probabilities === 'softmax') {
    node('Softmax', ['output'], [int('axis', -1)], 'probabilities');
    outputs.push({ name: 'probabilities', type: tensorType(['batch', ...net.outputShape]) });
  } else if (options.probabilities === 'sigmoid') {
    node('Sigmoid', ['output'], [], 'probabilities');
    outputs.push({ name: 'probabilities', type: tensorType(['batch', ...net.outputShape]) });
  }
  const model = {
    ir_version: IR_VERSION,
    producer_name: 'mortar',
    producer_version: options.producerVersion ?? '0.1.0',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: options.name ?? 'mortar',
      node: nodes,
      initializer: initializers,
      input: [{ name: 'input', type: tensorType(['batch', ...net.inputShape]) }],
      output: outputs,
    },
  };
  const T = onnxTypes().lookupType('onnx.ModelProto');
  const err = T.verify(model);
  if (err) throw new MortarError('INTERNAL', `ONNX export built an invalid ModelProto: ${err}`);
  return T.encode(T.fromObject(model)).finish();
}
