/**
 * `mortar/serving/onnx`: ONNX models on a pool of worker threads (onnxruntime-node, CPU). Kept
 * behind its own subpath: onnxruntime-node is a heavy native dependency, imported only by the
 * worker threads when the first model loads.
 */
export { OnnxPool, type OnnxPoolOptions } from './pool.js';
export { OnnxModel, loadOnnxModel, onnxLoader } from './model.js';
export { openOnnxServing, type OnnxServing } from './serve.js';
