import type { Rng } from '../../core/rng.js';
import type { Engine } from '../../core/tensor/index.js';
import { LOSSES } from '../losses/registry.js';
import type { Loss } from '../losses/loss.js';
import { Sequential } from '../nn/sequential.js';
import type { ModelRecipe, Task } from './recipe.js';

/**
 * A network built from a {@link ModelRecipe}: the Sequential, its loss and its task. Outputs
 * are logits (classification, binary) or values (regression); {@link NetworkModel.predict}
 * turns them into probabilities.
 */
export class NetworkModel {
  private constructor(
    readonly recipe: ModelRecipe,
    readonly net: Sequential,
    readonly loss: Loss,
  ) {}

  /** Builds the network on `engine`, initialising weights from `seed`. */
  static create(engine: Engine, recipe: ModelRecipe, seed: number | Rng): NetworkModel {
    const net = Sequential.create(engine, recipe.network, seed);
    return new NetworkModel(recipe, net, LOSSES.create(recipe.loss.kind, recipe.loss.config));
  }

  /** The task. */
  get task(): Task {
    return this.recipe.task;
  }

  /** Raw outputs (logits or values) for n samples, row-major. */
  outputs(x: Float32Array, n: number, batchSize = 256): Float32Array {
    return this.net.predict(x, n, batchSize);
  }

  /**
   * Predictions: class probabilities [n, K] (softmax) for classification, P(positive) [n] for
   * binary, values [n] for regression.
   */
  predict(x: Float32Array, n: number, batchSize = 256): Float32Array {
    const out = this.outputs(x, n, batchSize);
    if (this.task === 'regression') return out;
    if (this.task === 'binary') return out.map((z) => 1 / (1 + Math.exp(-z)));
    const k = out.length / Math.max(1, n);
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, out[i * k + j] as number);
      let s = 0;
      for (let j = 0; j < k; j++) s += out[i * k + j] = Math.exp((out[i * k + j] as number) - m);
      for (let j = 0; j < k; j++) out[i * k + j] = (out[i * k + j] as number) / s;
    }
    return out;
  }

  /** Frees the network. */
  dispose(): void {
    this.net.dispose();
    this.loss.dispose();
  }
}
