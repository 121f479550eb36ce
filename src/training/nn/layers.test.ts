// Every layer kind through the shared layer conformance suite (finite-difference gradients,
// config round trip, gradient accumulation).
import { layerConformance } from '../../testing/layer-conformance.js';

layerConformance('dense', { kind: 'dense', config: { units: 5 }, input: [4] });
layerConformance('dense without bias', {
  kind: 'dense',
  config: { units: 3, bias: false },
  input: [6],
});
layerConformance('conv2d', {
  kind: 'conv2d',
  config: { filters: 3, kernel: 3, padding: 1 },
  input: [2, 5, 5],
  batch: 2,
});
layerConformance('conv2d strided, rectangular', {
  kind: 'conv2d',
  config: { filters: 2, kernel: [2, 3], stride: 2, padding: [1, 0] },
  input: [1, 6, 7],
  batch: 2,
});
layerConformance('maxpool2d', {
  kind: 'maxpool2d',
  config: { kernel: 2 },
  input: [2, 4, 6],
  batch: 2,
});
layerConformance('avgpool2d', {
  kind: 'avgpool2d',
  config: { kernel: 3, stride: 2, padding: 1 },
  input: [2, 5, 5],
  batch: 2,
});
layerConformance('batchnorm (features)', { kind: 'batchnorm', input: [4], batch: 6 });
layerConformance('batchnorm (channels)', { kind: 'batchnorm', input: [3, 2, 2], batch: 3 });
layerConformance('dropout', { kind: 'dropout', config: { rate: 0.4 }, input: [10] });
layerConformance('embedding', {
  kind: 'embedding',
  config: { vocab: 7, dim: 3 },
  input: [4],
  values: { ids: 7 },
  inputGrad: false,
});
layerConformance('flatten', { kind: 'flatten', input: [2, 3, 2] });
layerConformance('reshape', { kind: 'reshape', config: { shape: [2, 3] }, input: [6] });
layerConformance('relu', { kind: 'relu', input: [7] });
layerConformance('gelu', { kind: 'gelu', input: [7] });
layerConformance('tanh', { kind: 'tanh', input: [2, 3] });
layerConformance('sigmoid', { kind: 'sigmoid', input: [5] });
