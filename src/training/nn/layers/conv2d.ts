import { z } from 'zod';
import type { JsonObject } from '../../../core/json.js';
import type { Rng } from '../../../core/rng.js';
import {
  conv2d,
  conv2dBackward,
  conv2dOutputShape,
  type Conv2dOptions,
  type Engine,
  type Tensor,
} from '../../../core/tensor/index.js';
import { expectSample, layerError, parseConfig } from '../check.js';
import { uniformFanIn } from '../init.js';
import type { ForwardMode, Layer } from '../layer.js';
import { Param } from '../param.js';
import type { LayerState } from '../state.js';

const pair = z.union([
  z.number().int().min(0),
  z.tuple([z.number().int().min(0), z.number().int().min(0)]),
]);
const Conv2dConfig = z
  .object({
    /** Output channels. */
    filters: z.number().int().min(1),
    /** Kernel size (square or [kh, kw]). */
    kernel: pair,
    stride: pair.default(1),
    padding: pair.default(0),
    bias: z.boolean().default(true),
  })
  .strict();

type PairV = number | [number, number];
const asPair = (p: PairV): [number, number] => (typeof p === 'number' ? [p, p] : p);

/**
 * 2-D convolution on NCHW input (per sample [C, H, W]); weight [filters, C, kh, kw], bias
 * [filters]. Cross-correlation like PyTorch and ONNX Conv.
 */
export class Conv2d implements Layer {
  readonly kind = 'conv2d';
  readonly filters: number;
  readonly kernel: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly useBias: boolean;
  private w: Param | null = null;
  private b: Param | null = null;
  private input: number[] = [];

  constructor(config: unknown) {
    const c = parseConfig('conv2d layer', Conv2dConfig, config);
    this.filters = c.filters;
    this.kernel = asPair(c.kernel as PairV);
    this.stride = asPair(c.stride as PairV);
    this.padding = asPair(c.padding as PairV);
    this.useBias = c.bias;
    if (this.kernel[0] < 1 || this.kernel[1] < 1 || this.stride[0] < 1 || this.stride[1] < 1) {
      layerError('conv2d', 'kernel and stride must be >= 1');
    }
  }

  toConfig(): JsonObject {
    return {
      filters: this.filters,
      kernel: this.kernel,
      stride: this.stride,
      padding: this.padding,
      bias: this.useBias,
    };
  }

  private opts(): Conv2dOptions {
    return { stride: this.stride, padding: this.padding };
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length !== 3)
      layerError(
        'conv2d',
        `input per sample must be [channels, height, width], got [${input.join(',')}]`,
      );
    const [, oc, oh, ow] = conv2dOutputShape(
      [1, ...input],
      [this.filters, input[0] as number, ...this.kernel],
      this.opts(),
    );
    return [oc, oh, ow];
  }

  build(engine: Engine, input: readonly number[], rng: Rng): void {
    this.outputShape(input);
    this.input = [...input];
    const c = input[0] as number;
    const fanIn = c * this.kernel[0] * this.kernel[1];
    this.w = new Param(
      'weight',
      uniformFanIn(engine, [this.filters, c, ...this.kernel], fanIn, rng),
    );
    if (this.useBias) this.b = new Param('bias', uniformFanIn(engine, [this.filters], fanIn, rng));
  }

  params(): readonly Param[] {
    return [this.w, this.b].filter((p): p is Param => p !== null);
  }

  /** The weight [filters, C, kh, kw]. */
  get weight(): Param {
    if (!this.w) layerError('conv2d', 'used before build()');
    return this.w;
  }

  /** The bias [filters], or null. */
  get bias(): Param | null {
    return this.b;
  }

  forward(x: Tensor, state: LayerState, _mode: ForwardMode): Tensor {
    expectSample('conv2d', 'x', x.shape, this.input);
    const out = this.outputShape(this.input);
    const y = state.buffer('y', [x.shape[0] as number, ...out]);
    conv2d(x, this.weight.value, this.b?.value ?? null, y, this.opts());
    state.input = x;
    return y;
  }

  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null {
    const x = state.input;
    if (!x) layerError('conv2d', 'backward called before a training forward');
    const w = this.weight;
    const gw = w.gradFor(() => state.buffer('gw', w.value.shape));
    const b = this.b;
    const gb = b ? b.gradFor(() => state.buffer('gb', b.value.shape)) : null;
    const dx = needInputGrad ? state.buffer('dx', x.shape) : null;
    conv2dBackward(x, w.value, dy, dx, gw, gb, this.opts());
    w.commit(gw);
    if (b && gb) b.commit(gb);
    return dx;
  }

  dispose(): void {
    for (const p of this.params()) p.dispose();
  }
}
