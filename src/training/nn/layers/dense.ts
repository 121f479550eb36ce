import { z } from 'zod';
import type { JsonObject } from '../../../core/json.js';
import type { Rng } from '../../../core/rng.js';
import { gemm, sumAxis0, type Engine, type Tensor } from '../../../core/tensor/index.js';
import { expectSample, layerError, parseConfig } from '../check.js';
import { uniformFanIn } from '../init.js';
import type { ForwardMode, Layer } from '../layer.js';
import { Param } from '../param.js';
import type { LayerState } from '../state.js';

const DenseConfig = z
  .object({
    /** Output features. */
    units: z.number().int().min(1),
    /** Add a learned bias (default true). */
    bias: z.boolean().default(true),
  })
  .strict();

/**
 * Fully connected layer y = x W + b, W [in, units] (row-major, so the forward is one GEMM with a
 * fused bias epilogue). Input per sample: [in].
 *
 * @example new Dense({ units: 10 })
 */
export class Dense implements Layer {
  readonly kind = 'dense';
  readonly units: number;
  readonly useBias: boolean;
  private w: Param | null = null;
  private b: Param | null = null;
  private inFeatures = 0;

  constructor(config: unknown) {
    const c = parseConfig('dense layer', DenseConfig, config);
    this.units = c.units;
    this.useBias = c.bias;
  }

  toConfig(): JsonObject {
    return { units: this.units, bias: this.useBias };
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length !== 1) {
      layerError(
        'dense',
        `input per sample must be a vector [features], got [${input.join(',')}]; add a flatten layer before it`,
      );
    }
    return [this.units];
  }

  build(engine: Engine, input: readonly number[], rng: Rng): void {
    this.outputShape(input);
    this.inFeatures = input[0] as number;
    this.w = new Param(
      'weight',
      uniformFanIn(engine, [this.inFeatures, this.units], this.inFeatures, rng),
    );
    if (this.useBias)
      this.b = new Param('bias', uniformFanIn(engine, [this.units], this.inFeatures, rng));
  }

  params(): readonly Param[] {
    return [this.w, this.b].filter((p): p is Param => p !== null);
  }

  /** The weight [in, units] (after build). */
  get weight(): Param {
    if (!this.w) layerError('dense', 'used before build()');
    return this.w;
  }

  /** The bias [units], or null. */
  get bias(): Param | null {
    return this.b;
  }

  forward(x: Tensor, state: LayerState, _mode: ForwardMode): Tensor {
    expectSample('dense', 'x', x.shape, [this.inFeatures]);
    const n = x.shape[0] as number;
    const y = state.buffer('y', [n, this.units]);
    gemm(x, this.weight.value, y, false, false, 1, 0, { bias: this.b?.value ?? null });
    state.input = x;
    return y;
  }

  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null {
    const x = state.input;
    if (!x) layerError('dense', 'backward called before a training forward');
    const n = x.shape[0] as number;
    const w = this.weight;
    const gw = w.gradFor(() => state.buffer('gw', w.value.shape));
    gemm(x, dy, gw, true, false);
    w.commit(gw);
    if (this.b) {
      const b = this.b;
      const gb = b.gradFor(() => state.buffer('gb', b.value.shape));
      sumAxis0(dy, gb);
      b.commit(gb);
    }
    if (!needInputGrad) return null;
    const dx = state.buffer('dx', [n, this.inFeatures]);
    gemm(dy, w.value, dx, false, true);
    return dx;
  }

  dispose(): void {
    for (const p of this.params()) p.dispose();
  }
}
