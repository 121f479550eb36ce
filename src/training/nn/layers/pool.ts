import { z } from 'zod';
import type { JsonObject } from '../../../core/json.js';
import {
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  pool2dOutputShape,
  type Pool2dOptions,
  type Tensor,
} from '../../../core/tensor/index.js';
import { layerError, parseConfig } from '../check.js';
import type { ForwardMode, Layer } from '../layer.js';
import type { Param } from '../param.js';
import type { LayerState } from '../state.js';

const pair = z.union([
  z.number().int().min(0),
  z.tuple([z.number().int().min(0), z.number().int().min(0)]),
]);
const PoolConfig = z
  .object({
    /** Window size (square or [kh, kw]). */
    kernel: pair,
    /** Default: the kernel. */
    stride: pair.optional(),
    padding: pair.default(0),
  })
  .strict();

type PairV = number | [number, number];
const asPair = (p: PairV): [number, number] => (typeof p === 'number' ? [p, p] : p);

/** Shared geometry of the two pooling layers (NCHW, floor mode). */
abstract class Pool2dBase implements Layer {
  abstract readonly kind: 'maxpool2d' | 'avgpool2d';
  readonly kernel: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(what: string, config: unknown) {
    const c = parseConfig(what, PoolConfig, config);
    this.kernel = asPair(c.kernel as PairV);
    this.stride = asPair((c.stride ?? c.kernel) as PairV);
    this.padding = asPair(c.padding as PairV);
  }

  toConfig(): JsonObject {
    return { kernel: this.kernel, stride: this.stride, padding: this.padding };
  }

  protected opts(): Pool2dOptions {
    return { kernel: this.kernel, stride: this.stride, padding: this.padding };
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length !== 3)
      layerError(
        this.kind,
        `input per sample must be [channels, height, width], got [${input.join(',')}]`,
      );
    return pool2dOutputShape([1, ...input], this.opts()).slice(1);
  }

  build(_e: unknown, input: readonly number[]): void {
    this.outputShape(input);
  }

  params(): readonly Param[] {
    return [];
  }

  abstract forward(x: Tensor, state: LayerState, mode: ForwardMode): Tensor;
  abstract backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null;

  dispose(): void {}
}

/** Max pooling over NCHW windows; remembers each window's argmax for the backward. */
export class MaxPool2d extends Pool2dBase {
  readonly kind = 'maxpool2d';
  constructor(config: unknown) {
    super('maxpool2d layer', config);
  }
  forward(x: Tensor, state: LayerState, _mode: ForwardMode): Tensor {
    const out = pool2dOutputShape(x.shape, this.opts());
    const y = state.buffer('y', out);
    const arg = state.buffer('argmax', out, 'int32');
    maxPool2d(x, y, arg, this.opts());
    state.input = x;
    return y;
  }
  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null {
    const x = state.input;
    if (!x) layerError(this.kind, 'backward called before a training forward');
    if (!needInputGrad) return null;
    const dx = state.buffer('dx', x.shape);
    maxPool2dBackward(dy, state.buffer('argmax', dy.shape, 'int32'), dx);
    return dx;
  }
}

/** Average pooling over NCHW windows (zero padding counts in the divisor, like ONNX count_include_pad=1). */
export class AvgPool2d extends Pool2dBase {
  readonly kind = 'avgpool2d';
  constructor(config: unknown) {
    super('avgpool2d layer', config);
  }
  forward(x: Tensor, state: LayerState, _mode: ForwardMode): Tensor {
    const y = state.buffer('y', pool2dOutputShape(x.shape, this.opts()));
    avgPool2d(x, y, this.opts());
    state.input = x;
    return y;
  }
  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null {
    const x = state.input;
    if (!x) layerError(this.kind, 'backward called before a training forward');
    if (!needInputGrad) return null;
    const dx = state.buffer('dx', x.shape);
    avgPool2dBackward(dy, dx, this.opts());
    return dx;
  }
}
