import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';

const FIX = resolve('test/fixtures/labeling');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mortar-label-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const out = memoryOutput();
  const code = await main(['node', 'mortar', '--store', `sqlite:${join(dir, 'm.db')}`, ...args], {
    out,
    env: {},
    cwd: dir,
  });
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

describe('mortar label', () => {
  it('apply -> analyze -> fit -> predict, recorded in the store', async () => {
    const a = await run(
      'label',
      'apply',
      '--lfs',
      `${FIX}/lfs.json`,
      `${FIX}/emails.csv`,
      '--out',
      'L.csv',
      '--json',
    );
    expect(a.code).toBe(0);
    const applied = JSON.parse(a.stdout) as { rows: number; runId: string; storedMatrix: string };
    expect(applied.rows).toBe(6);
    expect(readFileSync(join(dir, 'L.csv'), 'utf8').split('\n')[0]).toBe(
      'kw_offer,re_html,re_reply,short,sender,filter_score',
    );

    writeFileSync(join(dir, 'y.csv'), 'label\n0\n1\n0\n1\n0\n1\n');
    const an = await run(
      'label',
      'analyze',
      'L.csv',
      '--gold',
      'y.csv',
      '--json',
      '--html',
      'lf.html',
    );
    expect(an.code).toBe(0);
    const s = JSON.parse(an.stdout) as {
      rows: { lf: string; coverage: number; empiricalAccuracy: number }[];
    };
    expect(s.rows.find((r) => r.lf === 'kw_offer')).toMatchObject({
      coverage: 0.5,
      empiricalAccuracy: 1,
    });
    expect(readFileSync(join(dir, 'lf.html'), 'utf8')).toContain('kw_offer');
    const human = await run('label', 'analyze', 'L.csv');
    expect(human.stdout).toMatch(/kw_offer\s+1\s+50.0%/);

    const f = await run(
      'label',
      'fit',
      'L.csv',
      '--model',
      'majority',
      '--classes',
      '2',
      '--out',
      'model.json',
      '--json',
    );
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout)).toMatchObject({ model: 'majority', classes: 2 });
    const p = await run(
      'label',
      'predict',
      '--model',
      'model.json',
      'L.csv',
      '--out',
      'probs.csv',
      '--json',
    );
    expect(p.code).toBe(0);
    const lines = readFileSync(join(dir, 'probs.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('p0,p1');
    expect(lines.slice(1)).toEqual(['1,0', '0.2,0.8', '1,0', '0.25,0.75', '0.5,0.5', '0,1']);

    const runs = await run('runs', 'list', '--json');
    expect(runs.stdout).toContain('label-apply');
    expect(runs.stdout).toContain('label-predict');
  });

  it('fits the default model with a gold set (automatic choice) and the TS module applier', async () => {
    const a = await run(
      'label',
      'apply',
      '--lfs',
      `${FIX}/lfs.ts`,
      `${FIX}/emails.csv`,
      '--out',
      'L2.csv',
      '--workers',
      '2',
      '--classes',
      '2',
    );
    expect(a.code).toBe(0);
    const f = await run('label', 'fit', 'L2.csv', '--gold', 'y.csv', '--out', 'm2.json', '--json');
    expect(f.code).toBe(0);
    expect((JSON.parse(f.stdout) as { selection: unknown[] }).selection).toHaveLength(4);
  });

  it('bad input: wrong width, non-integers, gold mismatch, labels outside the set', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'a,b,c\n0,1,1\n1,1\n');
    let r = await run('label', 'analyze', 'bad.csv');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bad.csv, line 3: expected 3 values/);
    writeFileSync(join(dir, 'bad2.csv'), 'a,b,c\n0,1,x\n');
    r = await run('label', 'fit', 'bad2.csv', '--out', 'x.json');
    expect(r.stderr).toMatch(/line 2, column 3 \(c\): "x" is not a label/);
    writeFileSync(join(dir, 'y3.csv'), '0\n1\n');
    r = await run('label', 'analyze', 'L.csv', '--gold', 'y3.csv');
    expect(r.stderr).toMatch(/y3.csv has 2 labels but the label matrix has 6 rows/);
    writeFileSync(join(dir, 'L3.csv'), 'a,b,c\n0,2,1\n1,1,0\n');
    r = await run('label', 'fit', 'L3.csv', '--classes', '2', '--out', 'x.json');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/row 0, LF "b": label 2 is outside the label set 0..1/);
  });
});
