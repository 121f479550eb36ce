/** Layers, the Sequential container and their registry. */
export type { Layer, ForwardMode } from './layer.js';
export { Param } from './param.js';
export { LayerState, SequentialState } from './state.js';
export { Dense } from './layers/dense.js';
export { Conv2d } from './layers/conv2d.js';
export { MaxPool2d, AvgPool2d } from './layers/pool.js';
export { BatchNorm } from './layers/batch-norm.js';
export { Dropout } from './layers/dropout.js';
export { Embedding } from './layers/embedding.js';
export { Flatten, Reshape } from './layers/shape.js';
export { ActivationLayer, ACTIVATION_KINDS, type ActivationKind } from './layers/activation.js';
export { LAYERS, layerFromSpec, type LayerSpec } from './registry.js';
export {
  Sequential,
  SequentialConfigSchema,
  type SequentialConfig,
  type NamedWeights,
  type SequentialForwardOptions,
} from './sequential.js';
