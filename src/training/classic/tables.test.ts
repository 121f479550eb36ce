import { describe, expect, it } from 'vitest';
import { RecordBatch } from '../../core/data/index.js';
import { corpusFromBatch, featuresFromBatch, ratingsFromBatch } from './tables.js';

const batch = RecordBatch.fromRows(
  [
    { name: 'user', type: 'string', nullable: true },
    { name: 'item', type: 'int32', nullable: true },
    { name: 'rating', type: 'float64', nullable: true },
    { name: 'flag', type: 'bool', nullable: true },
    { name: 'text', type: 'string', nullable: true },
  ],
  [
    ['ann', 1, 4, true, 'Rain in Spain'],
    ['bob', 2, null, false, null],
  ],
);

describe('datasets from record batches', () => {
  it('builds ratings with string ids and NaN for a null label', () => {
    const r = ratingsFromBatch(batch, { user: 'user', item: 'item', rating: 'rating' });
    expect(Array.from(r.users)).toEqual(['ann', 'bob']);
    expect(Array.from(r.items)).toEqual([1, 2]);
    expect(Array.from(r.ratings!)).toEqual([4, NaN]);
  });

  it('builds dense features from numeric and bool columns', () => {
    const f = featuresFromBatch(batch, { label: 'rating' });
    expect(f.featureNames).toEqual(['item', 'flag']);
    expect(Array.from((f.x as { data: Float64Array }).data)).toEqual([1, 1, 2, 0]);
    expect(() => featuresFromBatch(batch, { label: 'rating', features: ['text'] })).toThrow(
      /feature column "text" is string, not numeric/,
    );
  });

  it('names a missing label column and lists the columns', () => {
    expect(() => featuresFromBatch(batch, { label: 'price' })).toThrow(
      /no label column "price"; columns are: user, item, rating, flag, text/,
    );
    expect(() => ratingsFromBatch(batch, { user: 'uid', item: 'item' })).toThrow(
      /no user column "uid"/,
    );
  });

  it('tokenizes a text column into a corpus', () => {
    const c = corpusFromBatch(batch, { text: 'text' });
    expect(c.vocab).toEqual(['rain', 'in', 'spain']);
    expect(c.docs.rows).toBe(2);
    expect(() => corpusFromBatch(batch, { text: 'item' })).toThrow(/not text/);
  });
});
