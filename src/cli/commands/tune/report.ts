/**
 * `mortar tune report STUDY --html out.html`: optimization history, parameter importances
 * (permutation importance on a random-forest surrogate), parallel coordinates, the Pareto front for
 * multi-objective studies, and the trials table, in one self-contained page.
 */
import { report } from '../../../core/report/index.js';
import type { ParallelDimension } from '../../../core/report/index.js';
import {
  paramImportances,
  type Distribution,
  type FrozenTrial,
  type Study,
} from '../../../tuning/index.js';
import type { TuneSpec } from './spec.js';

/** Writes the study report to `path`; returns what it showed (for `--json`). */
export async function writeStudyReport(
  study: Study,
  spec: TuneSpec | undefined,
  path: string,
): Promise<{
  trials: number;
  complete: number;
  importances: { param: string; importance: number }[];
}> {
  const trials = await study.getTrials();
  const complete = trials.filter((t) => t.state === 'complete');
  const names =
    spec?.objectives.map((o) => o.name) ?? study.directions.map((_, i) => `objective ${i}`);
  const dists = new Map<string, Distribution>();
  for (const t of trials)
    for (const [k, d] of Object.entries(t.distributions)) if (!dists.has(k)) dists.set(k, d);
  const params = [...dists.keys()];
  const importances = paramImportances(complete, { seed: 0 });
  const counts = ['complete', 'pruned', 'failed', 'running', 'waiting'].map(
    (s) => trials.filter((t) => t.state === s).length,
  );
  const single = study.directions.length === 1;
  let bestLabel: string | number | null = null;
  if (single && complete.length) bestLabel = (await study.bestTrial()).values?.[0] ?? null;
  const frontSize = single ? 0 : (await study.bestTrials()).length;

  const r = report(`Study "${study.name}"`, {
    subtitle: `${study.directions.map((d, i) => `${names[i]} (${d})`).join(', ')}${study.constraints.length ? `; constraints: ${study.constraints.map((c) => c.text).join(', ')}` : ''}`,
    generatedAt: new Date().toISOString(),
  });
  r.section('Summary', (s) =>
    s.kv([
      { label: 'trials', value: trials.length },
      { label: 'complete', value: counts[0] ?? 0 },
      {
        label: 'failed',
        value: counts[2] ?? 0,
        ...(counts[2] ? { severity: 'warning' as const } : {}),
      },
      { label: 'pruned', value: counts[1] ?? 0 },
      single
        ? { label: `best ${names[0]}`, value: bestLabel }
        : { label: 'Pareto front', value: frontSize },
    ]),
  );

  r.section('Optimization history', (s) => {
    for (let k = 0; k < study.directions.length; k++) {
      const sign = study.directions[k] === 'maximize' ? -1 : 1;
      let best = Infinity;
      const bestSoFar = complete.map((t) => {
        best = Math.min(best, sign * (t.values?.[k] as number));
        return sign * best;
      });
      s.scatter({
        title: `${names[k]} per trial`,
        x: { label: 'trial' },
        y: { label: names[k] ?? '' },
        series: [
          {
            name: 'trial',
            x: complete.map((t) => t.number),
            y: complete.map((t) => t.values?.[k] ?? null),
          },
          { name: 'best so far', x: complete.map((t) => t.number), y: bestSoFar, as: 'line' },
        ],
      });
    }
  });

  if (importances.length > 0) {
    r.section('Parameter importance', (s) =>
      s
        .bar({
          title: `importance for ${names[0]} (permutation importance on a random forest)`,
          horizontal: true,
          categories: importances.map((i) => i.param),
          series: [{ name: 'importance', values: importances.map((i) => i.importance) }],
          valueLabel: 'share of the surrogate error',
        })
        .text(
          `Most important: ${importances[0]?.param} (${((importances[0]?.importance ?? 0) * 100).toFixed(0)}%).`,
        ),
    );
  }

  if (params.length > 0 && complete.length > 0) {
    const dims: ParallelDimension[] = params.map((p) => {
      const d = dists.get(p) as Distribution;
      if (d.type === 'categorical')
        return { name: p, type: 'category', categories: d.choices.map(String) };
      return { name: p, ...(d.log ? { type: 'log' as const } : {}), min: d.low, max: d.high };
    });
    for (const n of names) dims.push({ name: n });
    r.section('Parallel coordinates', (s) =>
      s.parallel({
        title: 'complete trials',
        dimensions: dims,
        rows: complete.map((t) => [
          ...params.map((p) => {
            const v = t.params[p];
            if (v === undefined) return null;
            return typeof v === 'number' ? v : String(v);
          }),
          ...names.map((_, k) => t.values?.[k] ?? null),
        ]),
        colorBy: names[0] as string,
      }),
    );
  }

  if (study.directions.length >= 2 && complete.length > 0) {
    const front = new Set((await study.bestTrials()).map((t) => t.number));
    const pick = (ts: readonly FrozenTrial[], k: number) => ts.map((t) => t.values?.[k] ?? null);
    const on = complete
      .filter((t) => front.has(t.number))
      .sort((a, b) => (a.values?.[0] ?? 0) - (b.values?.[0] ?? 0));
    const off = complete.filter((t) => !front.has(t.number));
    r.section('Pareto front', (s) =>
      s.scatter({
        title: `${names[0]} vs ${names[1]}`,
        x: { label: names[0] ?? '' },
        y: { label: names[1] ?? '' },
        series: [
          { name: 'dominated', x: pick(off, 0) as number[], y: pick(off, 1) },
          { name: 'Pareto front', x: pick(on, 0) as number[], y: pick(on, 1), as: 'line' },
        ],
      }),
    );
  }

  r.section('Trials', (s) =>
    s.table({
      columns: [
        { key: 'number', label: 'trial' },
        { key: 'state' },
        ...names.map((n) => ({ key: `v:${n}`, label: n })),
        ...params.map((p) => ({ key: `p:${p}`, label: p })),
        { key: 'reason', label: 'fail reason' },
      ],
      rows: trials.map((t) => ({
        number: t.number,
        state: t.state,
        ...Object.fromEntries(names.map((n, k) => [`v:${n}`, t.values?.[k] ?? null])),
        ...Object.fromEntries(params.map((p) => [`p:${p}`, (t.params[p] ?? null) as never])),
        reason:
          typeof t.systemAttrs['fail_reason'] === 'string'
            ? t.systemAttrs['fail_reason'].slice(0, 200)
            : null,
      })),
    }),
  );
  await r.write(path);
  return { trials: trials.length, complete: complete.length, importances: [...importances] };
}
