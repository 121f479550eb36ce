import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromOptunaJournal, toOptunaJournal } from './optuna-journal.js';
import { RandomSampler } from './samplers/random.js';
import { Study } from './study.js';

const dir = mkdtempSync(join(tmpdir(), 'mortar-optuna-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PY = '/usr/bin/python3';
const optuna = spawnSync(PY, ['-c', 'import optuna'], { encoding: 'utf8' }).status === 0;

async function sample(): Promise<Study> {
  const study = await Study.create({ name: 'mixed', sampler: new RandomSampler({ seed: 2 }) });
  await study.optimize(
    async (t) => {
      const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
      const n = t.suggestInt('n', 2, 20, { step: 2 });
      const kind = t.suggestCategorical('kind', ['a', 'b', 3]);
      await t.report(0, lr);
      if (t.number === 3) throw new Error('boom');
      return lr * n + (kind === 'a' ? 0 : 1);
    },
    { nTrials: 8, catch: true },
  );
  return study;
}

describe('Optuna JournalFileStorage format', () => {
  it('round-trips a study through the log', async () => {
    const study = await sample();
    const text = toOptunaJournal(study.name, study.directions, await study.getTrials());
    const back = fromOptunaJournal(text);
    expect(back.name).toBe('mixed');
    expect(back.directions).toEqual(['minimize']);
    const trials = await study.getTrials();
    expect(back.trials.map((t) => t.state)).toEqual(trials.map((t) => t.state));
    expect(back.trials.map((t) => t.params)).toEqual(trials.map((t) => t.params));
    expect(back.trials[0]?.intermediate).toEqual(trials[0]?.intermediate);
    const again = await Study.create({ name: 'again' });
    await again.addTrials(back.trials);
    expect((await again.bestTrial()).values).toEqual((await study.bestTrial()).values);
  });

  it('names the line of a malformed log and asks for a study name when there are several', () => {
    expect(() =>
      fromOptunaJournal(
        '{"op_code": 0, "worker_id": "w", "study_name": "a", "directions": [1]}\nnope',
      ),
    ).toThrow(/line 2 is not JSON/);
    const two = ['a', 'b']
      .map((n) => JSON.stringify({ op_code: 0, worker_id: 'w', study_name: n, directions: [1] }))
      .join('\n');
    expect(() => fromOptunaJournal(two)).toThrow(/holds 2 studies \(a, b\); name one/);
    expect(fromOptunaJournal(two, 'b').name).toBe('b');
  });

  it.skipIf(!optuna)('Optuna 3.1 loads an exported study, and its own logs import', async () => {
    const study = await sample();
    const file = join(dir, 'export.log');
    writeFileSync(file, toOptunaJournal(study.name, study.directions, await study.getTrials()));
    const py = `
import json, sys, optuna
from optuna.storages import JournalStorage, JournalFileStorage
optuna.logging.set_verbosity(optuna.logging.ERROR)
s = optuna.load_study(study_name="mixed", storage=JournalStorage(JournalFileStorage(sys.argv[1])))
print(json.dumps({"n": len(s.trials), "best": s.best_value, "params": s.best_params,
                  "states": [t.state.name for t in s.trials], "inter": s.trials[0].intermediate_values}))
s2 = optuna.create_study(study_name="py", direction="maximize", storage=JournalStorage(JournalFileStorage(sys.argv[2])),
                         sampler=optuna.samplers.RandomSampler(seed=0))
def f(t):
    t.report(0.5, 1)
    return t.suggest_float("x", 0, 1) + t.suggest_int("k", 1, 3) + (1 if t.suggest_categorical("c", ["u", "v"]) == "v" else 0)
s2.optimize(f, n_trials=6)
print(json.dumps({"values": [t.value for t in s2.trials], "params": [t.params for t in s2.trials]}))
`;
    const out = execFileSync(PY, ['-c', py, file, join(dir, 'py.log')], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const loaded = JSON.parse(out[0] as string) as {
      n: number;
      best: number;
      params: unknown;
      states: string[];
      inter: unknown;
    };
    const best = await study.bestTrial();
    expect(loaded.n).toBe(8);
    expect(loaded.best).toBe(best.values?.[0]);
    expect(loaded.params).toEqual(best.params);
    expect(loaded.states[3]).toBe('FAIL');
    expect(loaded.inter).toEqual({ '0': (await study.getTrials())[0]?.intermediate[0]?.value });
    const made = JSON.parse(out[1] as string) as {
      values: number[];
      params: Record<string, unknown>[];
    };
    const imported = fromOptunaJournal(readFileSync(join(dir, 'py.log'), 'utf8'));
    expect(imported.directions).toEqual(['maximize']);
    expect(imported.trials.map((t) => t.values?.[0])).toEqual(made.values);
    expect(imported.trials.map((t) => t.params)).toEqual(made.params);
    expect(imported.trials[0]?.intermediate).toEqual([{ step: 1, value: 0.5 }]);
  });
});
