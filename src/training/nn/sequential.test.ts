// Sequential: build-time shape checks, config and weight round trips, and their errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../core/tensor/index.js';
import { modelRecipe } from '../models/recipe.js';
import { Sequential } from './sequential.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

describe('Sequential', () => {
  it('rebuilds from toConfig + getWeights to the same outputs', () => {
    const recipe = modelRecipe(
      'cnn',
      { features: 64, classes: 3 },
      { filters: [2], dense: 5, batchNorm: true, dropout: 0.1 },
    );
    const a = Sequential.create(e, recipe.network, 1);
    const b = Sequential.create(e, a.toConfig(), 2);
    b.setWeights(a.getWeights());
    const x = Float32Array.from({ length: 4 * 64 }, (_, i) => Math.sin(i));
    expect(Array.from(b.predict(x, 4))).toEqual(Array.from(a.predict(x, 4)));
    expect(a.shapes.map((s) => s.join('x'))).toEqual([
      '1x8x8',
      '2x8x8',
      '2x8x8',
      '2x8x8',
      '2x4x4',
      '32',
      '5',
      '5',
      '5',
      '3',
    ]);
    a.dispose();
    b.dispose();
  });

  it('shape errors name the layer, its input and the fix', () => {
    expect(() =>
      Sequential.create(e, {
        inputShape: [2, 3],
        layers: [{ kind: 'dense', config: { units: 2 } }],
      }),
    ).toThrow(
      /layer 0 \(dense\) with input \[2,3\]: dense: input per sample must be a vector \[features\], got \[2,3\]; add a flatten layer/,
    );
    expect(() =>
      Sequential.create(e, {
        inputShape: [10],
        layers: [{ kind: 'reshape', config: { shape: [3, 3] } }],
      }),
    ).toThrow(/cannot view per-sample shape \[10\]/);
    expect(() =>
      Sequential.create(e, {
        inputShape: [4],
        layers: [{ kind: 'relu' }, { kind: 'embedding', config: { vocab: 3, dim: 2 } }],
      }),
    ).toThrow(/embedding: must be the first layer/);
    expect(() =>
      Sequential.create(e, { inputShape: [4], layers: [{ kind: 'dense', config: { units: 0 } }] }),
    ).toThrow(/dense layer config at "units"/);
    expect(() => Sequential.create(e, { inputShape: [4], layers: [{ kind: 'lstm' }] })).toThrow(
      /unknown layer kind "lstm"; known kinds: avgpool2d, batchnorm/,
    );
    const net = Sequential.create(e, {
      inputShape: [4],
      layers: [{ kind: 'dense', config: { units: 2 } }],
    });
    expect(() => net.forward(e.zeros([3, 5]))).toThrow(
      /network input has shape \[3,5\], expected \[batch,4\]/,
    );
    expect(() => net.predict(new Float32Array(7), 2)).toThrow(
      /got 7 values for 2 samples of shape \[4\]/,
    );
  });

  it('setWeights refuses missing, extra and misshapen weights', () => {
    const net = Sequential.create(e, {
      inputShape: [4],
      layers: [{ kind: 'dense', config: { units: 2 } }],
    });
    const w = net.getWeights();
    expect(() => net.setWeights(w.slice(1))).toThrow(/weights lack "0.dense.weight"/);
    expect(() =>
      net.setWeights([...w, { name: 'x', shape: [1], values: new Float32Array(1) }]),
    ).toThrow(/entries the network does not: x/);
    expect(() => net.setWeights([{ ...w[0]!, shape: [2, 4] }, w[1]!])).toThrow(
      /"0.dense.weight" have shape \[2,4\] \(8 values\), the network expects \[4,2\]/,
    );
    net.dispose();
  });
});
