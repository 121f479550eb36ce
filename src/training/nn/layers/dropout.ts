import { z } from 'zod';
import type { JsonObject } from '../../../core/json.js';
import type { Tensor } from '../../../core/tensor/index.js';
import { layerError, parseConfig } from '../check.js';
import type { ForwardMode, Layer } from '../layer.js';
import type { Param } from '../param.js';
import type { LayerState } from '../state.js';

const DropoutConfig = z.object({ rate: z.number().min(0).lt(1) }).strict();

/**
 * Inverted dropout: in training each element is zeroed with probability `rate` and the rest
 * scaled by 1/(1-rate), drawing from the forward's rng (so a seeded run is reproducible); at
 * inference it is the identity (and exports to no ONNX node).
 */
export class Dropout implements Layer {
  readonly kind = 'dropout';
  readonly rate: number;
  constructor(config: unknown) {
    this.rate = parseConfig('dropout layer', DropoutConfig, config).rate;
  }
  toConfig(): JsonObject {
    return { rate: this.rate };
  }
  outputShape(input: readonly number[]): number[] {
    return [...input];
  }
  build(): void {}
  params(): readonly Param[] {
    return [];
  }
  forward(x: Tensor, state: LayerState, mode: ForwardMode): Tensor {
    state.input = x;
    if (!mode.training || this.rate === 0) return x;
    const rng = mode.rng;
    if (!rng) layerError('dropout', 'training forward needs mode.rng (a seeded Rng)');
    const mask = state.buffer('mask', x.shape);
    const y = state.buffer('y', x.shape);
    const keep = 1 / (1 - this.rate);
    const m = mask.data;
    for (let i = 0; i < m.length; i++) m[i] = rng.float() < this.rate ? 0 : keep;
    const k = x.engine.kernels;
    k.mul(x.ptr, mask.ptr, y.ptr, x.size);
    return y;
  }
  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null {
    if (!state.input) layerError('dropout', 'backward called before a training forward');
    if (!needInputGrad) return null;
    if (this.rate === 0) return dy;
    const mask = state.get('mask') as Tensor | undefined;
    if (!mask) layerError('dropout', 'backward needs a training-mode forward');
    const dx = state.buffer('dx', dy.shape);
    dy.engine.kernels.mul(dy.ptr, mask.ptr, dx.ptr, dy.size);
    return dx;
  }
  dispose(): void {}
}
