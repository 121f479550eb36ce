// End-to-end quality of the classic models on small slices of the real datasets in
// ../shared/data (MovieLens-100K, a9a, AP), with fixed seeds and robust thresholds.
import { describe, expect, it } from 'vitest';
import {
  CLASSIC_MODELS,
  readLdac,
  readLibsvm,
  restoreClassicModel,
} from '../src/training/classic/index.js';
import { rmse } from '../src/training/metrics.js';
import { SHARED_DATA, hasData, readMovieLens } from './helpers/classic-data.js';

describe.skipIf(!hasData('ml-100k'))('mf on a 10k-rating slice of MovieLens-100K (u1)', () => {
  it('beats the global-mean baseline by a margin and survives a JSON round trip', async () => {
    const train = readMovieLens('u1.base', 10_000);
    const known = new Set(train.users);
    const all = readMovieLens('u1.test');
    const keep = Array.from(all.users.keys()).filter((k) => known.has(all.users[k]!));
    const test = {
      kind: 'ratings' as const,
      users: keep.map((k) => all.users[k]!),
      items: keep.map((k) => all.items[k]!),
      ratings: keep.map((k) => all.ratings[k]!),
    };
    const mean = train.ratings.reduce((a, b) => a + b, 0) / train.ratings.length;
    const baseline = rmse(
      test.ratings,
      test.ratings.map(() => mean),
    );
    const model = await CLASSIC_MODELS.mf!.fit(train, { seed: 42 });
    const got = model.evaluate(test).rmse!;
    expect(got).toBeLessThan(baseline - 0.08);
    const again = restoreClassicModel(JSON.parse(JSON.stringify(model.toJSON())));
    expect(again.evaluate(test).rmse).toBe(got);
  });
});

describe.skipIf(!hasData('a9a'))('logreg and lasso on 5k rows of a9a', () => {
  it('logreg reaches >= 0.82 test accuracy on a9a.t', async () => {
    const full = await readLibsvm(SHARED_DATA + 'a9a/a9a', { nFeatures: 123 });
    const ids = Array.from({ length: 5000 }, (_, i) => i);
    const train = {
      kind: 'features' as const,
      x: full.x.selectRows(ids),
      y: full.y.subarray(0, 5000),
    };
    const test = await readLibsvm(SHARED_DATA + 'a9a/a9a.t', { nFeatures: 123 });
    const m = await CLASSIC_MODELS.logreg!.fit(train, {});
    const ev = m.evaluate(test);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.82);
    expect(ev.auc).toBeGreaterThan(0.88);
    const l = await CLASSIC_MODELS.lasso!.fit(train, { alpha: 0.001 });
    expect(l.evaluate(test).accuracy).toBeGreaterThanOrEqual(0.82);
  });
});

describe.skipIf(!hasData('ap'))('lda on 200 AP documents', () => {
  it('training perplexity decreases over sweeps and held-out perplexity is finite', async () => {
    const corpus = await readLdac(SHARED_DATA + 'ap/ap.dat', SHARED_DATA + 'ap/vocab.txt');
    const pick = (from: number, n: number) => ({
      kind: 'corpus' as const,
      docs: corpus.docs.selectRows(Array.from({ length: n }, (_, i) => from + i)),
      vocab: corpus.vocab,
    });
    const train = pick(0, 200);
    const test = pick(200, 30);
    const curve: number[] = [];
    const m = await CLASSIC_MODELS.lda!.fit(
      train,
      { topics: 10, epochs: 40, evalEvery: 10, seed: 1 },
      {
        onEpoch: (e) => {
          if (e.metrics.train_perplexity !== undefined) curve.push(e.metrics.train_perplexity);
        },
      },
    );
    expect(curve.length).toBe(5); // epochs 1, 10, 20, 30, 40
    expect(curve[1]!).toBeLessThan(curve[0]! * 0.9);
    expect(curve[4]!).toBeLessThan(curve[1]!);
    const held = m.evaluate(test);
    expect(Number.isFinite(held.perplexity)).toBe(true);
    expect(held.perplexity).toBeGreaterThan(1);
  });
});
