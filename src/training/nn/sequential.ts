import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { Rng } from '../../core/rng.js';
import type { Engine, Tensor } from '../../core/tensor/index.js';
import { fmtShape, layerError, parseConfig } from './check.js';
import type { ForwardMode, Layer } from './layer.js';
import type { Param } from './param.js';
import { layerFromSpec, type LayerSpec } from './registry.js';
import { SequentialState } from './state.js';

/** JSON config of a {@link Sequential}: the per-sample input shape and the layers in order. */
export const SequentialConfigSchema = z
  .object({
    inputShape: z.array(z.number().int().min(1)).min(1),
    layers: z.array(z.object({ kind: z.string().min(1), config: z.json().optional() }).strict()),
  })
  .strict();

/** A stored network architecture. */
export type SequentialConfig = z.infer<typeof SequentialConfigSchema>;

/** A named weight array, as saved and loaded (`<layer index>.<kind>.<param>`). */
export interface NamedWeights {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Options of {@link Sequential.forward}. */
export interface SequentialForwardOptions extends Partial<ForwardMode> {
  /** The activations to use (default: the network's own); one per in-flight micro-batch. */
  readonly state?: SequentialState;
}

/**
 * A stack of layers run in order, with layer-by-layer control for schedulers that split a
 * network (pipeline stages, incremental inference): {@link Sequential.forwardLayer} /
 * {@link Sequential.backwardLayer} run one layer against an explicit {@link SequentialState},
 * and {@link Sequential.createState} makes one state per in-flight micro-batch. Param gradients
 * accumulate across backwards until {@link Sequential.zeroGrad}.
 *
 * Not thread-safe: the network lives on one engine; replicas for other threads are built from
 * {@link Sequential.toConfig} and {@link Sequential.getWeights}.
 *
 * @example
 * const net = Sequential.create(engine, { inputShape: [4], layers: [
 *   { kind: 'dense', config: { units: 8 } }, { kind: 'relu' }, { kind: 'dense', config: { units: 3 } }] }, 1);
 * const logits = net.forward(engine.fromArray(x, [n, 4]));
 */
export class Sequential {
  readonly layers: readonly Layer[];
  readonly inputShape: readonly number[];
  /** Per-sample output shape of every layer (index i = output of layer i). */
  readonly shapes: readonly (readonly number[])[];
  private readonly state: SequentialState;
  private paramList: { name: string; param: Param; layer: number }[] = [];

  private constructor(
    readonly engine: Engine,
    inputShape: readonly number[],
    layers: Layer[],
    rng: Rng,
  ) {
    this.inputShape = [...inputShape];
    this.layers = layers;
    const shapes: number[][] = [];
    let shape: readonly number[] = inputShape;
    layers.forEach((layer, i) => {
      if (i > 0 && layer.kind === 'embedding') {
        layerError(
          'embedding',
          `must be the first layer (ids are not differentiable), found at position ${i}`,
        );
      }
      try {
        layer.build(engine, shape, rng);
      } catch (e) {
        if (e instanceof MortarError) {
          throw new MortarError(
            e.code,
            `layer ${i} (${layer.kind}) with input ${fmtShape(shape)}: ${e.message}`,
            {
              details: { ...e.details, layerIndex: i },
              cause: e,
            },
          );
        }
        throw e;
      }
      shape = layer.outputShape(shape);
      shapes.push([...shape]);
      for (const p of layer.params())
        this.paramList.push({ name: `${i}.${layer.kind}.${p.name}`, param: p, layer: i });
    });
    this.shapes = shapes;
    this.state = new SequentialState(engine, layers.length);
  }

  /** Builds a network from its config, initialising weights from `seed` (or an Rng). */
  static create(engine: Engine, config: unknown, seed: number | Rng = 0): Sequential {
    const c = parseConfig('sequential', SequentialConfigSchema, config);
    const layers = c.layers.map((l) => layerFromSpec(l as LayerSpec));
    return new Sequential(
      engine,
      c.inputShape,
      layers,
      typeof seed === 'number' ? new Rng(seed) : seed,
    );
  }

  /** The config that rebuilds this architecture. */
  toConfig(): JsonObject {
    return {
      inputShape: [...this.inputShape],
      layers: this.layers.map((l) => ({ kind: l.kind, config: l.toConfig() })),
    };
  }

  /** Per-sample output shape of the whole network. */
  get outputShape(): readonly number[] {
    return this.shapes[this.shapes.length - 1] ?? this.inputShape;
  }

  /** Fresh activations for one in-flight batch (free them with dispose()). */
  createState(): SequentialState {
    return new SequentialState(this.engine, this.layers.length);
  }

  /** Runs layer i alone on x (batched) with the given activations. */
  forwardLayer(i: number, x: Tensor, state: SequentialState, mode: ForwardMode): Tensor {
    const layer = this.layerAt(i);
    return layer.forward(x, state.layers[i]!, mode);
  }

  /** Backward of layer i alone; returns dL/dx of its input (null for layer 0 unless asked). */
  backwardLayer(
    i: number,
    dy: Tensor,
    state: SequentialState,
    needInputGrad = i > 0,
  ): Tensor | null {
    return this.layerAt(i).backward(dy, state.layers[i]!, needInputGrad);
  }

  /** The whole forward; the output is owned by the state and valid until its next forward. */
  forward(x: Tensor, options: SequentialForwardOptions = {}): Tensor {
    const state = options.state ?? this.state;
    const mode: ForwardMode = { training: options.training ?? false, rng: options.rng };
    const want = this.inputShape;
    if (x.shape.length !== want.length + 1 || want.some((d, i) => x.shape[i + 1] !== d)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `network input has shape ${fmtShape(x.shape)}, expected [batch,${want.join(',')}]`,
        { details: { got: x.shape, expected: want } },
      );
    }
    let h = x;
    for (let i = 0; i < this.layers.length; i++) h = this.forwardLayer(i, h, state, mode);
    return h;
  }

  /** The whole backward from dL/d(output); accumulates param gradients. */
  backward(
    dy: Tensor,
    options: { readonly state?: SequentialState; readonly needInputGrad?: boolean } = {},
  ): Tensor | null {
    const state = options.state ?? this.state;
    let g: Tensor | null = dy;
    for (let i = this.layers.length - 1; i >= 0 && g; i--) {
      g = this.backwardLayer(i, g, state, i > 0 || (options.needInputGrad ?? false));
    }
    return g;
  }

  /** Every param with its stable name, in layer order. */
  namedParams(): readonly {
    readonly name: string;
    readonly param: Param;
    readonly layer: number;
  }[] {
    return this.paramList;
  }

  /** The trainable params in layer order. */
  trainableParams(): Param[] {
    return this.paramList.filter((p) => p.param.trainable).map((p) => p.param);
  }

  /** Marks every gradient fresh (the next backward overwrites). */
  zeroGrad(): void {
    for (const p of this.paramList) p.param.zeroGrad();
  }

  /** Number of trainable scalars. */
  get parameterCount(): number {
    return this.trainableParams().reduce((a, p) => a + p.value.size, 0);
  }

  /** Copies of every param (trainable and not), for saving. */
  getWeights(): NamedWeights[] {
    return this.paramList.map(({ name, param }) => ({
      name,
      shape: [...param.value.shape],
      values: param.value.toArray(),
    }));
  }

  /** Loads weights saved by {@link Sequential.getWeights}; names and shapes must match exactly. */
  setWeights(weights: readonly NamedWeights[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const { name, param } of this.paramList) {
      const w = byName.get(name);
      if (!w)
        throw new MortarError(
          'DATA_INVALID',
          `weights lack "${name}" (have ${[...byName.keys()].join(', ') || 'none'})`,
        );
      if (w.values.length !== param.value.size || w.shape.join() !== param.value.shape.join()) {
        throw new MortarError(
          'DATA_INVALID',
          `weights "${name}" have shape ${fmtShape(w.shape)} (${w.values.length} values), the network expects ${fmtShape(param.value.shape)}`,
        );
      }
      param.value.set(w.values);
      byName.delete(name);
    }
    if (byName.size)
      throw new MortarError(
        'DATA_INVALID',
        `weights have entries the network does not: ${[...byName.keys()].join(', ')}`,
      );
  }

  /**
   * Inference over `n` samples stored row-major in `x` (n * prod(inputShape) floats), in
   * batches; returns the outputs row-major (n * prod(outputShape)).
   */
  predict(x: Float32Array, n: number, batchSize = 256): Float32Array {
    const inSize = this.inputShape.reduce((a, b) => a * b, 1);
    const outSize = this.outputShape.reduce((a, b) => a * b, 1);
    if (x.length !== n * inSize) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `predict: got ${x.length} values for ${n} samples of shape ${fmtShape(this.inputShape)} (${n * inSize} expected)`,
      );
    }
    const out = new Float32Array(n * outSize);
    const state = this.createState();
    try {
      for (let s = 0; s < n; s += batchSize) {
        const b = Math.min(batchSize, n - s);
        this.engine.scope(() => {
          const xt = this.engine.fromArray(x.subarray(s * inSize, (s + b) * inSize), [
            b,
            ...this.inputShape,
          ]);
          const y = this.forward(xt, { state, training: false });
          out.set(y.data, s * outSize);
        });
      }
    } finally {
      state.dispose();
    }
    return out;
  }

  /** Frees params and activations. */
  dispose(): void {
    this.state.dispose();
    for (const l of this.layers) l.dispose();
  }

  private layerAt(i: number): Layer {
    const l = this.layers[i];
    if (!l)
      throw new MortarError(
        'INVALID_ARGUMENT',
        `layer index ${i} is out of range [0, ${this.layers.length})`,
      );
    return l;
  }
}
