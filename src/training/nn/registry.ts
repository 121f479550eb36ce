import type { JsonValue } from '../../core/json.js';
import { KindRegistry } from '../../core/registry.js';
import type { Layer } from './layer.js';
import { ActivationLayer } from './layers/activation.js';
import { BatchNorm } from './layers/batch-norm.js';
import { Conv2d } from './layers/conv2d.js';
import { Dense } from './layers/dense.js';
import { Dropout } from './layers/dropout.js';
import { Embedding } from './layers/embedding.js';
import { AvgPool2d, MaxPool2d } from './layers/pool.js';
import { Flatten, Reshape } from './layers/shape.js';

/** A layer as stored: its kind and JSON-safe config. */
export interface LayerSpec {
  readonly kind: string;
  readonly config?: JsonValue;
}

/**
 * Every layer kind Mortar can build from JSON: dense, conv2d, maxpool2d, avgpool2d, batchnorm,
 * dropout, embedding, flatten, reshape, relu, gelu, tanh, sigmoid. Register more kinds here (or
 * on this instance from a plugin) to make them storable.
 */
export const LAYERS = new KindRegistry<Layer>('layer')
  .register('dense', (c) => new Dense(c))
  .register('conv2d', (c) => new Conv2d(c))
  .register('maxpool2d', (c) => new MaxPool2d(c))
  .register('avgpool2d', (c) => new AvgPool2d(c))
  .register('batchnorm', (c) => new BatchNorm(c))
  .register('dropout', (c) => new Dropout(c))
  .register('embedding', (c) => new Embedding(c))
  .register('flatten', (c) => new Flatten(c))
  .register('reshape', (c) => new Reshape(c))
  .register('relu', (c) => new ActivationLayer('relu', c))
  .register('gelu', (c) => new ActivationLayer('gelu', c))
  .register('tanh', (c) => new ActivationLayer('tanh', c))
  .register('sigmoid', (c) => new ActivationLayer('sigmoid', c));

/** Builds (unbuilt) layers from their specs. */
export function layerFromSpec(spec: LayerSpec): Layer {
  return LAYERS.create(spec.kind, spec.config ?? {});
}
