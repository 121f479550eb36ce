import type { DType, Engine, Tensor } from '../../core/tensor/index.js';

/**
 * What one layer keeps between its forward and backward for one batch: the forward's input and
 * named buffers (outputs, masks, argmax, scratch), reused from batch to batch while their shape
 * stays the same.
 *
 * A {@link Sequential} owns one state per layer by default; a pipeline scheduler (GPipe) makes
 * one {@link SequentialState} per in-flight micro-batch so several forwards can be pending before
 * their backwards. Not thread-safe; belongs to one engine.
 */
export class LayerState {
  /** The input of the last forward (owned by the caller or the previous layer's state). */
  input: Tensor | null = null;
  private readonly buffers = new Map<string, Tensor<DType>>();

  constructor(readonly engine: Engine) {}

  /** A float32 buffer named `name` of `shape`, reallocated only when the shape changes. */
  buffer(name: string, shape: readonly number[]): Tensor;
  /** A buffer of the given dtype. */
  buffer<D extends DType>(name: string, shape: readonly number[], dtype: D): Tensor<D>;
  buffer<D extends DType>(name: string, shape: readonly number[], dtype?: D): Tensor<D> {
    const want = (dtype ?? 'float32') as D;
    const have = this.buffers.get(name);
    if (
      have &&
      have.isAlive &&
      have.dtype === want &&
      have.shape.length === shape.length &&
      have.shape.every((d, i) => d === shape[i])
    ) {
      return have as Tensor<D>;
    }
    have?.dispose();
    const t = this.engine.empty(shape, want);
    this.buffers.set(name, t);
    return t;
  }

  /** The buffer named `name` if it exists (e.g. a mask written by the forward). */
  get(name: string): Tensor<DType> | undefined {
    return this.buffers.get(name);
  }

  /** Frees every buffer. */
  dispose(): void {
    for (const t of this.buffers.values()) t.dispose();
    this.buffers.clear();
    this.input = null;
  }
}

/** One {@link LayerState} per layer of a network: the activations of one in-flight batch. */
export class SequentialState {
  readonly layers: LayerState[];
  constructor(engine: Engine, count: number) {
    this.layers = Array.from({ length: count }, () => new LayerState(engine));
  }
  /** Frees every layer's buffers. */
  dispose(): void {
    for (const s of this.layers) s.dispose();
  }
}
