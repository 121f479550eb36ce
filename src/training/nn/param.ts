import type { Engine, Tensor } from '../../core/tensor/index.js';

/**
 * One named parameter of a layer: its value tensor and, when trainable, a gradient tensor of the
 * same shape. Non-trainable params (BatchNorm running statistics) are saved with the weights but
 * never updated by an optimizer.
 *
 * Gradient protocol: after {@link Param.zeroGrad} the gradient is *fresh* (its bytes are
 * meaningless); the first backward writes it, later backwards (micro-batches, pipeline stages)
 * add to it. Layers use {@link Param.gradFor} / {@link Param.commit} to honour this.
 */
export class Param {
  /** Gradient of the loss (null for non-trainable params). */
  readonly grad: Tensor | null;
  private fresh = true;

  constructor(
    /** Name within its layer, e.g. `weight`, `bias`, `runningMean`. */
    readonly name: string,
    /** The value, shape fixed for the life of the param. */
    readonly value: Tensor,
    /** Whether optimizers update it. */
    readonly trainable = true,
  ) {
    this.grad = trainable ? value.engine.zeros(value.shape) : null;
  }

  /** True when no backward wrote the gradient since the last {@link Param.zeroGrad}. */
  get isFresh(): boolean {
    return this.fresh;
  }

  /** Marks the gradient fresh: the next backward overwrites instead of adding. */
  zeroGrad(): void {
    this.fresh = true;
  }

  /**
   * Where a backward should write this param's gradient: the gradient itself when fresh, else
   * `scratch` (call {@link Param.commit} with it afterwards to add it in).
   */
  gradFor(scratch: () => Tensor): Tensor {
    if (!this.grad) throw new Error(`param ${this.name} is not trainable`);
    return this.fresh ? this.grad : scratch();
  }

  /** Finishes a backward that wrote into `written` (from {@link Param.gradFor}). */
  commit(written: Tensor): void {
    const g = this.grad;
    if (!g) return;
    if (written !== g) g.engine.kernels.add(g.ptr, written.ptr, g.ptr, g.size);
    this.fresh = false;
  }

  /** The gradient as a copied array, zeros when fresh (for tests and data parallelism). */
  gradArray(): Float32Array {
    if (!this.grad || this.fresh) return new Float32Array(this.value.size);
    return this.grad.toArray();
  }

  /** Overwrites the gradient with `values` (e.g. an all-reduced average) and marks it written. */
  setGrad(values: ArrayLike<number>): void {
    if (!this.grad) return;
    this.grad.set(values);
    this.fresh = false;
  }

  /** Frees the value and gradient. */
  dispose(): void {
    this.value.dispose();
    this.grad?.dispose();
  }
}

/** A float32 tensor of `shape` filled by `fill(i)`, on `engine`. */
export function tensorFrom(
  engine: Engine,
  shape: readonly number[],
  fill: (i: number) => number,
): Tensor {
  const t = engine.empty(shape);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = fill(i);
  return t;
}
