import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { Rng } from '../rng.js';
import { embeddingGather, embeddingScatterAdd } from './embedding.js';
import { loadEngine, type Engine } from './engine.js';
import { refEmbeddingGather, refEmbeddingScatterAdd } from './reference.js';
import { compareArrays, dot, numericGradient, randomArray } from './testkit.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

describe('embedding', () => {
  const rng = new Rng(7);
  for (const [vocab, dim, idxShape] of [
    [1, 1, [1]],
    [10, 3, [4]],
    [50, 16, [3, 5]],
    [7, 13, [2, 2, 6]],
  ] as const) {
    it(`gather and scatter-add match the reference: vocab ${vocab} dim ${dim} indices ${idxShape}`, () => {
      const n = idxShape.reduce((a: number, b: number) => a * b, 1);
      const tv = randomArray(rng, vocab * dim);
      // repeated indices on purpose: scatter-add must accumulate them
      const idx = Int32Array.from({ length: n }, (_, i) =>
        i % 3 === 2 ? 0 : rng.int(0, vocab - 1),
      );
      const out = new Float64Array(n * dim);
      refEmbeddingGather(tv, dim, idx, out);
      const dv = randomArray(rng, n * dim);
      const dtab = Float64Array.from(tv);
      refEmbeddingScatterAdd(dv, idx, dim, dtab);
      e.scope(() => {
        const table = e.fromArray(tv, [vocab, dim]);
        const ix = e.fromInts(idx, idxShape);
        const o = e.empty([...idxShape, dim]);
        embeddingGather(table, ix, o);
        expect([...o.data]).toEqual([...out]);
        embeddingScatterAdd(e.fromArray(dv, o.shape), ix, table);
        expect(compareArrays(table.data, dtab, 1e-6)).toBeNull();
      });
    });
  }

  it('scatter-add is the gradient of gather (finite differences)', () => {
    const [vocab, dim] = [5, 3];
    const idx = Int32Array.from([4, 1, 4, 0]);
    const tv = Float64Array.from(randomArray(rng, vocab * dim));
    const r = randomArray(rng, idx.length * dim);
    const fd = numericGradient((t) => {
      const out = new Float64Array(idx.length * dim);
      refEmbeddingGather(t, dim, idx, out);
      return dot(r, out);
    }, tv);
    e.scope(() => {
      const dtable = e.zeros([vocab, dim]);
      embeddingScatterAdd(e.fromArray(r, [idx.length, dim]), e.fromInts(idx), dtable);
      expect(compareArrays(dtable.data, fd, 1e-6, 1e-6)).toBeNull();
    });
  });

  it('rejects out-of-range indices and shapes with INVALID_ARGUMENT naming them', () => {
    e.scope(() => {
      const table = e.zeros([4, 2]);
      const cases: [() => void, RegExp][] = [
        [
          () => embeddingGather(table, e.fromInts([0, 4]), e.zeros([2, 2])),
          /indices\[1\] = 4 is outside the table's 4 rows/,
        ],
        [() => embeddingGather(table, e.fromInts([-1]), e.zeros([1, 2])), /indices\[0\] = -1/],
        [
          () => embeddingGather(table, e.fromInts([0, 1]), e.zeros([2, 3])),
          /out has shape \[2,3\], expected \[2,2\]/,
        ],
        [
          () => embeddingScatterAdd(e.zeros([3, 2]), e.fromInts([0, 1]), table),
          /dout has shape \[3,2\], expected \[2,2\]/,
        ],
        [
          () => embeddingGather(table, e.zeros([2]) as never, e.zeros([2, 2])),
          /indices must be int32/,
        ],
      ];
      for (const [f, msg] of cases) {
        try {
          f();
          expect.unreachable();
        } catch (err) {
          expect(isMortarError(err, 'INVALID_ARGUMENT')).toBe(true);
          expect((err as Error).message).toMatch(msg);
        }
      }
    });
  });
});
