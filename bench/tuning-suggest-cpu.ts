/**
 * CPU cost of a suggestion at 200 trials x 10 dims (`npm run bench -- tuning-suggest-cpu` or
 * `npx tsx bench/tuning-suggest-cpu.ts [N]`).
 * Warms a study with 200 complete random trials, then measures process CPU time for 50 more asks
 * (10 suggestions each) with the sampler under test. Prints ms per trial and per parameter.
 */
import {
  CmaEsSampler,
  GpSampler,
  PortfolioSampler,
  RandomSampler,
  Study,
  TpeSampler,
  type Sampler,
  type Trial,
} from '../src/tuning/index.js';

const DIMS = 10;
const WARM = 200;
const MEASURED = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 50);

function objective(t: Trial): number {
  const x = Array.from({ length: DIMS }, (_, i) => t.suggestFloat(`x${i}`, -5, 5));
  return x.reduce((s, v, i) => s + (v - 0.1 * i) ** 2, 0);
}

const warm = await Study.create({ sampler: new RandomSampler({ seed: 0 }) });
await warm.optimize(objective, { nTrials: WARM });
const history = await warm.getTrials(['complete']);

async function measure(name: string, sampler: Sampler, n = MEASURED): Promise<void> {
  const study = await Study.create({ sampler });
  await study.addTrials(history);
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = await study.ask();
    await study.tell(t, objective(t));
  }
  const used = process.cpuUsage(before);
  const ms = (used.user + used.system) / 1000;
  console.log(
    `${name.padEnd(24)} ${(ms / n).toFixed(2).padStart(8)} ms CPU/trial ${(ms / n / DIMS).toFixed(3).padStart(8)} ms CPU/param`,
  );
}

await measure('random', new RandomSampler({ seed: 1 }));
await measure('tpe (univariate)', new TpeSampler({ seed: 1 }));
await measure('tpe (multivariate)', new TpeSampler({ seed: 1, multivariate: true }));
await measure(
  'tpe (mv, group, liar)',
  new TpeSampler({ seed: 1, multivariate: true, group: true, constantLiar: true }),
);
await measure('cmaes', new CmaEsSampler({ seed: 1 }));
await measure('gp (all 200 points)', new GpSampler({ seed: 1 }), 10);
await measure('gp (maxPoints 100)', new GpSampler({ seed: 1, maxPoints: 100 }), 10);
await measure('portfolio (budget 260)', new PortfolioSampler({ seed: 1, budget: 260 }), 20);

/** Entry point of `npm run bench -- tuning-suggest-cpu` (the work runs at import). */
export async function run(): Promise<void> {}
