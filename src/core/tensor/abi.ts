// The TypeScript view of the WebAssembly exports built from ./kernels/*.ts. Pointers are byte
// addresses into `memory`; booleans travel as 0/1. Keep in step with the kernel sources.

/**
 * The slice of the WebAssembly JS API the engine uses. The project's `lib` (ES2023, no DOM)
 * has no WebAssembly types, so they are declared here rather than widening `lib` for everyone.
 */
export interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<{ readonly exports: object }>;
}

/** A compiled WebAssembly.Module (opaque; structured-cloneable to worker threads). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A WebAssembly.Memory: `grow` detaches the old `buffer`. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The global WebAssembly object, typed. */
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Raw kernel exports of kernels.wasm (see kernels/index.ts for each kernel's contract). */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    bias: number,
    act: number,
  ): void;
  scaleMatrix(c: number, m: number, n: number, ldc: number, beta: number): void;
  biasAct(x: number, bias: number, y: number, rows: number, cols: number, act: number): void;
  biasActBackward(
    x: number,
    bias: number,
    dy: number,
    dx: number,
    dbias: number,
    rows: number,
    cols: number,
    act: number,
  ): void;
  expArray(x: number, y: number, n: number): void;
  softmax(x: number, y: number, rows: number, cols: number): void;
  softmaxBackward(y: number, dy: number, dx: number, rows: number, cols: number): void;
  softmaxCrossEntropy(
    logits: number,
    rows: number,
    cols: number,
    labels: number,
    soft: number,
    weights: number,
    probs: number,
    losses: number,
  ): number;
  softmaxCrossEntropyBackward(
    probs: number,
    rows: number,
    cols: number,
    labels: number,
    soft: number,
    weights: number,
    scale: number,
    dlogits: number,
  ): void;
  im2col(...args: Conv2dArgs): void;
  col2im(...args: Conv2dArgs): void;
  addChannelBias(y: number, bias: number, n: number, c: number, hw: number): void;
  channelBiasGrad(dy: number, dbias: number, n: number, c: number, hw: number): void;
  maxPool(...args: [...PoolArgs, y: number, argmax: number]): void;
  maxPoolBackward(
    dy: number,
    argmax: number,
    planes: number,
    hw: number,
    ohw: number,
    dx: number,
  ): void;
  avgPool(...args: [...PoolArgs, y: number]): void;
  avgPoolBackward(...args: [...PoolArgs, dx: number]): void;
  embeddingGather(table: number, dim: number, idx: number, n: number, out: number): void;
  embeddingScatterAdd(dout: number, idx: number, n: number, dim: number, dtable: number): void;
  sumAxis0(x: number, rows: number, cols: number, out: number): void;
  sumAxis1(x: number, rows: number, cols: number, out: number): void;
  sumAll(x: number, n: number): number;
  add(a: number, b: number, out: number, n: number): void;
  mul(a: number, b: number, out: number, n: number): void;
  scale(a: number, s: number, out: number, n: number): void;
  axpy(alpha: number, x: number, y: number, n: number): void;
  fill(x: number, v: number, n: number): void;
  sgdMomentum(
    p: number,
    g: number,
    v: number,
    n: number,
    lr: number,
    mu: number,
    wd: number,
    nesterov: number,
  ): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    wd: number,
    decoupled: number,
    bc1: number,
    bc2: number,
  ): void;
}

/** (src, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, dst) shared by im2col and col2im. */
export type Conv2dArgs = [
  src: number,
  c: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  ph: number,
  pw: number,
  dh: number,
  dw: number,
  oh: number,
  ow: number,
  dst: number,
];

/** (x, planes, h, w, kh, kw, sh, sw, ph, pw, oh, ow) shared by the pooling kernels. */
export type PoolArgs = [
  x: number,
  planes: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  ph: number,
  pw: number,
  oh: number,
  ow: number,
];
