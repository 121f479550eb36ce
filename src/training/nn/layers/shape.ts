import { z } from 'zod';
import type { JsonObject } from '../../../core/json.js';
import type { Tensor } from '../../../core/tensor/index.js';
import { fmtShape, layerError, parseConfig } from '../check.js';
import type { ForwardMode, Layer } from '../layer.js';
import type { Param } from '../param.js';
import type { LayerState } from '../state.js';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Flattens each sample to a vector: [N, ...] -> [N, prod(...)]. A view; no copy. */
export class Flatten implements Layer {
  readonly kind: string = 'flatten';
  constructor(config: unknown = {}) {
    parseConfig('flatten layer', z.object({}).strict(), config);
  }
  toConfig(): JsonObject {
    return {};
  }
  outputShape(input: readonly number[]): number[] {
    return [size(input)];
  }
  build(): void {}
  params(): readonly Param[] {
    return [];
  }
  forward(x: Tensor, state: LayerState, _mode: ForwardMode): Tensor {
    state.input = x;
    return x.reshape([x.shape[0] as number, ...this.outputShape(x.shape.slice(1))]);
  }
  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null {
    const x = state.input;
    if (!x) layerError(this.kind, 'backward called before a training forward');
    return needInputGrad ? dy.reshape(x.shape) : null;
  }
  dispose(): void {}
}

const ReshapeConfig = z.object({ shape: z.array(z.number().int().min(1)).min(1) }).strict();

/** Views each sample with another shape of the same size, e.g. [784] -> [1, 28, 28]. No copy. */
export class Reshape extends Flatten {
  override readonly kind = 'reshape';
  readonly shape: number[];
  constructor(config: unknown) {
    super({});
    this.shape = parseConfig('reshape layer', ReshapeConfig, config).shape;
  }
  override toConfig(): JsonObject {
    return { shape: this.shape };
  }
  override outputShape(input: readonly number[]): number[] {
    if (size(input) !== size(this.shape)) {
      layerError(
        'reshape',
        `cannot view per-sample shape ${fmtShape(input)} (${size(input)} values) as ${fmtShape(this.shape)} (${size(this.shape)})`,
      );
    }
    return [...this.shape];
  }
}
