/**
 * The Mortar numeric engine: float32 tensors in WebAssembly memory and SIMD kernels with
 * TypeScript wrappers (forward and backward). See README.md for the memory model and blocking.
 *
 * @example
 * const e = await loadEngine();
 * const x = e.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
 * const w = e.zeros([3, 4]);
 * const y = e.empty([2, 4]);
 * gemm(x, w, y);
 * biasActivation(y, null, y, 'relu');
 */
export { loadEngine, compileKernels, Engine, KERNELS_URL, type EngineOptions } from './engine.js';
export { Tensor, type DType, type ArrayFor } from './tensor.js';
export { FreeListAllocator, ALIGN } from './allocator.js';
export type { KernelExports } from './abi.js';
export { gemm, type GemmEpilogue } from './gemm.js';
export {
  biasActivation,
  biasActivationBackward,
  ACTIVATION_CODES,
  type Activation,
} from './activation.js';
export {
  softmax,
  softmaxBackward,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  type CrossEntropyOptions,
  type CrossEntropyTarget,
} from './softmax.js';
export {
  conv2d,
  conv2dBackward,
  conv2dOutputShape,
  type Conv2dOptions,
  type Pair,
} from './conv.js';
export {
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  pool2dOutputShape,
  type Pool2dOptions,
} from './pool.js';
export { embeddingGather, embeddingScatterAdd } from './embedding.js';
export { sumAxis0, sumAxis1, sum } from './reduce.js';
export { add, mul, scale, axpy, fill } from './elementwise.js';
export { sgdStep, adamStep, adamwStep, type SgdOptions, type AdamOptions } from './optim.js';
