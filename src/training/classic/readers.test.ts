import { describe, expect, it } from 'vitest';
import { corpusFromTexts, parseLdac } from './ldac.js';
import { parseLibsvm, readLibsvm } from './libsvm.js';

describe('LIBSVM reader', () => {
  it('parses labels, 1-based ids, comments and blank lines', () => {
    const d = parseLibsvm('+1 1:0.5 3:1 # note\n\n-1 2:-2\n');
    expect(Array.from(d.y)).toEqual([1, -1]);
    expect([d.x.rows, d.x.cols]).toEqual([2, 3]);
    expect(Array.from(d.x.toDense())).toEqual([0.5, 0, 1, 0, -2, 0]);
    expect(parseLibsvm('0 0:1', { zeroBased: true }).x.cols).toBe(1);
    expect(parseLibsvm('1 2:1', { nFeatures: 10 }).x.cols).toBe(10);
  });

  it('names the file, line and token of bad input', async () => {
    expect(() => parseLibsvm('1 1:1\nx 1:1', { source: 'f.svm' })).toThrow(
      /f\.svm, line 2: label "x"/,
    );
    expect(() => parseLibsvm('1 1-1')).toThrow(/line 1: token "1-1" is not id:value/);
    expect(() => parseLibsvm('1 3:1 2:1')).toThrow(/must ascend/);
    expect(() => parseLibsvm('1 0:1')).toThrow(/not an integer >= 1/);
    expect(() => parseLibsvm('1 5:1', { nFeatures: 3 })).toThrow(/exceeds nFeatures 3/);
    await expect(readLibsvm('/nonexistent/a9a')).rejects.toThrow(/no such file/);
  });
});

describe('LDA-C reader and text corpora', () => {
  it('parses counts against a vocabulary', () => {
    const c = parseLdac('2 0:1 4:3\n1 2:2\n', { vocab: ['a', 'b', 'c', 'd', 'e'] });
    expect([c.docs.rows, c.docs.cols, c.docs.nnz]).toEqual([2, 5, 3]);
    expect(Array.from(c.docs.toDense())).toEqual([1, 0, 0, 0, 3, 0, 0, 2, 0, 0]);
  });

  it('names the line of bad input', () => {
    expect(() => parseLdac('3 0:1 1:1')).toThrow(/line 1: says 3 distinct words but lists 2/);
    expect(() => parseLdac('1 0:1\n1 0:0')).toThrow(/line 2: count in "0:0"/);
    expect(() => parseLdac('1 9:1', { vocab: ['a'] })).toThrow(
      /word id 9 is outside the 1-word vocabulary/,
    );
  });

  it('tokenizes texts, with a fixed vocabulary for held-out texts', () => {
    const c = corpusFromTexts(['The cat sat; the CAT!', 'a dog'], { stopWords: new Set(['the']) });
    expect(c.vocab).toEqual(['cat', 'sat', 'dog']);
    expect(Array.from(c.docs.toDense())).toEqual([2, 1, 0, 0, 0, 1]);
    const h = corpusFromTexts(['dog bird cat'], { vocab: c.vocab });
    expect(Array.from(h.docs.toDense())).toEqual([1, 0, 1]);
  });
});
