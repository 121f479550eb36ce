import { MortarError } from '../errors.js';
import type { Engine } from './engine.js';

/** Element types: float32 for values, int32 for class labels and embedding indices. */
export type DType = 'float32' | 'int32';

/** The typed array a tensor of dtype D reads through. */
export type ArrayFor<D extends DType> = D extends 'int32' ? Int32Array : Float32Array;

/**
 * A dense, contiguous, row-major tensor living in one engine's WebAssembly memory.
 *
 * Lifetime rules (see README.md, "Memory model"):
 * - The tensor owns `size * 4` bytes at `ptr` until {@link Tensor.dispose}; using it afterwards throws.
 * - `data` is a view over the memory's current ArrayBuffer. Any allocation may grow the memory,
 *   which detaches every earlier view: re-read `data` after allocating, never keep it across
 *   allocations, kernel calls that allocate (conv2d), or awaits.
 * - A {@link Tensor.reshape} view shares its base's bytes and does not own them: disposing the
 *   view does nothing, and the view must not outlive its base.
 *
 * Not thread-safe: a tensor belongs to the engine (and thread) that allocated it.
 */
export class Tensor<D extends DType = 'float32'> {
  /** The engine whose memory holds this tensor. */
  readonly engine: Engine;
  /** Byte address of element 0 in the engine's memory. */
  readonly ptr: number;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Number of elements (product of shape). */
  readonly size: number;
  /** Element type. */
  readonly dtype: D;
  private readonly base: Tensor<D> | undefined;
  private alive = true;
  private cached: ArrayFor<D> | undefined;

  /** @internal Use engine.zeros / engine.empty / engine.fromArray. */
  constructor(engine: Engine, ptr: number, shape: readonly number[], dtype: D, base?: Tensor<D>) {
    this.engine = engine;
    this.ptr = ptr;
    this.shape = Object.freeze([...shape]);
    this.size = shape.reduce((a, b) => a * b, 1);
    this.dtype = dtype;
    this.base = base;
  }

  /** False once disposed (or once the base of a view is disposed). */
  get isAlive(): boolean {
    return this.base ? this.base.isAlive : this.alive;
  }

  /**
   * A live view of the elements (no copy). Re-derived when the memory has grown since the last
   * read; do not hold it across allocations.
   */
  get data(): ArrayFor<D> {
    this.assertAlive('data');
    const buffer = this.engine.memory.buffer;
    if (this.cached === undefined || this.cached.buffer !== buffer) {
      this.cached = (
        this.dtype === 'int32'
          ? new Int32Array(buffer, this.ptr, this.size)
          : new Float32Array(buffer, this.ptr, this.size)
      ) as ArrayFor<D>;
    }
    return this.cached;
  }

  /** Copies `values` (length = size) into the tensor. */
  set(values: ArrayLike<number>): this {
    if (values.length !== this.size) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `Tensor.set: got ${values.length} values for a tensor of shape [${this.shape.join(',')}] (${this.size} elements)`,
      );
    }
    this.data.set(values);
    return this;
  }

  /** A copy of the elements that stays valid after disposal and memory growth. */
  toArray(): ArrayFor<D> {
    return this.data.slice() as ArrayFor<D>;
  }

  /** A view with another shape of the same size, sharing (not owning) these bytes. */
  reshape(shape: readonly number[]): Tensor<D> {
    this.assertAlive('reshape');
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== this.size || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `Tensor.reshape: cannot view shape [${this.shape.join(',')}] as [${shape.join(',')}]`,
      );
    }
    return new Tensor(this.engine, this.ptr, shape, this.dtype, this.base ?? this);
  }

  /**
   * A non-owning view of `shape` starting `offset` elements in (e.g. one image of a batch),
   * sharing these bytes; same lifetime rules as {@link Tensor.reshape}.
   */
  view(offset: number, shape: readonly number[]): Tensor<D> {
    this.assertAlive('view');
    const size = shape.reduce((a, b) => a * b, 1);
    if (
      !Number.isInteger(offset) ||
      offset < 0 ||
      offset + size > this.size ||
      shape.some((d) => !Number.isInteger(d) || d < 0)
    ) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `Tensor.view: [${shape.join(',')}] at offset ${offset} does not fit in shape [${this.shape.join(',')}]`,
      );
    }
    return new Tensor(this.engine, this.ptr + offset * 4, shape, this.dtype, this.base ?? this);
  }

  /** Frees the bytes (no-op for views and for an already disposed tensor). */
  dispose(): void {
    if (this.base || !this.alive) return;
    this.alive = false;
    this.cached = undefined;
    this.engine.release(this);
  }

  /** Throws FAILED_PRECONDITION when the tensor was disposed. */
  assertAlive(op: string): void {
    if (!this.isAlive) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        `${op}: tensor of shape [${this.shape.join(',')}] was disposed`,
      );
    }
  }
}
