// `npm run bench -- tuning [--quick] [--seeds N] [--budgets 50,200] [--functions a,b]
//   [--samplers default,tpe,...] [--no-optuna] [--peer-cache FILE] [--no-write]`
//
// Quality and overhead of Mortar's samplers against Optuna 3.1 (Debian's python3-optuna, run in
// the same benchmark through a generated script on /usr/bin/python3) on standard test functions:
// Branin, Hartmann-6, Ackley-10, Rosenbrock-10, Levy-10, Styblinski-Tang-10, a mixed
// categorical/log-integer space and a conditional tree-shaped space, at 50 and 200 trials over
// seeds 0..N-1. Prints, per function and budget, the median final regret of each sampler; a
// normalized score (0 = the median of random search at that budget, 100 = the optimum); a
// Mann-Whitney U test of the default sampler against each Optuna sampler; and CPU ms per
// suggestion (process CPU time around ask/suggest/tell, the objective excluded). Samplers that do
// not know the budget run once to the largest budget and are read at each budget (the best of the
// first n trials); the default sampler is told the budget, so it runs once per budget.
// Replaces the "## tuning" section of bench/RESULTS.md unless --no-write.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CmaEsSampler,
  GpSampler,
  RandomSampler,
  Study,
  TpeSampler,
  defaultSampler,
  type Sampler,
  type Trial,
} from '../src/tuning/index.js';

/** A benchmark problem: minimize `evaluate` (which suggests its own params) with known optimum. */
interface Problem {
  readonly name: string;
  readonly optimum: number;
  readonly evaluate: (t: Trial) => number;
}

const PI = Math.PI;

function floats(t: Trial, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => t.suggestFloat(`x${i}`, lo, hi));
}

const HART_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HART_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];
const HART_ALPHA = [1.0, 1.2, 3.0, 3.2];

/** The mixed space's penalties (shared with the Python script below). */
const ACT_PEN: Record<string, number> = { relu: 0, gelu: 0.1, tanh: 0.4, sigmoid: 1.0 };
const OPT_LR: Record<string, number> = { sgd: -1, adam: -3, rmsprop: -3.5 };
const OPT_PEN: Record<string, number> = { sgd: 0.3, adam: 0, rmsprop: 0.15 };

const PROBLEMS: readonly Problem[] = [
  {
    name: 'branin',
    optimum: 0.397887,
    evaluate: (t) => {
      const x1 = t.suggestFloat('x0', -5, 10);
      const x2 = t.suggestFloat('x1', 0, 15);
      const b = 5.1 / (4 * PI * PI);
      return (
        (x2 - b * x1 * x1 + (5 / PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * PI)) * Math.cos(x1) + 10
      );
    },
  },
  {
    name: 'hartmann6',
    optimum: -3.32237,
    evaluate: (t) => {
      const x = floats(t, 6, 0, 1);
      let s = 0;
      for (let i = 0; i < 4; i++) {
        let inner = 0;
        for (let j = 0; j < 6; j++) inner += HART_A[i]![j]! * (x[j]! - 1e-4 * HART_P[i]![j]!) ** 2;
        s += HART_ALPHA[i]! * Math.exp(-inner);
      }
      return -s;
    },
  },
  {
    name: 'ackley10',
    optimum: 0,
    evaluate: (t) => {
      const x = floats(t, 10, -32.768, 32.768);
      const n = x.length;
      const s1 = x.reduce((a, v) => a + v * v, 0);
      const s2 = x.reduce((a, v) => a + Math.cos(2 * PI * v), 0);
      return -20 * Math.exp(-0.2 * Math.sqrt(s1 / n)) - Math.exp(s2 / n) + 20 + Math.E;
    },
  },
  {
    name: 'rosenbrock10',
    optimum: 0,
    evaluate: (t) => {
      const x = floats(t, 10, -5, 10);
      let s = 0;
      for (let i = 0; i < 9; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
      return s;
    },
  },
  {
    name: 'levy10',
    optimum: 0,
    evaluate: (t) => {
      const w = floats(t, 10, -10, 10).map((v) => 1 + (v - 1) / 4);
      const n = w.length;
      let s = Math.sin(PI * w[0]!) ** 2;
      for (let i = 0; i < n - 1; i++)
        s += (w[i]! - 1) ** 2 * (1 + 10 * Math.sin(PI * w[i]! + 1) ** 2);
      s += (w[n - 1]! - 1) ** 2 * (1 + Math.sin(2 * PI * w[n - 1]!) ** 2);
      return s;
    },
  },
  {
    name: 'styblinski10',
    optimum: -39.16599 * 10,
    evaluate: (t) =>
      floats(t, 10, -5, 5).reduce((a, v) => a + (v ** 4 - 16 * v * v + 5 * v) / 2, 0),
  },
  {
    name: 'mixed',
    optimum: 0,
    evaluate: (t) => {
      const opt = t.suggestCategorical('optimizer', ['sgd', 'adam', 'rmsprop']);
      const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
      const layers = t.suggestInt('layers', 1, 8);
      const units = t.suggestInt('units', 8, 1024, { log: true });
      const act = t.suggestCategorical('activation', ['relu', 'tanh', 'sigmoid', 'gelu']);
      const batch = t.suggestInt('batch', 16, 512, { log: true });
      return (
        (Math.log10(lr) - OPT_LR[opt]!) ** 2 +
        OPT_PEN[opt]! +
        (layers - 3) ** 2 / 4 +
        (Math.log2(units) - 7) ** 2 / 4 +
        ACT_PEN[act]! +
        (Math.log2(batch) - 6) ** 2 / 8 +
        (0.1 * (layers - 3) * (Math.log2(units) - 7) ** 2) / 8
      );
    },
  },
  {
    name: 'conditional',
    optimum: 0,
    evaluate: (t) => {
      const model = t.suggestCategorical('model', ['linear', 'tree', 'nn']);
      if (model === 'linear') {
        const alpha = t.suggestFloat('alpha', 1e-6, 10, { log: true });
        const l1 = t.suggestFloat('l1_ratio', 0, 1);
        return 0.5 + 0.05 * (Math.log10(alpha) + 2) ** 2 + 0.2 * (l1 - 0.3) ** 2;
      }
      if (model === 'tree') {
        const depth = t.suggestInt('depth', 1, 20);
        const leaf = t.suggestInt('min_leaf', 1, 100, { log: true });
        return 0.2 + 0.01 * (depth - 8) ** 2 + 0.05 * (Math.log2(leaf) - 3) ** 2;
      }
      const lr = t.suggestFloat('nn_lr', 1e-5, 1, { log: true });
      const layers = t.suggestInt('nn_layers', 1, 5);
      const width = t.suggestInt('nn_width', 4, 512, { log: true });
      // Deceptive: a narrow basin reaching 0, a plateau at 1.5 elsewhere.
      const d2 =
        (Math.log10(lr) + 2.5) ** 2 + (layers - 4) ** 2 / 4 + (Math.log2(width) - 6) ** 2 / 4;
      return 1.5 * (1 - Math.exp(-d2 / 0.5));
    },
  },
];

const PYTHON_FUNCTIONS = String.raw`
import math
PI = math.pi
HART_A = ${JSON.stringify(HART_A)}
HART_P = ${JSON.stringify(HART_P)}
HART_ALPHA = ${JSON.stringify(HART_ALPHA)}
ACT_PEN = ${JSON.stringify(ACT_PEN)}
OPT_LR = ${JSON.stringify(OPT_LR)}
OPT_PEN = ${JSON.stringify(OPT_PEN)}
def floats(t, n, lo, hi): return [t.suggest_float(f"x{i}", lo, hi) for i in range(n)]
def branin(t):
    x1 = t.suggest_float("x0", -5, 10); x2 = t.suggest_float("x1", 0, 15); b = 5.1 / (4 * PI * PI)
    return (x2 - b * x1 * x1 + (5 / PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * PI)) * math.cos(x1) + 10
def hartmann6(t):
    x = floats(t, 6, 0, 1); s = 0.0
    for i in range(4):
        inner = sum(HART_A[i][j] * (x[j] - 1e-4 * HART_P[i][j]) ** 2 for j in range(6))
        s += HART_ALPHA[i] * math.exp(-inner)
    return -s
def ackley10(t):
    x = floats(t, 10, -32.768, 32.768); n = len(x)
    s1 = sum(v * v for v in x); s2 = sum(math.cos(2 * PI * v) for v in x)
    return -20 * math.exp(-0.2 * math.sqrt(s1 / n)) - math.exp(s2 / n) + 20 + math.e
def rosenbrock10(t):
    x = floats(t, 10, -5, 10)
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(9))
def levy10(t):
    w = [1 + (v - 1) / 4 for v in floats(t, 10, -10, 10)]; n = len(w)
    s = math.sin(PI * w[0]) ** 2
    for i in range(n - 1): s += (w[i] - 1) ** 2 * (1 + 10 * math.sin(PI * w[i] + 1) ** 2)
    return s + (w[n - 1] - 1) ** 2 * (1 + math.sin(2 * PI * w[n - 1]) ** 2)
def styblinski10(t):
    return sum((v ** 4 - 16 * v * v + 5 * v) / 2 for v in floats(t, 10, -5, 5))
def mixed(t):
    opt = t.suggest_categorical("optimizer", ["sgd", "adam", "rmsprop"])
    lr = t.suggest_float("lr", 1e-5, 1, log=True)
    layers = t.suggest_int("layers", 1, 8)
    units = t.suggest_int("units", 8, 1024, log=True)
    act = t.suggest_categorical("activation", ["relu", "tanh", "sigmoid", "gelu"])
    batch = t.suggest_int("batch", 16, 512, log=True)
    return ((math.log10(lr) - OPT_LR[opt]) ** 2 + OPT_PEN[opt] + (layers - 3) ** 2 / 4
            + (math.log2(units) - 7) ** 2 / 4 + ACT_PEN[act] + (math.log2(batch) - 6) ** 2 / 8
            + 0.1 * (layers - 3) * (math.log2(units) - 7) ** 2 / 8)
def conditional(t):
    model = t.suggest_categorical("model", ["linear", "tree", "nn"])
    if model == "linear":
        alpha = t.suggest_float("alpha", 1e-6, 10, log=True); l1 = t.suggest_float("l1_ratio", 0, 1)
        return 0.5 + 0.05 * (math.log10(alpha) + 2) ** 2 + 0.2 * (l1 - 0.3) ** 2
    if model == "tree":
        depth = t.suggest_int("depth", 1, 20); leaf = t.suggest_int("min_leaf", 1, 100, log=True)
        return 0.2 + 0.01 * (depth - 8) ** 2 + 0.05 * (math.log2(leaf) - 3) ** 2
    lr = t.suggest_float("nn_lr", 1e-5, 1, log=True); layers = t.suggest_int("nn_layers", 1, 5)
    width = t.suggest_int("nn_width", 4, 512, log=True)
    d2 = (math.log10(lr) + 2.5) ** 2 + (layers - 4) ** 2 / 4 + (math.log2(width) - 6) ** 2 / 4
    return 1.5 * (1 - math.exp(-d2 / 0.5))
`;

const PYTHON_MAIN = String.raw`
import json, sys, time, warnings, logging
import optuna
warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
cfg = json.loads(sys.argv[1])
FUNCS = {"branin": branin, "hartmann6": hartmann6, "ackley10": ackley10, "rosenbrock10": rosenbrock10,
         "levy10": levy10, "styblinski10": styblinski10, "mixed": mixed, "conditional": conditional}
for job in cfg["jobs"]:
    fn = FUNCS[job["problem"]]; seed = job["seed"]
    if job["sampler"] == "tpe": sampler = optuna.samplers.TPESampler(seed=seed)
    else: sampler = optuna.samplers.CmaEsSampler(seed=seed)
    study = optuna.create_study(sampler=sampler)
    best = math.inf; bests = []; cpu = 0.0
    for i in range(job["trials"]):
        # Optuna samples inside suggest_* (in fn): time ask + fn + tell, as for Mortar.
        c0 = time.process_time(); t = study.ask(); v = fn(t); study.tell(t, v)
        cpu += time.process_time() - c0
        best = min(best, v); bests.append(best)
    print(json.dumps({"problem": job["problem"], "sampler": "optuna-" + job["sampler"], "seed": seed,
                      "bests": bests, "cpuMs": cpu * 1000 / job["trials"]}), flush=True)
`;

interface RunResult {
  readonly problem: string;
  readonly sampler: string;
  readonly seed: number;
  /** Best value after each trial. */
  readonly bests: readonly number[];
  /** CPU ms per suggestion (ask + suggestions + tell). */
  readonly cpuMs: number;
  /** The budget the sampler was told, if any. */
  readonly budget?: number;
}

type Maker = (seed: number, budget: number) => Sampler;
const OURS: Record<string, { make: Maker; budgetAware: boolean }> = {
  random: { make: (s) => new RandomSampler({ seed: s }), budgetAware: false },
  default: { make: (s, b) => defaultSampler({ seed: s, budget: b }), budgetAware: true },
  tpe: { make: (s) => new TpeSampler({ seed: s }), budgetAware: false },
  'tpe-mv': {
    make: (s) => new TpeSampler({ seed: s, multivariate: true, group: true }),
    budgetAware: false,
  },
  cmaes: { make: (s) => new CmaEsSampler({ seed: s }), budgetAware: false },
  gp: { make: (s) => new GpSampler({ seed: s }), budgetAware: false },
  'gp-tr': {
    make: (s) => new GpSampler({ seed: s, maxPoints: 100, trustRegionFromDims: 5 }),
    budgetAware: false,
  },
};

async function runOurs(
  p: Problem,
  name: string,
  seed: number,
  trials: number,
  budget?: number,
): Promise<RunResult> {
  const spec = OURS[name]!;
  const study = await Study.create({ sampler: spec.make(seed, budget ?? trials) });
  const bests: number[] = [];
  let best = Infinity;
  let cpu = 0;
  for (let i = 0; i < trials; i++) {
    const c0 = process.cpuUsage();
    const t = await study.ask();
    // Suggestions happen inside evaluate; their cost is the sampler's (the arithmetic is negligible).
    const v = p.evaluate(t);
    await study.tell(t, v);
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    best = Math.min(best, v);
    bests.push(best);
  }
  return {
    problem: p.name,
    sampler: name,
    seed,
    bests,
    cpuMs: cpu / trials,
    ...(budget ? { budget } : {}),
  };
}

function runOptuna(
  jobs: { problem: string; sampler: string; seed: number; trials: number }[],
  onResult: (r: RunResult) => void,
): Promise<string | undefined> {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return Promise.resolve(`${python} is missing`);
  const dir = mkdtempSync(join(tmpdir(), 'mortar-bench-tuning-'));
  const script = join(dir, 'optuna_bench.py');
  writeFileSync(script, PYTHON_FUNCTIONS + PYTHON_MAIN);
  return new Promise((resolve) => {
    const child = spawn(python, [script, JSON.stringify({ jobs })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.trim()) onResult(JSON.parse(line) as RunResult);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(undefined);
      else if (/No module named 'optuna'/.test(err))
        resolve('python3-optuna is not installed (apt-get install -y python3-optuna)');
      else resolve(`the Optuna script failed (exit ${code}): ${err.slice(-500)}`);
    });
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Two-sided Mann-Whitney U test (normal approximation with tie correction); returns p. */
export function mannWhitney(a: readonly number[], b: readonly number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort(
    (x, y) => x.v - y.v,
  );
  const ranks = new Array<number>(all.length);
  let tie = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = r;
    const t = j - i + 1;
    tie += t ** 3 - t;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  let r1 = 0;
  all.forEach((x, i) => {
    if (x.g === 0) r1 += ranks[i]!;
  });
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tie / (n * (n - 1))));
  if (sd === 0) return 1;
  const z = (Math.abs(u - (n1 * n2) / 2) - 0.5) / sd;
  return Math.min(1, 2 * (1 - normalCdf(z)));
}

function normalCdf(z: number): number {
  // Abramowitz-Stegun 7.1.26 on erf.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function parseArgs(args: string[]) {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const seeds = Number(get('--seeds') ?? (quick ? 3 : 10));
  const budgets = (get('--budgets') ?? (quick ? '50' : '50,200')).split(',').map(Number);
  const functions = get('--functions')?.split(',') ?? PROBLEMS.map((p) => p.name);
  const samplers = get('--samplers')?.split(',') ?? ['random', 'default', 'tpe', 'cmaes'];
  return {
    quick,
    seeds,
    budgets,
    functions,
    samplers,
    optuna: !args.includes('--no-optuna'),
    /** Reuse (or save) the Optuna results in this file: for iterating on Mortar's side only. */
    peerCache: get('--peer-cache'),
    write: !args.includes('--no-write') && !quick && !args.includes('--peer-cache'),
  };
}

const fmt = (v: number): string =>
  Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(3);

/** Entry point of `npm run bench -- tuning`. */
export async function run(args: string[]): Promise<void> {
  const cfg = parseArgs(args);
  const problems = PROBLEMS.filter((p) => cfg.functions.includes(p.name));
  const maxBudget = Math.max(...cfg.budgets);
  const seeds = Array.from({ length: cfg.seeds }, (_, i) => i);
  const results: RunResult[] = [];
  const started = Date.now();
  console.log(
    `tuning benchmark: ${problems.length} functions x budgets ${cfg.budgets.join(',')} x ${cfg.seeds} seeds; samplers ${cfg.samplers.join(', ')}${cfg.optuna ? ' + optuna tpe, cmaes' : ''}`,
  );

  // Optuna runs in its own process while ours run here (2 cores).
  const optunaSamplers = ['tpe', 'cmaes'];
  let optunaNote: string | undefined;
  const cached =
    cfg.peerCache && existsSync(cfg.peerCache)
      ? (JSON.parse(readFileSync(cfg.peerCache, 'utf8')) as RunResult[])
      : undefined;
  const optunaDone = cached
    ? Promise.resolve(
        void results.push(
          ...cached.filter((r) => cfg.functions.includes(r.problem) && r.seed < cfg.seeds),
        ),
      )
    : cfg.optuna
      ? runOptuna(
          problems.flatMap((p) =>
            optunaSamplers.flatMap((s) =>
              seeds.map((seed) => ({ problem: p.name, sampler: s, seed, trials: maxBudget })),
            ),
          ),
          (r) => results.push(r),
        ).then((note) => (optunaNote = note))
      : Promise.resolve((optunaNote = 'skipped (--no-optuna)'));

  for (const p of problems) {
    for (const name of cfg.samplers) {
      if (!OURS[name])
        throw new Error(`unknown sampler ${name}; one of ${Object.keys(OURS).join(', ')}`);
      for (const seed of seeds) {
        if (OURS[name].budgetAware) {
          for (const b of cfg.budgets) results.push(await runOurs(p, name, seed, b, b));
        } else results.push(await runOurs(p, name, seed, maxBudget));
      }
      process.stderr.write(
        `  ${p.name} ${name} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
      );
    }
  }
  await optunaDone;
  if (cfg.peerCache && !cached && !optunaNote)
    writeFileSync(
      cfg.peerCache,
      JSON.stringify(results.filter((r) => r.sampler.startsWith('optuna-'))),
    );
  if (cached) console.log(`note: Optuna results read from ${cfg.peerCache} (not re-run)`);
  if (optunaNote) console.log(`note: Optuna peer ${optunaNote}; its columns are missing`);

  const samplerNames = [
    ...cfg.samplers,
    ...(optunaNote ? [] : optunaSamplers.map((s) => `optuna-${s}`)),
  ];
  /** Final best values of one sampler on one problem at one budget, by seed. */
  const finals = (problem: string, sampler: string, budget: number): number[] =>
    seeds.map((seed) => {
      const r = results.find(
        (x) =>
          x.problem === problem &&
          x.sampler === sampler &&
          x.seed === seed &&
          (x.budget === undefined || x.budget === budget),
      );
      return r ? (r.bests[budget - 1] ?? NaN) : NaN;
    });

  const lines: string[] = [];
  const out = (s = ''): void => {
    console.log(s);
    lines.push(s);
  };
  const scores: Record<string, Record<number, number[]>> = {};
  const losses: string[] = [];
  for (const b of cfg.budgets) {
    out(
      `\n### ${b} trials: median final regret (value - optimum) over ${cfg.seeds} seeds; normalized score in brackets\n`,
    );
    out(`| function | ${samplerNames.join(' | ')} | default vs Optuna (Mann-Whitney p) |`);
    out(`|---|${samplerNames.map(() => '---:').join('|')}|---|`);
    for (const p of problems) {
      const rnd = median(finals(p.name, 'random', b));
      const cells: string[] = [];
      for (const s of samplerNames) {
        const f = finals(p.name, s, b);
        const score = f.map((v) => (100 * (rnd - v)) / (rnd - p.optimum));
        ((scores[s] ??= {})[b] ??= []).push(score.reduce((x, y) => x + y, 0) / score.length);
        cells.push(
          `${fmt(median(f) - p.optimum)} (${(score.reduce((x, y) => x + y, 0) / score.length).toFixed(0)})`,
        );
      }
      const tests: string[] = [];
      if (cfg.samplers.includes('default') && !optunaNote) {
        const mine = finals(p.name, 'default', b);
        for (const s of optunaSamplers) {
          const theirs = finals(p.name, `optuna-${s}`, b);
          const pv = mannWhitney(mine, theirs);
          const worse = median(mine) > median(theirs);
          const verdict = pv < 0.05 ? (worse ? 'LOSS' : 'win') : 'tie';
          if (verdict === 'LOSS') losses.push(`${p.name}@${b} vs ${s}`);
          tests.push(`${s} ${verdict} p=${pv.toFixed(3)}`);
        }
      }
      out(`| ${p.name} | ${cells.join(' | ')} | ${tests.join(', ')} |`);
    }
    out(
      `| **mean score** | ${samplerNames.map((s) => `**${((scores[s]?.[b] ?? []).reduce((x, y) => x + y, 0) / problems.length).toFixed(1)}**`).join(' | ')} | |`,
    );
  }
  out(
    `\n### CPU ms per suggestion (ask + suggestions + tell; mean over a run of ${maxBudget} trials, default at ${maxBudget})\n`,
  );
  out(`| function | ${samplerNames.join(' | ')} |`);
  out(`|---|${samplerNames.map(() => '---:').join('|')}|`);
  for (const p of problems) {
    const cells = samplerNames.map((s) => {
      const rs = results.filter(
        (r) =>
          r.problem === p.name &&
          r.sampler === s &&
          (r.budget === undefined || r.budget === maxBudget),
      );
      return rs.length ? median(rs.map((r) => r.cpuMs)).toFixed(2) : 'n/a';
    });
    out(`| ${p.name} | ${cells.join(' | ')} |`);
  }
  out(
    `\nsignificant losses of default to an Optuna sampler: ${losses.length ? losses.join('; ') : 'none'}`,
  );
  out(
    `elapsed ${((Date.now() - started) / 1000).toFixed(0)} s; ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}`,
  );

  if (cfg.write) writeResults(args, lines);
}

function writeResults(args: string[], lines: string[]): void {
  const path = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
  const section = [
    '## tuning',
    '',
    `\`${['npm run bench -- tuning', ...args].join(' ')}\` (${new Date().toISOString().slice(0, 10)}; Optuna 3.1 from Debian in the same run; 2 shared cores)`,
    ...lines,
    '',
  ].join('\n');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const re = /^## tuning\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  const next = re.test(text) ? text.replace(re, section + '\n') : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(`${path}.tmp`, next);
  renameSync(`${path}.tmp`, path);
  console.log(`wrote the "## tuning" section of ${path}`);
}
