// The network half of `npm run bench -- training` (bench/training.ts calls it):
//  1. MLP 784-256-256-10 training throughput (Adam, cross-entropy) at batch 64 and 256 on MNIST,
//     samples per CPU-second, next to PyTorch CPU (Debian python3-torch, one thread) in the same
//     run; plus Mortar's wall-clock samples/s with 2 data-parallel threads.
//  2. Quality on the mnist package's 10,000 digits (8,000 train / 2,000 test, seed 7): the MLP
//     (target >= 95.5%) and the small CNN (target >= 97.5%) test accuracy.
// Flags: --net-min-cpu S (throughput measuring time per point, default 3), --no-quality,
// --no-torch, --mlp-epochs N, --cnn-epochs N. Writes "## training (networks)" in RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { loadEngine } from '../src/core/tensor/index.js';
import {
  evaluateModel,
  fit,
  LocalExecutor,
  modelRecipe,
  NetworkModel,
  OPTIMIZERS,
  ParallelExecutor,
  SCHEDULES,
  type Dataset,
  type GradientExecutor,
} from '../src/training/index.js';
import { readLibsvm } from '../src/training/classic/index.js';
import { hogwildLogreg, logregPredict } from '../src/training/index.js';
import { hasData, SHARED_DATA } from '../test/helpers/classic-data.js';
import { mnistSplit } from '../test/helpers/mnist.js';

const SECTION = '## training (networks)';
const here = dirname(fileURLToPath(import.meta.url));
const NETWORK_FLAGS = new Set(['--net-min-cpu', '--mlp-epochs', '--cnn-epochs']);
const NETWORK_SWITCHES = new Set(['--no-quality', '--no-torch', '--no-hogwild', '--only-hogwild']);

/** Separates the network flags (and --skip-engine / --skip-networks) from the SGEMM ones. */
export function splitArgs(args: string[]): {
  engineArgs: string[];
  networkArgs: string[];
  skipEngine: boolean;
  skipNetworks: boolean;
} {
  const engineArgs: string[] = [];
  const networkArgs: string[] = [];
  let skipEngine = false;
  let skipNetworks = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--skip-engine') skipEngine = true;
    else if (a === '--skip-networks') skipNetworks = true;
    else if (NETWORK_FLAGS.has(a)) networkArgs.push(a, String(args[++i]));
    else if (NETWORK_SWITCHES.has(a)) networkArgs.push(a);
    else engineArgs.push(a);
  }
  return { engineArgs, networkArgs, skipEngine, skipNetworks };
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const MLP = { hidden: [256, 256] };

/** Mortar samples per wall-second on one thread (the same loop as the parallel column). */
function mortarWall(train: Dataset, batch: number, minCpu: number): Promise<number> {
  return mortarRate(train, batch, minCpu, 1, true);
}

/** Mortar training samples per CPU-second (or wall-second) at one batch size. */
async function mortarRate(
  train: Dataset,
  batch: number,
  minCpu: number,
  threads: number,
  wall = threads > 1,
): Promise<number> {
  const engine = await loadEngine();
  const model = NetworkModel.create(
    engine,
    modelRecipe('mlp', { features: 784, classes: 10 }, MLP),
    1,
  );
  const opt = OPTIMIZERS.create('adam', { lr: 1e-3 });
  const ex: GradientExecutor =
    threads > 1 ? new ParallelExecutor(model, { threads }) : new LocalExecutor(model);
  await ex.start?.(train, 1);
  const params = model.net.trainableParams();
  const rng = new Rng(1);
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const per = Math.floor(train.n / batch);
  const step = async (k: number) => {
    const s = (k % per) * batch;
    model.net.zeroGrad();
    await ex.gradients(train, order.subarray(s, s + batch), rng);
    opt.step(params);
  };
  for (let k = 0; k < 5; k++) await step(k);
  const clock = wall ? () => performance.now() / 1000 : cpuSeconds;
  const t0 = clock();
  let samples = 0;
  let k = 0;
  while (clock() - t0 < minCpu) {
    await step(k++);
    samples += batch;
  }
  const rate = samples / (clock() - t0);
  await ex.stop?.();
  model.dispose();
  opt.dispose();
  return rate;
}

const PY = `
import json, sys, time
import numpy as np, torch
torch.set_num_threads(1)
torch.manual_seed(0)
xpath, ypath, sizes, min_cpu = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(',')], float(sys.argv[4])
X = torch.from_numpy(np.fromfile(xpath, dtype=np.float32).reshape(-1, 784))
Y = torch.from_numpy(np.fromfile(ypath, dtype=np.int32).astype(np.int64))
n = X.shape[0]
out = {'version': torch.__version__, 'rate': {}}
for bs in sizes:
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()
    perm = torch.randperm(n)
    per = n // bs
    def step(k):
        idx = perm[(k % per) * bs:(k % per) * bs + bs]
        opt.zero_grad()
        loss = lossf(model(X[idx]), Y[idx])
        loss.backward()
        opt.step()
    for k in range(5): step(k)
    t0 = time.process_time(); samples = 0; k = 0
    while time.process_time() - t0 < min_cpu:
        step(k); k += 1; samples += bs
    out['rate'][bs] = samples / (time.process_time() - t0)
print(json.dumps(out))
`;

function torchRates(
  train: Dataset,
  sizes: number[],
  minCpu: number,
): { version: string; rate: Record<string, number> } | string {
  const dir = mkdtempSync(join(tmpdir(), 'mortar-bench-'));
  try {
    writeFileSync(join(dir, 'x.f32'), train.x);
    writeFileSync(join(dir, 'y.i32'), train.y as Int32Array);
    const env = {
      ...process.env,
      OMP_NUM_THREADS: '1',
      OPENBLAS_NUM_THREADS: '1',
      MKL_NUM_THREADS: '1',
    };
    const r = spawnSync(
      '/usr/bin/python3',
      ['-c', PY, join(dir, 'x.f32'), join(dir, 'y.i32'), sizes.join(','), String(minCpu)],
      { env, encoding: 'utf8', timeout: 900_000 },
    );
    if (r.error || r.status !== 0)
      return `PyTorch via /usr/bin/python3 unavailable: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`;
    return JSON.parse(r.stdout) as { version: string; rate: Record<string, number> };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function quality(kind: 'mlp' | 'cnn', train: Dataset, test: Dataset, epochs: number) {
  const engine = await loadEngine();
  const cfg = kind === 'mlp' ? { ...MLP, dropout: 0.2 } : {};
  const recipe = modelRecipe(kind, { features: 784, classes: 10 }, cfg);
  const model = NetworkModel.create(engine, recipe, 1);
  const lr = kind === 'mlp' ? 2e-3 : 3e-3;
  const batchSize = kind === 'mlp' ? 128 : 64;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  await fit(model, OPTIMIZERS.create('adam', { lr }), train, {
    epochs,
    batchSize,
    seed: 1,
    schedule: SCHEDULES.create('cosine'),
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  const acc = evaluateModel(model, test).accuracy ?? 0;
  const arch = recipe.network.layers
    .map((l) =>
      l.kind === 'dense' || l.kind === 'conv2d' ? `${l.kind}(${JSON.stringify(l.config)})` : l.kind,
    )
    .join(' ');
  model.dispose();
  return {
    acc,
    seconds,
    cpu,
    recipe: `${arch}; Adam lr ${lr}, cosine, batch ${batchSize}, ${epochs} epochs, seed 1`,
  };
}

const SKLEARN = `
import json, sys, time
from sklearn.datasets import load_svmlight_file
from sklearn.linear_model import LogisticRegression
import sklearn
X, y = load_svmlight_file(sys.argv[1], n_features=123)
Xt, yt = load_svmlight_file(sys.argv[2], n_features=123)
t = time.process_time()
m = LogisticRegression(C=1, max_iter=1000).fit(X, y)
print(json.dumps({'version': sklearn.__version__, 'accuracy': float((m.predict(Xt) == yt).mean()), 'cpu': time.process_time() - t}))
`;

/** Hogwild sparse logistic regression on the full a9a: 1 vs 2 threads, next to scikit-learn's accuracy. */
async function hogwildBench(): Promise<string[]> {
  if (!hasData('a9a')) return ['', `- Hogwild: ../shared/data/a9a is missing; skipped.`];
  const train = await readLibsvm(`${SHARED_DATA}a9a/a9a`);
  const test = await readLibsvm(`${SHARED_DATA}a9a/a9a.t`, { nFeatures: train.x.cols });
  const epochs = 10;
  const rows: string[][] = [];
  for (const threads of [1, 2]) {
    const r = await hogwildLogreg(train.x, train.y, { threads, epochs, seed: 1 });
    const wall = r.seconds;
    const p = logregPredict(r.w, test.x);
    let ok = 0;
    for (let i = 0; i < test.x.rows; i++)
      if ((p[i] as number) >= 0.5 === (test.y[i] as number) > 0) ok++;
    const acc = ok / test.x.rows;
    rows.push([String(threads), ((train.x.rows * epochs) / wall).toFixed(0), acc.toFixed(4)]);
    console.error(
      `  hogwild ${threads} thread(s): ${((train.x.rows * epochs) / wall).toFixed(0)} updates/wall-s, accuracy ${acc.toFixed(4)}`,
    );
  }
  const sk = spawnSync(
    '/usr/bin/python3',
    ['-c', SKLEARN, `${SHARED_DATA}a9a/a9a`, `${SHARED_DATA}a9a/a9a.t`],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } },
  );
  const skl =
    sk.status === 0
      ? (JSON.parse(sk.stdout) as { version: string; accuracy: number; cpu: number })
      : null;
  return [
    '',
    `Hogwild! sparse logistic regression on a9a (32,561 train rows x 123 sparse features, test a9a.t 16,281 rows): ${epochs} epochs of`,
    'per-row SGD (the defaults: constant lr 0.01, L2 1e-5 on touched coordinates, seed 1), weights/data/row order in',
    'SharedArrayBuffers, lock-free updates from every thread. Updates = rows processed per wall-second of the epochs (worker',
    'start-up excluded) on this shared, loaded 2-core machine. a9a is a poor case for Hogwild speed: its whole weight vector is',
    '124 floats (8 cache lines) that every row touches, so two cores mostly trade cache lines; Hogwild pays off when rows touch',
    'few of many weights (text, click logs).',
    '',
    `| threads | updates/wall-s | test accuracy | scikit-learn ${skl?.version ?? '(missing)'} LogisticRegression(C=1) accuracy |`,
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} | ${skl ? skl.accuracy.toFixed(4) : '-'} |`),
    ...(skl
      ? []
      : [
          '',
          `- scikit-learn unavailable: ${sk.stderr?.trim().split('\n').pop() ?? sk.error?.message}`,
        ]),
  ];
}

/** Runs the network benchmarks and records them. */
export async function runNetworks(args: string[], write: boolean): Promise<void> {
  let minCpu = 3;
  let mlpEpochs = 20;
  let cnnEpochs = 8;
  let withQuality = true;
  let withTorch = true;
  let withHogwild = true;
  let onlyHogwild = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--net-min-cpu') minCpu = Number(args[++i]);
    else if (a === '--mlp-epochs') mlpEpochs = Number(args[++i]);
    else if (a === '--cnn-epochs') cnnEpochs = Number(args[++i]);
    else if (a === '--no-quality') withQuality = false;
    else if (a === '--no-torch') withTorch = false;
    else if (a === '--no-hogwild') withHogwild = false;
    else if (a === '--only-hogwild') onlyHogwild = true;
  }
  if (onlyHogwild) {
    for (const l of await hogwildBench()) console.log(l);
    return;
  }
  const { train, test } = mnistSplit(8000, 2000, 7);
  const sizes = [64, 256];
  const rows: string[][] = [];
  const notes: string[] = [];
  const torch = withTorch ? torchRates(train, sizes, minCpu) : 'PyTorch skipped (--no-torch)';
  if (typeof torch === 'string') notes.push(torch);
  for (const b of sizes) {
    const m = await mortarRate(train, b, minCpu, 1);
    const wall1 = await mortarWall(train, b, minCpu);
    const wall2 = await mortarRate(train, b, minCpu, 2);
    const t = typeof torch === 'string' ? Number.NaN : (torch.rate[String(b)] ?? Number.NaN);
    rows.push([
      String(b),
      m.toFixed(0),
      Number.isNaN(t) ? '-' : t.toFixed(0),
      Number.isNaN(t) ? '-' : `${(m / t).toFixed(2)}x`,
      wall1.toFixed(0),
      wall2.toFixed(0),
    ]);
    console.error(
      `  batch ${b}: Mortar ${m.toFixed(0)} samples/CPU-s, PyTorch ${t.toFixed(0)}, wall-clock 1 thread ${wall1.toFixed(0)} vs 2 threads ${wall2.toFixed(0)} samples/s`,
    );
  }
  const torchName = typeof torch === 'string' ? 'PyTorch' : `PyTorch ${torch.version}`;
  const lines = [
    `Command: \`npm run bench -- training\` (bench/training.ts -> bench/_training-networks.ts), ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'CPU'}, ${cpus().length} cores, Node ${process.version}.`,
    '',
    `MLP 784-256-256-10 (ReLU), Adam lr 1e-3, softmax cross-entropy, one training step = gather rows + forward + loss + backward + Adam update,`,
    `on the mnist package's digits (8,000 training rows, seeded shuffle). Samples per CPU-second, one thread each (${torchName} with`,
    'torch.set_num_threads(1); Debian build, BLAS_INFO=generic, i.e. whatever libblas.so.3 the system alternative points to,',
    'OpenBLAS with AVX-512 here). The last two columns are wall-clock samples/s of Mortar with 1 and 2 data-parallel threads',
    '(ParallelExecutor: shards + gradient averaging over SharedArrayBuffers) on this shared, loaded 2-core machine.',
    '',
    `| batch | Mortar samples/CPU-s | ${torchName} samples/CPU-s | Mortar / PyTorch | Mortar 1 thread, samples/wall-s | Mortar 2 threads, samples/wall-s |`,
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  if (withQuality) {
    const mq = await quality('mlp', train, test, mlpEpochs);
    console.error(`  MLP test accuracy ${(mq.acc * 100).toFixed(2)}% (${mq.seconds.toFixed(1)} s)`);
    const cq = await quality('cnn', train, test, cnnEpochs);
    console.error(`  CNN test accuracy ${(cq.acc * 100).toFixed(2)}% (${cq.seconds.toFixed(1)} s)`);
    lines.push(
      '',
      "Quality: the mnist package's 10,000 digits, seeded split (seed 7) 8,000 train / 2,000 test, one thread:",
      '',
      '| model | test accuracy | target | met | train wall s / CPU s | recipe |',
      '|---|---|---|---|---|---|',
      `| MLP | ${(mq.acc * 100).toFixed(2)}% | >= 95.5% | ${mq.acc >= 0.955 ? 'yes' : 'no'} | ${mq.seconds.toFixed(1)} / ${mq.cpu.toFixed(1)} | ${mq.recipe} |`,
      `| small CNN | ${(cq.acc * 100).toFixed(2)}% | >= 97.5% | ${cq.acc >= 0.975 ? 'yes' : 'no'} | ${cq.seconds.toFixed(1)} / ${cq.cpu.toFixed(1)} | ${cq.recipe} |`,
    );
  }
  if (withHogwild) lines.push(...(await hogwildBench()));
  lines.push(
    '',
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}.`,
  );
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  const body = lines.join('\n');
  console.log(`\n${SECTION}\n\n${body}\n`);
  if (write) writeSection(join(here, 'RESULTS.md'), `${SECTION}\n\n${body}\n`);
}

/** Replaces (or appends after the engine section) our section, re-reading the file just before one atomic rename. */
function writeSection(path: string, section: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(`${SECTION}\n`);
  let next: string;
  if (start >= 0) {
    const after = current.indexOf('\n## ', start + SECTION.length);
    next = `${current.slice(0, start)}${section}${after < 0 ? '' : `\n${current.slice(after + 1)}`}`;
  } else {
    const engine = current.indexOf('## training (engine)\n');
    const after = engine < 0 ? -1 : current.indexOf('\n## ', engine + 10);
    next =
      after < 0
        ? `${current.trimEnd()}\n\n${section}`
        : `${current.slice(0, after + 1)}${section}\n${current.slice(after + 1)}`;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, path);
  console.error(`updated ${path}`);
}
