import { z } from 'zod';
import type { JsonObject } from '../../../core/json.js';
import type { Engine, Tensor } from '../../../core/tensor/index.js';
import { expectSample, layerError, parseConfig } from '../check.js';
import { constant } from '../init.js';
import type { ForwardMode, Layer } from '../layer.js';
import { Param } from '../param.js';
import type { LayerState } from '../state.js';

const BatchNormConfig = z
  .object({
    /** Weight of the new batch in the running averages (PyTorch's convention), default 0.1. */
    momentum: z.number().gt(0).lte(1).default(0.1),
    eps: z.number().gt(0).default(1e-5),
  })
  .strict();

/**
 * Batch normalisation over the channel axis: per sample [C] (after a Dense) or [C, H, W]
 * (after a Conv2d). Training normalises with the batch's mean and biased variance and updates
 * running statistics (unbiased variance, like PyTorch); inference uses the running statistics.
 * Params: gamma, beta (trainable), runningMean, runningVar (saved, not trained).
 */
export class BatchNorm implements Layer {
  readonly kind = 'batchnorm';
  readonly momentum: number;
  readonly eps: number;
  private p: { gamma: Param; beta: Param; mean: Param; variance: Param } | null = null;
  private input: number[] = [];

  constructor(config: unknown = {}) {
    const c = parseConfig('batchnorm layer', BatchNormConfig, config);
    this.momentum = c.momentum;
    this.eps = c.eps;
  }

  toConfig(): JsonObject {
    return { momentum: this.momentum, eps: this.eps };
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length !== 1 && input.length !== 3) {
      layerError(
        'batchnorm',
        `input per sample must be [features] or [channels, height, width], got [${input.join(',')}]`,
      );
    }
    return [...input];
  }

  build(engine: Engine, input: readonly number[]): void {
    this.outputShape(input);
    this.input = [...input];
    const c = input[0] as number;
    this.p = {
      gamma: new Param('gamma', constant(engine, [c], 1)),
      beta: new Param('beta', constant(engine, [c], 0)),
      mean: new Param('runningMean', constant(engine, [c], 0), false),
      variance: new Param('runningVar', constant(engine, [c], 1), false),
    };
  }

  private get ps() {
    if (!this.p) layerError('batchnorm', 'used before build()');
    return this.p;
  }

  params(): readonly Param[] {
    return this.p ? [this.p.gamma, this.p.beta, this.p.mean, this.p.variance] : [];
  }

  forward(x: Tensor, state: LayerState, mode: ForwardMode): Tensor {
    expectSample('batchnorm', 'x', x.shape, this.input);
    const { gamma, beta, mean, variance } = this.ps;
    const n = x.shape[0] as number;
    const c = this.input[0] as number;
    const inner =
      this.input.length === 3 ? (this.input[1] as number) * (this.input[2] as number) : 1;
    const y = state.buffer('y', x.shape);
    state.input = x;
    const xs = x.data;
    const ys = y.data;
    const g = gamma.value.data;
    const b = beta.value.data;
    const count = n * inner;
    if (!mode.training) {
      const rm = mean.value.data;
      const rv = variance.value.data;
      for (let ch = 0; ch < c; ch++) {
        const s = (g[ch] as number) / Math.sqrt((rv[ch] as number) + this.eps);
        const t = (b[ch] as number) - (rm[ch] as number) * s;
        forEach(n, c, inner, ch, (i) => (ys[i] = (xs[i] as number) * s + t));
      }
      return y;
    }
    if (count < 2)
      layerError('batchnorm', `training needs more than one value per channel, got batch ${n}`);
    const xhat = state.buffer('xhat', x.shape).data;
    const invstd = state.buffer('invstd', [c]).data;
    const rm = mean.value.data;
    const rv = variance.value.data;
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      forEach(n, c, inner, ch, (i) => (sum += xs[i] as number));
      const mu = sum / count;
      let sq = 0;
      forEach(n, c, inner, ch, (i) => (sq += ((xs[i] as number) - mu) ** 2));
      const v = sq / count;
      const is = 1 / Math.sqrt(v + this.eps);
      invstd[ch] = is;
      const gc = g[ch] as number;
      const bc = b[ch] as number;
      forEach(n, c, inner, ch, (i) => {
        const h = ((xs[i] as number) - mu) * is;
        xhat[i] = h;
        ys[i] = h * gc + bc;
      });
      rm[ch] = (1 - this.momentum) * (rm[ch] as number) + this.momentum * mu;
      rv[ch] = (1 - this.momentum) * (rv[ch] as number) + this.momentum * (sq / (count - 1));
    }
    return y;
  }

  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null {
    const x = state.input;
    const xhatT = state.get('xhat') as Tensor | undefined;
    if (!x || !xhatT) layerError('batchnorm', 'backward called before a training forward');
    const { gamma, beta } = this.ps;
    const n = x.shape[0] as number;
    const c = this.input[0] as number;
    const inner =
      this.input.length === 3 ? (this.input[1] as number) * (this.input[2] as number) : 1;
    const count = n * inner;
    const gg = gamma.gradFor(() => state.buffer('gg', [c]));
    const gbT = beta.gradFor(() => state.buffer('gb', [c]));
    const dx = needInputGrad ? state.buffer('dx', x.shape) : null;
    const dys = dy.data;
    const xhat = xhatT.data;
    const invstd = (state.get('invstd') as Tensor).data;
    const g = gamma.value.data;
    const ggd = gg.data;
    const gbd = gbT.data;
    const dxs = dx?.data;
    for (let ch = 0; ch < c; ch++) {
      let sdy = 0;
      let sdyx = 0;
      forEach(n, c, inner, ch, (i) => {
        const d = dys[i] as number;
        sdy += d;
        sdyx += d * (xhat[i] as number);
      });
      ggd[ch] = sdyx;
      gbd[ch] = sdy;
      if (dxs) {
        const k = ((g[ch] as number) * (invstd[ch] as number)) / count;
        forEach(n, c, inner, ch, (i) => {
          dxs[i] = k * (count * (dys[i] as number) - sdy - (xhat[i] as number) * sdyx);
        });
      }
    }
    gamma.commit(gg);
    beta.commit(gbT);
    return dx;
  }

  dispose(): void {
    for (const p of this.params()) p.dispose();
  }
}

/** Calls f(i) for every flat index of channel `ch` in an [n, c, inner] layout. */
function forEach(n: number, c: number, inner: number, ch: number, f: (i: number) => void): void {
  for (let s = 0; s < n; s++) {
    const base = (s * c + ch) * inner;
    for (let j = 0; j < inner; j++) f(base + j);
  }
}
