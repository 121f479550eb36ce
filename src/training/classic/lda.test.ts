import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { type LdaModel, lda } from './lda.js';
import { corpusFromTexts } from './ldac.js';

// Two clean topics: documents draw words from one of two disjoint word lists.
const A = ['goal', 'match', 'team', 'league', 'coach', 'score'];
const B = ['vote', 'party', 'election', 'senate', 'policy', 'minister'];
function texts(n: number, seed: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, d) => {
    const words = d % 2 === 0 ? A : B;
    return Array.from({ length: 40 }, () => rng.choice(words)).join(' ');
  });
}

describe('LDA (collapsed Gibbs)', () => {
  const train = corpusFromTexts(texts(60, 1));
  const test = corpusFromTexts(texts(20, 2), { vocab: train.vocab });

  it('separates two disjoint topics and infers document proportions', async () => {
    const m = (await lda.fit(train, { topics: 2, epochs: 50, seed: 3 })) as LdaModel;
    const tops = m.topWords(6).map((t) => t.map((w) => w.word).sort());
    expect(tops.map((t) => t.join(' ')).sort()).toEqual(
      [[...A].sort().join(' '), [...B].sort().join(' ')].sort(),
    );
    const theta = m.predict(test);
    expect(theta.length).toBe(40);
    for (let d = 0; d < 20; d++)
      expect(Math.max(theta[2 * d]!, theta[2 * d + 1]!)).toBeGreaterThan(0.9);
    // with two clean topics of 6 words each, held-out perplexity approaches 6
    expect(m.perplexity(test).perplexity).toBeLessThan(7);
  });

  it('refuses a corpus wider than its vocabulary and fractional counts', async () => {
    const m = await lda.fit(train, { topics: 2, epochs: 2 });
    const wide = corpusFromTexts(['goal extra words here']);
    expect(() => m.predict({ kind: 'corpus', docs: wide.docs.withCols(99) })).toThrow(
      /99 word columns but the model's vocabulary has 12/,
    );
    const frac = { kind: 'corpus' as const, docs: train.docs.selectRows([0]) };
    frac.docs.values[0] = 0.5;
    await expect(lda.fit(frac, {})).rejects.toThrow(/non-negative integers, found 0.5/);
  });
});
