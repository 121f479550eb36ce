/**
 * Conformance suite for training layers (`Layer` in `mortar/training`): config round trip
 * through the registry, output shapes, gradients of the input and of every trainable param
 * against central finite differences of the engine's own float32 forward, and the gradient
 * accumulation protocol (a second backward without zeroGrad adds).
 *
 * @example
 * layerConformance('dense', { kind: 'dense', config: { units: 3 }, input: [4] });
 */
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { Rng } from '../core/rng.js';
import { loadEngine, type Engine, type Tensor } from '../core/tensor/index.js';
import { LAYERS, LayerState, type Layer } from '../training/index.js';

/** One layer configuration under test. */
export interface LayerCase {
  readonly kind: string;
  readonly config?: JsonValue;
  /** Per-sample input shape. */
  readonly input: readonly number[];
  /** Batch size (default 3). */
  readonly batch?: number;
  /** Inputs: 'uniform' in [-1, 1) (default) or 'ids' integers in [0, vocab) for embeddings. */
  readonly values?: 'uniform' | { readonly ids: number };
  /** Whether dL/dx exists (false for embeddings). Default true. */
  readonly inputGrad?: boolean;
  /** Compare in training mode (default true; dropout is checked with a fixed rng). */
  readonly training?: boolean;
}

/** Runs the suite for one layer configuration. */
export function layerConformance(name: string, c: LayerCase): void {
  describe(`layer conformance: ${name}`, () => {
    const batch = c.batch ?? 3;
    const build = (e: Engine): Layer => {
      const layer = LAYERS.create(c.kind, c.config ?? {});
      layer.build(e, c.input, new Rng(7));
      return layer;
    };
    const input = (e: Engine): Tensor => {
      const r = new Rng(3);
      const size = c.input.reduce((a, b) => a * b, 1) * batch;
      const ids = typeof c.values === 'object' ? c.values.ids : 0;
      // uniform values kept 0.05 away from 0, so finite differences never straddle ReLU's kink
      const draw = () => {
        const v = r.uniform(-1, 1);
        return Math.sign(v || 1) * (0.05 + 0.95 * Math.abs(v));
      };
      return e.fromArray(
        Float32Array.from({ length: size }, () => (ids ? r.int(0, ids - 1) : draw())),
        [batch, ...c.input],
      );
    };

    it('rebuilds from its kind and config, and reports its output shape', async () => {
      const e = await loadEngine();
      const layer = build(e);
      const again = LAYERS.create(layer.kind, layer.toConfig());
      expect(again.kind).toBe(layer.kind);
      expect(again.toConfig()).toEqual(layer.toConfig());
      const y = layer.forward(input(e), new LayerState(e), { training: false });
      expect(y.shape).toEqual([batch, ...layer.outputShape(c.input)]);
    });

    it('gradients match central finite differences of its float32 forward', async () => {
      const e = await loadEngine();
      const layer = build(e);
      const x = input(e);
      const training = c.training ?? true;
      const mode = () => ({ training, rng: new Rng(11) });
      const state = new LayerState(e);
      const y0 = layer.forward(x, state, mode());
      const r = new Rng(5);
      const weights = Float32Array.from({ length: y0.size }, () => r.uniform(-1, 1));
      const loss = (): number => {
        const s = new LayerState(e);
        const y = layer.forward(x, s, mode()).data;
        let v = 0;
        for (let i = 0; i < y.length; i++) v += (y[i] as number) * (weights[i] as number);
        s.dispose();
        return v;
      };
      layer.forward(x, state, mode());
      for (const p of layer.params()) p.zeroGrad();
      const dy = e.fromArray(weights, y0.shape);
      const dx = layer.backward(dy, state, true);
      const check = (values: Float32Array, analytic: Float32Array, what: string) => {
        const eps = 2e-3;
        const step = Math.max(1, Math.floor(values.length / 24));
        for (let i = 0; i < values.length; i += step) {
          const keep = values[i] as number;
          values[i] = keep + eps;
          const up = loss();
          values[i] = keep - eps;
          const down = loss();
          values[i] = keep;
          const fd = (up - down) / (2 * eps);
          expect(
            Math.abs((analytic[i] as number) - fd),
            `${what}[${i}]: analytic ${analytic[i]} vs numeric ${fd}`,
          ).toBeLessThan(1e-2 + 2e-2 * Math.abs(fd));
        }
      };
      if (c.inputGrad ?? true) {
        expect(dx).not.toBeNull();
        check(x.data, (dx as Tensor).toArray(), 'dx');
      }
      for (const p of layer.params()) {
        if (!p.trainable || !p.grad) continue;
        check(p.value.data, p.grad.toArray(), p.name);
      }
    });

    it('a second backward without zeroGrad adds to the param gradients', async () => {
      const e = await loadEngine();
      const layer = build(e);
      const params = layer.params().filter((p) => p.trainable);
      if (params.length === 0) return;
      const x = input(e);
      const state = new LayerState(e);
      const y = layer.forward(x, state, { training: true, rng: new Rng(1) });
      const dy = e.fromArray(
        Float32Array.from({ length: y.size }, (_, i) => ((i % 7) - 3) / 3),
        y.shape,
      );
      for (const p of params) p.zeroGrad();
      layer.backward(dy, state, false);
      const once = params.map((p) => p.gradArray());
      layer.backward(dy, state, false);
      params.forEach((p, k) => {
        const twice = p.gradArray();
        const o = once[k] as Float32Array;
        for (let i = 0; i < o.length; i++) expect(twice[i]).toBeCloseTo(2 * (o[i] as number), 4);
      });
    });
  });
}
