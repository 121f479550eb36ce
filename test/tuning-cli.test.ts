// `mortar tune` end to end, in process (main()) with real child processes as objectives and a
// SQLite store: run/resume/show/best/export/report, several objectives, and bad input.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';
import { writeObjectives } from './helpers/tuning-objectives.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'tuning');
const SPACE = join(FIXTURES, 'space.json');
const programs = writeObjectives(mkdtempSync(join(tmpdir(), 'mortar-tune-programs-')));
const OBJECTIVE = [process.execPath, programs.objective, '--x', '{x}', '--kind', '{kind}'];

async function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  const out = memoryOutput();
  const code = await main(['node', 'mortar', '--store', `sqlite:${join(cwd, 'm.db')}`, ...args], {
    out,
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}
const json = (s: string): Record<string, unknown> => JSON.parse(s) as Record<string, unknown>;

describe('mortar tune', () => {
  it('runs a study with two workers, then shows, bests, exports, reports and resumes it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mortar-tune-'));
    const r = await run(cwd, [
      'tune',
      'run',
      '--study',
      's1',
      '--space',
      SPACE,
      '--objective',
      'loss:min',
      '--constraint',
      'latency_ms<=40',
      '--trials',
      '8',
      '--workers',
      '2',
      '--seed',
      '1',
      '--',
      ...OBJECTIVE,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^trial \d+ complete/gm)).toHaveLength(8);
    const show = json((await run(cwd, ['tune', 'show', '--study', 's1', '--json'])).stdout);
    expect((show['summary'] as Record<string, unknown>)['counts']).toMatchObject({
      complete: 8,
      failed: 0,
      running: 0,
    });
    const trials = show['trials'] as {
      params: Record<string, unknown>;
      values: number[];
      metrics: Record<string, number>;
    }[];
    for (const t of trials) {
      const x = t.params['x'] as number;
      expect(t.values[0]).toBeCloseTo((x - 1) ** 2 + (t.params['kind'] === 'b' ? 1 : 0), 9);
      expect(t.metrics['latency_ms']).toBeCloseTo(10 + 10 * Math.abs(x), 9);
      expect('depth' in t.params).toBe(t.params['kind'] === 'b');
    }
    const best = json((await run(cwd, ['tune', 'best', '--study', 's1', '--json'])).stdout);
    const feasible = trials.filter((t) => t.metrics['latency_ms']! <= 40).map((t) => t.values[0]!);
    expect(best['value']).toBe(Math.min(...feasible));
    expect(Object.keys(best['params'] as object)).toContain('x');

    const csv = (
      await run(cwd, ['tune', 'export', '--study', 's1', '--format', 'csv'])
    ).stdout.split('\n');
    expect(csv[0]).toBe('number,state,value0,x,kind,depth');
    expect(csv).toHaveLength(9);
    expect((await run(cwd, ['tune', 'export', '--study', 's1'])).stdout.split('\n')).toHaveLength(
      8,
    );

    // Optuna's journal format, out and back in.
    const log = join(cwd, 'optuna.log');
    writeFileSync(
      log,
      (await run(cwd, ['tune', 'export', '--study', 's1', '--format', 'optuna'])).stdout + '\n',
    );
    const imp = await run(cwd, [
      'tune',
      'import',
      '--study',
      's1-copy',
      '--from-optuna',
      log,
      '--json',
    ]);
    expect(json(imp.stdout)).toMatchObject({
      study: 's1-copy',
      from: 's1',
      imported: 8,
      skipped: 0,
    });
    expect(
      json((await run(cwd, ['tune', 'best', '--study', 's1-copy', '--json'])).stdout)['value'],
    ).toBe(best['value']);

    const html = join(cwd, 'out.html');
    const rep = await run(cwd, ['tune', 'report', 's1', '--html', html, '--json']);
    expect(rep.code).toBe(0);
    expect(json(rep.stdout)['trials']).toBe(8);
    const page = readFileSync(html, 'utf8');
    for (const s of ['Optimization history', 'Parameter importance', 'Parallel coordinates'])
      expect(page).toContain(s);

    // Resume with a larger budget: only the spec's command runs, no flags but --trials needed.
    const again = await run(cwd, ['tune', 'run', '--study', 's1', '--trials', '11']);
    expect(again.code).toBe(0);
    expect(again.stdout.match(/^trial \d+ complete/gm)).toHaveLength(3);
    // The same study with another space is refused.
    const other = join(cwd, 'other.json');
    writeFileSync(other, JSON.stringify([{ name: 'x', type: 'float', low: 0, high: 1 }]));
    const refused = await run(cwd, [
      'tune',
      'run',
      '--study',
      's1',
      '--space',
      other,
      '--objective',
      'loss:min',
      '--',
      ...OBJECTIVE,
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/exists with another space/);
  });

  it('prints the Pareto set for several objectives', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mortar-tune-'));
    const r = await run(cwd, [
      'tune',
      'run',
      '--study',
      'mo',
      '--space',
      SPACE,
      '--objective',
      'loss:min',
      '--objective',
      'acc:max',
      '--trials',
      '6',
      '--seed',
      '2',
      '--json',
      '--',
      ...OBJECTIVE,
    ]);
    expect(r.code).toBe(0);
    const best = json((await run(cwd, ['tune', 'best', '--study', 'mo', '--json'])).stdout);
    const pareto = best['pareto'] as { values: number[] }[];
    expect(pareto.length).toBeGreaterThan(0);
    for (const p of pareto) expect(p.values).toHaveLength(2);
  });

  it('fails trials clearly: no JSON, a crash, NaN, a timeout; the study stays consistent', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mortar-tune-'));
    const cases: [string, RegExp, string[]][] = [
      ['nojson', /printed no JSON line.*\{"value": 0.93\}/, []],
      ['crash', /exited with code 2; stderr tail:\nTraceback: boom/, []],
      ['nan', /objective "loss" is "NaN", not a finite number/, []],
      ['sleep', /timed out after 0.5 s/, ['--timeout-per-trial', '0.5']],
    ];
    for (const [mode, reason, extra] of cases) {
      const r = await run(
        cwd,
        [
          'tune',
          'run',
          '--study',
          mode,
          '--space',
          SPACE,
          '--objective',
          'loss:min',
          '--trials',
          '2',
          ...extra,
          '--',
          ...OBJECTIVE,
        ],
        { MODE: mode },
      );
      expect(r.code, mode).toBe(1);
      expect(r.stderr).toMatch(/no trial completed/);
      const show = json((await run(cwd, ['tune', 'show', '--study', mode, '--json'])).stdout);
      const trials = show['trials'] as { state: string; failReason: string }[];
      expect(trials.map((t) => t.state)).toEqual(['failed', 'failed']);
      expect(trials[0]?.failReason).toMatch(reason);
    }
  });

  it('rejects an invalid space, objective or constraint before running anything', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mortar-tune-'));
    const bad: [unknown, RegExp][] = [
      [[{ name: 'lr', type: 'float', low: 1, high: 0 }], /lr/],
      [[{ name: 'lr', type: 'float', low: 0, high: 1, log: true }], /lr.*log/],
      [[{ name: 'c', type: 'categorical', choices: [] }], /"?c"?/],
      [
        [{ name: 'd', type: 'int', low: 1, high: 3, condition: { param: 'nope', in: [1] } }],
        /nope/,
      ],
    ];
    for (const [space, msg] of bad) {
      const file = join(cwd, 'bad.json');
      writeFileSync(file, JSON.stringify(space));
      const r = await run(cwd, [
        'tune',
        'run',
        '--study',
        'bad',
        '--space',
        file,
        '--objective',
        'loss:min',
        '--',
        ...OBJECTIVE,
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).toContain(file);
    }
    const obj = await run(cwd, [
      'tune',
      'run',
      '--study',
      'bad',
      '--space',
      SPACE,
      '--objective',
      'loss',
      '--',
      ...OBJECTIVE,
    ]);
    expect(obj.stderr).toMatch(/NAME:min or NAME:max/);
    const con = await run(cwd, [
      'tune',
      'run',
      '--study',
      'bad',
      '--space',
      SPACE,
      '--objective',
      'loss:min',
      '--constraint',
      'latency ~ 3',
      '--',
      ...OBJECTIVE,
    ]);
    expect(con.stderr).toMatch(/metric <= number/);
    const missing = await run(cwd, ['tune', 'show', '--study', 'bad']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no study named "bad"/);
    expect(existsSync(join(cwd, 'm.db'))).toBe(true);
  });
});
