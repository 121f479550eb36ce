import { z } from 'zod';
import type { JsonObject } from '../../../core/json.js';
import type { Rng } from '../../../core/rng.js';
import {
  embeddingGather,
  embeddingScatterAdd,
  type Engine,
  type Tensor,
} from '../../../core/tensor/index.js';
import { expectSample, layerError, parseConfig } from '../check.js';
import type { ForwardMode, Layer } from '../layer.js';
import { Param } from '../param.js';
import type { LayerState } from '../state.js';

const EmbeddingConfig = z
  .object({
    /** Number of rows (distinct ids). */
    vocab: z.number().int().min(1),
    /** Vector size. */
    dim: z.number().int().min(1),
  })
  .strict();

/**
 * Embedding lookup: each sample is [L] ids (float32 holding integers, since networks take
 * float32 input), the output [L, dim]. Table [vocab, dim] initialised N(0, 1) like PyTorch.
 * Ids are not differentiable, so it must be the first layer; an id that is not an integer in
 * [0, vocab) is INVALID_ARGUMENT naming its position.
 */
export class Embedding implements Layer {
  readonly kind = 'embedding';
  readonly vocab: number;
  readonly dim: number;
  private table: Param | null = null;
  private length = 0;

  constructor(config: unknown) {
    const c = parseConfig('embedding layer', EmbeddingConfig, config);
    this.vocab = c.vocab;
    this.dim = c.dim;
  }

  toConfig(): JsonObject {
    return { vocab: this.vocab, dim: this.dim };
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length !== 1)
      layerError('embedding', `input per sample must be [ids], got [${input.join(',')}]`);
    return [input[0] as number, this.dim];
  }

  build(engine: Engine, input: readonly number[], rng: Rng): void {
    this.outputShape(input);
    this.length = input[0] as number;
    const t = engine.empty([this.vocab, this.dim]);
    const d = t.data;
    for (let i = 0; i < d.length; i++) d[i] = rng.normal();
    this.table = new Param('weight', t);
  }

  /** The table [vocab, dim]. */
  get weight(): Param {
    if (!this.table) layerError('embedding', 'used before build()');
    return this.table;
  }

  params(): readonly Param[] {
    return this.table ? [this.table] : [];
  }

  forward(x: Tensor, state: LayerState, _mode: ForwardMode): Tensor {
    expectSample('embedding', 'x', x.shape, [this.length]);
    const idx = state.buffer('ids', x.shape, 'int32');
    const xs = x.data;
    const is = idx.data;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i] as number;
      if (!Number.isInteger(v) || v < 0 || v >= this.vocab) {
        layerError(
          'embedding',
          `id ${v} at batch row ${Math.floor(i / this.length)}, position ${i % this.length} is not an integer in [0, ${this.vocab})`,
        );
      }
      is[i] = v;
    }
    const y = state.buffer('y', [x.shape[0] as number, this.length, this.dim]);
    embeddingGather(this.weight.value, idx, y);
    state.input = x;
    return y;
  }

  backward(dy: Tensor, state: LayerState, _needInputGrad: boolean): Tensor | null {
    const idx = state.get('ids') as Tensor<'int32'> | undefined;
    if (!idx) layerError('embedding', 'backward called before a training forward');
    const w = this.weight;
    const g = w.grad as Tensor;
    if (w.isFresh) g.data.fill(0);
    embeddingScatterAdd(dy, idx, g);
    w.commit(g);
    return null;
  }

  dispose(): void {
    for (const p of this.params()) p.dispose();
  }
}
