// AssemblyScript entry point of the Mortar engine: every export here is a kernel the TypeScript
// side calls with raw pointers into the module's own linear memory (no AssemblyScript-managed
// objects, runtime "stub"). Built by `npm run build:wasm` (asconfig.json) into ../kernels.wasm.
export * from './gemm';
export * from './activations';
export * from './softmax';
export * from './conv';
export * from './pool';
export * from './embedding';
export * from './reduce';
export * from './elementwise';
export * from './optim';

/** First byte after the module's static data (packing buffers): the TypeScript heap starts here. */
export function heapBase(): usize {
  return __heap_base;
}
