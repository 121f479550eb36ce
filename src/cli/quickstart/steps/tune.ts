import { join } from 'node:path';
import { readTable, type RecordBatch } from '../../../core/data/index.js';
import { MortarError } from '../../../core/errors.js';
import { Study, defineSpace, defaultSampler, storeStorage } from '../../../tuning/index.js';
import { writeStudyReport } from '../../commands/tune/report.js';
import type { QuickstartStep } from '../step.js';
import type { QuickstartData } from './data.js';

/** The space the step tunes: a ridge regression's features and regularization. */
const SPACE = defineSpace([
  { name: 'lambda', type: 'float', low: 1e-3, high: 1e4, log: true },
  { name: 'hour_bins', type: 'int', low: 1, high: 24 },
  { name: 'distance', type: 'categorical', choices: ['none', 'linear', 'log'] },
  { name: 'origin', type: 'categorical', choices: ['none', 'target'] },
  {
    name: 'smoothing',
    type: 'float',
    low: 1,
    high: 1000,
    log: true,
    condition: { param: 'origin', in: ['target'] },
  },
  { name: 'clip', type: 'float', low: 20, high: 400, log: true },
] as const);
type Params = {
  lambda: number;
  hour_bins: number;
  distance: string;
  origin: string;
  smoothing?: number;
  clip: number;
};

interface Flights {
  readonly n: number;
  readonly delay: Float64Array;
  readonly distance: Float64Array;
  readonly hour: Uint8Array;
  readonly origin: string[];
}

function numbers(b: RecordBatch, name: string): Float64Array {
  const c = b.column(name);
  if (c.kind === 'number') return c.values;
  if (c.kind === 'bigint') return Float64Array.from(c.values, Number);
  throw new MortarError(
    'DATA_INVALID',
    `quickstart tune: column "${name}" is ${c.kind}, expected numbers`,
  );
}

function flights(b: RecordBatch): Flights {
  const date = b.column('date');
  const n = b.numRows;
  const hour = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v =
      date.kind === 'number' ? date.values[i] : date.kind === 'value' ? date.values[i] : undefined;
    const d = v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v));
    hour[i] = Number.isNaN(d.getTime()) ? 12 : d.getUTCHours();
  }
  const o = b.column('origin');
  const origin =
    o.kind === 'string'
      ? Array.from(o.codes, (c) => o.dictionary[c] ?? '')
      : new Array<string>(n).fill('');
  return { n, delay: numbers(b, 'delay'), distance: numbers(b, 'distance'), hour, origin };
}

/** Mean absolute error on `test` of a ridge regression fitted on `train` with params `p`. */
export function ridgeMae(train: Flights, test: Flights, p: Params): number {
  const clip = (v: number): number => Math.max(-p.clip, Math.min(p.clip, v));
  let mean = 0;
  for (const v of train.delay) mean += clip(v) / train.n;
  const enc = new Map<string, number>();
  if (p.origin === 'target') {
    const sums = new Map<string, [number, number]>();
    train.origin.forEach((o, i) => {
      const s = sums.get(o) ?? [0, 0];
      s[0] += clip(train.delay[i] as number);
      s[1] += 1;
      sums.set(o, s);
    });
    const m = p.smoothing ?? 10;
    for (const [o, [s, c]] of sums) enc.set(o, (s + m * mean) / (c + m) - mean);
  }
  const distMean = train.distance.reduce((a, b) => a + b, 0) / train.n;
  const d = 1 + p.hour_bins + (p.distance === 'none' ? 0 : 1) + (p.origin === 'target' ? 1 : 0);
  const row = (f: Flights, i: number, out: Float64Array): void => {
    out.fill(0);
    out[0] = 1;
    out[1 + Math.min(p.hour_bins - 1, Math.floor(((f.hour[i] as number) * p.hour_bins) / 24))] = 1;
    let k = 1 + p.hour_bins;
    const dist = f.distance[i] as number;
    if (p.distance === 'linear') out[k++] = (dist - distMean) / 1000;
    else if (p.distance === 'log') out[k++] = Math.log1p(Math.max(0, dist)) - Math.log1p(distMean);
    if (p.origin === 'target') out[k] = enc.get(f.origin[i] as string) ?? 0;
  };
  const a = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const x = new Float64Array(d);
  for (let i = 0; i < train.n; i++) {
    row(train, i, x);
    const y = clip(train.delay[i] as number);
    for (let r = 0; r < d; r++) {
      const xr = x[r] as number;
      if (xr === 0) continue;
      rhs[r] = (rhs[r] as number) + xr * y;
      for (let c = 0; c < d; c++) a[r * d + c] = (a[r * d + c] as number) + xr * (x[c] as number);
    }
  }
  for (let r = 1; r < d; r++) a[r * d + r] = (a[r * d + r] as number) + p.lambda;
  // Gaussian elimination with partial pivoting (d <= 27).
  const w = Float64Array.from(rhs);
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++)
      if (Math.abs(a[r * d + c] as number) > Math.abs(a[piv * d + c] as number)) piv = r;
    if (piv !== c) {
      for (let k = 0; k < d; k++)
        [a[c * d + k], a[piv * d + k]] = [a[piv * d + k] as number, a[c * d + k] as number];
      [w[c], w[piv]] = [w[piv] as number, w[c] as number];
    }
    const diag = (a[c * d + c] as number) || 1e-12;
    for (let r = c + 1; r < d; r++) {
      const f = (a[r * d + c] as number) / diag;
      if (f === 0) continue;
      for (let k = c; k < d; k++)
        a[r * d + k] = (a[r * d + k] as number) - f * (a[c * d + k] as number);
      w[r] = (w[r] as number) - f * (w[c] as number);
    }
  }
  for (let c = d - 1; c >= 0; c--) {
    let s = w[c] as number;
    for (let k = c + 1; k < d; k++) s -= (a[c * d + k] as number) * (w[k] as number);
    w[c] = s / ((a[c * d + c] as number) || 1e-12);
  }
  let mae = 0;
  for (let i = 0; i < test.n; i++) {
    row(test, i, x);
    let pred = 0;
    for (let k = 0; k < d; k++) pred += (x[k] as number) * (w[k] as number);
    mae += Math.abs(pred - (test.delay[i] as number)) / test.n;
  }
  return mae;
}

const TRIALS = 40;

/**
 * Tunes a ridge regression of arrival delay on the flights train split (hour-of-day buckets,
 * distance transform, smoothed target encoding of the origin airport, regularization, target
 * clipping) with the default portfolio sampler, scored by MAE on the test split.
 */
export const tuneStep: QuickstartStep = {
  id: 'tune',
  title: 'Tune hyperparameters (ridge regression of flight delays, 40 trials, portfolio sampler)',
  async run(env) {
    const data = env.shared.get('data') as QuickstartData | undefined;
    if (!data) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        'the tune step needs the data step; run with --steps data,tune',
      );
    }
    const train = flights(await readTable(data.trainPath));
    const test = flights(await readTable(data.testPath));
    const sorted = Float64Array.from(train.delay).sort();
    const median = sorted[sorted.length >> 1] ?? 0;
    const baseline = test.delay.reduce((s, v) => s + Math.abs(v - median), 0) / test.n;
    const name = `quickstart-tune-${Date.now().toString(36)}`;
    const study = await Study.create({
      name,
      storage: storeStorage(env.store),
      direction: 'minimize',
      sampler: defaultSampler({ seed: env.seed, budget: TRIALS }),
    });
    // Trial 0 is the untuned default, so the printout shows what tuning bought.
    const defaults = { lambda: 1, hour_bins: 1, distance: 'linear', origin: 'none', clip: 400 };
    await study.enqueueTrial(defaults);
    const started = Date.now();
    await study.optimize((t) => ridgeMae(train, test, t.params as Params), {
      nTrials: TRIALS,
      space: SPACE,
    });
    const best = await study.bestTrial();
    const ms = Date.now() - started;
    const path = join(env.workDir, 'tune-report.html');
    await writeStudyReport(study, undefined, path);
    const value = best.values?.[0] as number;
    const untuned = (await study.getTrials())[0]?.values?.[0] ?? NaN;
    env.say(
      `    ${train.n} train / ${test.n} test flights; ${TRIALS} trials in ${(ms / 1000).toFixed(1)} s`,
    );
    env.say(
      `    test MAE: untuned defaults ${untuned.toFixed(2)} min -> best ${value.toFixed(2)} min (trial ${best.number}); predicting the train median: ${baseline.toFixed(2)} min`,
    );
    env.say(`    best params ${JSON.stringify(best.params)}`);
    env.say(
      `    study "${name}" is in the store: mortar tune show --study ${name}; report: ${path}`,
    );
    return {
      summary: `test MAE ${untuned.toFixed(2)} -> ${value.toFixed(2)} min in ${TRIALS} trials (median predictor ${baseline.toFixed(2)})`,
      details: {
        study: name,
        bestMae: value,
        untunedMae: untuned,
        baselineMae: baseline,
        params: { ...best.params },
        report: path,
        trials: TRIALS,
      },
    };
  },
};
