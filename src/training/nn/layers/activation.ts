import type { JsonObject } from '../../../core/json.js';
import {
  biasActivation,
  biasActivationBackward,
  type Activation,
  type Tensor,
} from '../../../core/tensor/index.js';
import { layerError, parseConfig } from '../check.js';
import type { ForwardMode, Layer } from '../layer.js';
import type { Param } from '../param.js';
import type { LayerState } from '../state.js';
import { z } from 'zod';

/** The elementwise activation layers and the engine activation each one runs. */
export const ACTIVATION_KINDS = {
  relu: 'relu',
  gelu: 'gelu',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
} as const satisfies Record<string, Activation>;

/** Kind of an activation layer. */
export type ActivationKind = keyof typeof ACTIVATION_KINDS;

/**
 * An elementwise activation (ReLU, GELU (tanh approximation), Tanh, Sigmoid) over a tensor of any
 * shape, through the engine's bias+activation kernel with no bias. Parameter-free.
 */
export class ActivationLayer implements Layer {
  readonly kind: ActivationKind;
  private readonly act: Activation;

  constructor(kind: ActivationKind, config: unknown = {}) {
    parseConfig(`${kind} layer`, z.object({}).strict(), config);
    this.kind = kind;
    this.act = ACTIVATION_KINDS[kind];
  }

  toConfig(): JsonObject {
    return {};
  }

  outputShape(input: readonly number[]): number[] {
    return [...input];
  }

  build(): void {}

  params(): readonly Param[] {
    return [];
  }

  forward(x: Tensor, state: LayerState, _mode: ForwardMode): Tensor {
    const y = state.buffer('y', x.shape);
    biasActivation(x, null, y, this.act);
    state.input = x;
    return y;
  }

  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null {
    const x = state.input;
    if (!x) layerError(this.kind, 'backward called before a training forward');
    if (!needInputGrad) return null;
    const dx = state.buffer('dx', x.shape);
    biasActivationBackward(x, null, dy, dx, null, this.act);
    return dx;
  }

  dispose(): void {}
}
