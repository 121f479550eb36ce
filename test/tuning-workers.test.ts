/**
 * Many `mortar tune worker` processes on one study in a shared PostgreSQL store: budget slots are
 * claimed exactly once, a worker SIGKILLed mid-trial is detected by its stale heartbeat and its
 * trial failed and retried, and nothing is lost or counted twice. Also: Ctrl-C (SIGINT) on
 * `mortar tune run` stops running trials and leaves the study resumable. Real processes, no
 * timing assertions (waits poll for what happened).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/core/store/index.js';
import { saveSpec, type TuneSpec } from '../src/cli/commands/tune/spec.js';
import { Study, storeStorage, type FrozenTrial } from '../src/tuning/index.js';
import { writeObjectives } from './helpers/tuning-objectives.js';
import { dropSchema, freshSchema, pgUnavailableReason, pgUrl } from './helpers/postgres.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'mortar-tune-workers-'));
const SLOW = writeObjectives(dir).slow;
const entry = join(dir, 'mortar.mts');
writeFileSync(
  entry,
  `import { main } from ${JSON.stringify(MAIN)};\nprocess.exitCode = await main(process.argv);\n`,
);
const unavailable = await pgUnavailableReason();
const schemas: string[] = [];
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s);
});

function mortar(store: string, args: string[], env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, ['--import', TSX, entry, '--store', store, ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', MORTAR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let out = '';
  let err = '';
  proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (code, signal) => {
      children.delete(proc);
      resolve({ code, signal });
    }),
  );
  return { proc, exited, stdout: () => out, stderr: () => err };
}

async function until(what: string, pred: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const logLines = (file: string): string[][] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '))
    : [];

const SPEC: TuneSpec = {
  space: [{ name: 'x', type: 'float', low: 0, high: 1 }],
  objectives: [{ name: 'loss', direction: 'minimize' }],
  constraints: [],
  command: [process.execPath, SLOW, '{x}'],
  trials: 8,
  sampler: 'tpe',
  seed: 0,
  heartbeatMs: 150,
  staleAfterMs: 1500,
  maxRetries: 1,
};

async function createStudy(url: string, name: string, spec: TuneSpec): Promise<void> {
  const store = await openStore(url, { cwd: dir });
  try {
    await Study.create({ name, storage: storeStorage(store), directions: ['minimize'] });
    await saveSpec(store, name, spec);
  } finally {
    await store.close();
  }
}

async function trialsOf(url: string, name: string): Promise<readonly FrozenTrial[]> {
  const store = await openStore(url, { cwd: dir });
  try {
    return await storeStorage(store).getTrials(name);
  } finally {
    await store.close();
  }
}

describe.skipIf(unavailable !== undefined)(
  `tune workers on PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('shares the budget across 3 workers and retries the trial of a SIGKILLed worker', async () => {
      const schema = freshSchema();
      schemas.push(schema);
      const url = pgUrl(schema);
      await createStudy(url, 'w', SPEC);
      const log = join(dir, 'evals-pg.log');
      const env = { EVAL_LOG: log, SLEEP_MS: '400' };
      const workers = [0, 1, 2].map(() => mortar(url, ['tune', 'worker', '--study', 'w'], env));
      const victim = workers[0]!;
      const pid = String(victim.proc.pid);
      await until('the victim to start a trial', () =>
        logLines(log).some((l) => l[0] === 'start' && l[2] === pid),
      );
      const killed = logLines(log)
        .filter((l) => l[0] === 'start' && l[2] === pid)
        .at(-1)![1]!;
      victim.proc.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      const rest = await Promise.all(workers.slice(1).map((w) => w.exited));
      for (const [i, r] of rest.entries()) expect(r.code, workers[i + 1]!.stderr()).toBe(0);

      const trials = await trialsOf(url, 'w');
      const byState = (s: string) => trials.filter((t) => t.state === s);
      expect(byState('running')).toEqual([]);
      expect(byState('waiting')).toEqual([]);
      const failed = byState('failed');
      expect(failed.map((t) => t.number)).toEqual([Number(killed)]);
      expect(String(failed[0]!.systemAttrs['fail_reason'])).toMatch(
        /^stale: no heartbeat from worker \S+:\d+/,
      );
      // The budget (8 fresh trials) is spent exactly once, plus one retry of the killed trial.
      const complete = byState('complete');
      expect(complete).toHaveLength(8);
      expect(trials).toHaveLength(9);
      const retry = complete.filter((t) => t.userAttrs['retry_of'] !== undefined);
      expect(retry).toHaveLength(1);
      expect(retry[0]!.userAttrs['retry_of']).toBe(Number(killed));
      expect(retry[0]!.params).toEqual(failed[0]!.params);
      // Every complete trial was evaluated by exactly one surviving worker (one end line each).
      const ends = logLines(log).filter((l) => l[0] === 'end' && l[2] !== pid);
      for (const t of complete)
        expect(ends.filter((l) => l[1] === String(t.number))).toHaveLength(1);
      // The killed worker's objective process may outlive it (re-parented); whatever it prints
      // is never recorded: the only other end line is for the killed trial.
      const survivors = new Set(workers.slice(1).map((w) => String(w.proc.pid)));
      for (const l of ends.filter((e) => !survivors.has(e[2]!))) expect(l[1]).toBe(killed);
    }, 120_000);
  },
);

describe('tune run and SIGINT', () => {
  it('stops running trials on Ctrl-C and resumes them later', async () => {
    const url = `sqlite:${join(dir, 'sigint.db')}`;
    const log = join(dir, 'evals-int.log');
    const space = join(dir, 'space.json');
    writeFileSync(space, JSON.stringify(SPEC.space));
    const args = ['tune', 'run', '--study', 'i', '--trials', '4', '--workers', '2'];
    const run = mortar(
      url,
      [
        ...args,
        '--space',
        space,
        '--objective',
        'loss:min',
        '--sampler',
        'random',
        '--',
        process.execPath,
        SLOW,
        '{x}',
      ],
      {
        EVAL_LOG: log,
        MODE: 'hang',
      },
    );
    await until(
      'two trials to start',
      () => logLines(log).filter((l) => l[0] === 'start').length >= 2,
    );
    run.proc.kill('SIGINT');
    const r = await run.exited;
    expect(r.code, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/interrupted: stopping running trials; resume with/);
    let trials = await trialsOf(url, 'i');
    expect(trials.map((t) => t.state)).toEqual(['failed', 'failed', 'waiting', 'waiting']);
    expect(String(trials[0]!.systemAttrs['fail_reason'])).toMatch(/^interrupted \(SIGINT\)/);

    const resumed = mortar(url, ['tune', 'run', '--study', 'i', '--trials', '4', '--json'], {
      EVAL_LOG: log,
      SLEEP_MS: '10',
    });
    expect((await resumed.exited).code, resumed.stderr()).toBe(0);
    trials = await trialsOf(url, 'i');
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(4);
    const xs = (ts: readonly FrozenTrial[]) => ts.map((t) => t.params['x'] as number).sort();
    expect(xs(trials.slice(2, 4))).toEqual(xs(trials.slice(0, 2))); // the interrupted ones, rerun
    expect(trials).toHaveLength(6);
  }, 120_000);
});
