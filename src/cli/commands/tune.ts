/**
 * `mortar tune`: black-box tuning of any program.
 * - `tune run --study NAME --space space.json --objective NAME:min|max ... -- COMMAND ...` creates
 *   (or resumes) a study and runs trials with K workers in this process;
 * - `tune worker --study NAME` joins a study from another process or machine (shared store);
 * - `tune show|best|export --study NAME [--json]` and `tune report STUDY --html out.html`.
 * Commands are spawned from argv directly, never through a shell.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import type { Store } from '../../core/store/index.js';
import {
  Study,
  samplerRegistry,
  defaultSampler,
  fromOptunaJournal,
  storeStorage,
  toOptunaJournal,
  type Sampler,
  type FrozenTrial,
} from '../../tuning/index.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';
import { runLoop } from './tune/loop.js';
import { writeStudyReport } from './tune/report.js';
import {
  checkConstraints,
  loadSpec,
  parseObjective,
  readSpaceFile,
  requireSpec,
  saveSpec,
  type TuneSpec,
} from './tune/spec.js';
import { bestOf, summary, trialRow } from './tune/views.js';

interface RunFlags {
  study: string;
  space: string;
  objective: string[];
  constraint: string[];
  trials: string;
  workers: string;
  seed?: string;
  sampler?: string;
  timeoutPerTrial?: string;
  heartbeat: string;
  staleAfter: string;
  maxRetries: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function posInt(flag: string, raw: string, min = 1): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min)
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${flag} must be an integer >= ${min}, got "${raw}"`,
      {
        details: { flag, got: raw },
      },
    );
  return n;
}

function seconds(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${flag} must be a number of seconds > 0, got "${raw}"`,
      {
        details: { flag, got: raw },
      },
    );
  return Math.round(n * 1000);
}

/** Builds the sampler a spec names (the portfolio, told the budget, by default). */
export function samplerFor(spec: TuneSpec, seedOffset = 0): Sampler {
  const seed = spec.seed + seedOffset;
  if (spec.sampler === 'portfolio' || spec.sampler === 'default')
    return defaultSampler({ seed, budget: spec.trials });
  if (!samplerRegistry.has(spec.sampler)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--sampler "${spec.sampler}" is unknown; use one of ${samplerRegistry.kinds().join(', ')}`,
      { details: { flag: '--sampler', got: spec.sampler } },
    );
  }
  return samplerRegistry.create(spec.sampler, { seed });
}

async function openStudy(
  store: Store,
  name: string,
  spec?: TuneSpec,
  seedOffset = 0,
): Promise<Study> {
  return Study.load(name, {
    storage: storeStorage(store),
    ...(spec ? { sampler: samplerFor(spec, seedOffset) } : {}),
  });
}

/** Resolves on the first SIGINT/SIGTERM by aborting `ac`; a second signal exits at once. */
function abortOnSignal(ac: AbortController, onFirst: () => void): () => void {
  const on = (): void => {
    if (ac.signal.aborted) process.exit(130);
    onFirst();
    ac.abort();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return () => {
    process.off('SIGINT', on);
    process.off('SIGTERM', on);
  };
}

function describe(t: FrozenTrial): string {
  const params = Object.entries(t.params)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(6)) : String(v)}`)
    .join(' ');
  if (t.state === 'complete')
    return `trial ${t.number} complete ${JSON.stringify(t.values)} ${params}`;
  const reason = String(t.systemAttrs['fail_reason'] ?? '').split('\n')[0];
  return `trial ${t.number} ${t.state}: ${reason} (${params})`;
}

/** Registers `mortar tune`. */
export function register(program: Command, ctx: CliContext): void {
  const tune = program
    .command('tune')
    .description('black-box tuning: run any program as an objective');

  tune
    .command('run')
    .description('create (or resume) a study and run trials of COMMAND (after --), K at a time')
    .requiredOption('--study <name>', 'study name')
    .option(
      '--space <file>',
      'search space: JSON or YAML list of {name, type, low, high, log, step, choices, condition}',
    )
    .option(
      '--objective <name:min|max>',
      'metric to optimize (repeat for several objectives)',
      collect,
      [],
    )
    .option(
      '--constraint <expr>',
      "outcome constraint, e.g. 'latency_ms<=20' (repeatable)",
      collect,
      [],
    )
    .option('--trials <n>', 'budget: trials in total', '20')
    .option('--workers <k>', 'trials in flight at once in this process', '1')
    .option('--seed <s>', 'sampler seed (default 0)')
    .option('--sampler <kind>', 'portfolio (default), tpe, gp, cmaes, random, sobol, nsga2, auto')
    .option('--timeout-per-trial <s>', 'fail a trial that runs longer (seconds)')
    .option('--heartbeat <s>', 'heartbeat interval of running trials (seconds)', '5')
    .option('--stale-after <s>', 'a trial without heartbeats this long is failed (seconds)', '30')
    .option('--max-retries <n>', 'retries of a trial whose worker died', '1')
    .option('--json', 'print { study, finished, best } as JSON at the end')
    .argument('[command...]', 'the program and its arguments; {param} is replaced by the value')
    .action(async (command: string[], flags: RunFlags) => {
      const store = await ctx.openStore();
      try {
        const existing = await loadSpec(store, flags.study);
        let spec: TuneSpec;
        if (existing && !flags.space && command.length === 0) {
          spec = { ...existing, trials: posInt('--trials', flags.trials) };
        } else {
          if (!flags.space)
            throw new MortarError('INVALID_ARGUMENT', '--space FILE is required to create a study');
          if (command.length === 0)
            throw new MortarError(
              'INVALID_ARGUMENT',
              'give the command to run after --, e.g. -- python train.py --lr {lr}',
            );
          if (flags.objective.length === 0)
            throw new MortarError(
              'INVALID_ARGUMENT',
              '--objective NAME:min|max is required, e.g. --objective loss:min',
            );
          const { raw } = readSpaceFile(ctx.cwd, flags.space);
          checkConstraints(flags.constraint);
          spec = {
            space: raw as Record<string, unknown>[],
            objectives: flags.objective.map(parseObjective),
            constraints: flags.constraint,
            command,
            trials: posInt('--trials', flags.trials),
            sampler: flags.sampler ?? 'portfolio',
            seed: flags.seed === undefined ? 0 : posInt('--seed', flags.seed, 0),
            ...(flags.timeoutPerTrial
              ? { timeoutMs: seconds('--timeout-per-trial', flags.timeoutPerTrial) }
              : {}),
            heartbeatMs: seconds('--heartbeat', flags.heartbeat),
            staleAfterMs: seconds('--stale-after', flags.staleAfter),
            maxRetries: posInt('--max-retries', flags.maxRetries, 0),
            cwd: ctx.cwd,
          };
          samplerFor(spec); // validate --sampler before anything is written
          if (existing) {
            const same =
              JSON.stringify(existing.space) === JSON.stringify(spec.space) &&
              JSON.stringify(existing.objectives) === JSON.stringify(spec.objectives) &&
              JSON.stringify(existing.constraints) === JSON.stringify(spec.constraints);
            if (!same)
              throw new MortarError(
                'ALREADY_EXISTS',
                `study "${flags.study}" exists with another space, objectives or constraints; resume it with the same ones (or just \`mortar tune run --study ${flags.study}\`) or pick a new name`,
                { details: { study: flags.study } },
              );
          }
        }
        const storage = storeStorage(store);
        if (!(await storage.getStudy(flags.study))) {
          await Study.create({
            name: flags.study,
            storage,
            directions: spec.objectives.map((o) => o.direction),
            constraints: spec.constraints,
          });
        }
        await saveSpec(store, flags.study, spec);
        const study = await openStudy(store, flags.study, spec);
        const workers = posInt('--workers', flags.workers);
        const ac = new AbortController();
        const off = abortOnSignal(ac, () =>
          ctx.out.note(
            'interrupted: stopping running trials; resume with `mortar tune run --study ' +
              flags.study +
              '`',
          ),
        );
        let result;
        try {
          result = await runLoop({
            store,
            study,
            spec,
            concurrency: workers,
            env: ctx.env,
            cwd: ctx.cwd,
            signal: ac.signal,
            onTrial: (t) => {
              if (!flags.json) ctx.out.line(describe(t));
            },
            onReaped: (t) =>
              ctx.out.note(`trial ${t.number} failed: ${String(t.systemAttrs['fail_reason'])}`),
          });
        } finally {
          off();
        }
        const sum = await summary(study, spec);
        if (flags.json)
          ctx.out.json({
            ...sum,
            finished: result.finished.length,
            interrupted: result.interrupted,
          });
        else {
          const best = sum['best'] as Record<string, unknown> | null;
          ctx.out.line(
            best
              ? `best: ${JSON.stringify(best['value'] ?? best['pareto'])} ${JSON.stringify(best['params'] ?? '')}`
              : 'no trial completed',
          );
        }
        if (result.interrupted) ctx.setExitCode(130);
        else if (!sum['best']) {
          ctx.out.note(
            'no trial completed; see `mortar tune show --study ' +
              flags.study +
              '` for the failure reasons',
          );
          ctx.setExitCode(1);
        }
      } finally {
        await store.close();
      }
    });

  tune
    .command('worker')
    .description(
      'join a study started with `tune run` (shared store) and run its trials until the budget is spent',
    )
    .requiredOption('--study <name>', 'study name')
    .option('--workers <k>', 'trials in flight at once in this process', '1')
    .option('--json', 'print { finished } as JSON at the end')
    .action(async (flags: { study: string; workers: string; json?: boolean }) => {
      const store = await ctx.openStore();
      try {
        const spec = await requireSpec(store, flags.study);
        const study = await openStudy(store, flags.study, spec, process.pid);
        const ac = new AbortController();
        const off = abortOnSignal(ac, () => ctx.out.note('interrupted: stopping running trials'));
        try {
          const result = await runLoop({
            store,
            study,
            spec,
            concurrency: posInt('--workers', flags.workers),
            env: ctx.env,
            cwd: ctx.cwd,
            signal: ac.signal,
            onTrial: (t) => (flags.json ? undefined : ctx.out.line(describe(t))),
            onReaped: (t) =>
              ctx.out.note(`trial ${t.number} failed: ${String(t.systemAttrs['fail_reason'])}`),
          });
          if (flags.json)
            ctx.out.json({
              finished: result.finished.map((t) => t.number),
              interrupted: result.interrupted,
            });
          if (result.interrupted) ctx.setExitCode(130);
        } finally {
          off();
        }
      } finally {
        await store.close();
      }
    });

  tune
    .command('show')
    .description('a study: counts by state, best, and every trial')
    .requiredOption('--study <name>', 'study name')
    .option('--json', 'print { summary, trials } as JSON')
    .action(async (flags: { study: string; json?: boolean }) => {
      const store = await ctx.openStore();
      try {
        const study = await openStudy(store, flags.study);
        const spec = await loadSpec(store, flags.study);
        const sum = await summary(study, spec);
        const trials = await study.getTrials();
        if (flags.json) {
          ctx.out.json({ summary: sum, trials: trials.map(trialRow) });
          return;
        }
        ctx.out.line(
          `study ${study.name}: ${JSON.stringify(sum['counts'])}; best ${JSON.stringify(sum['best'])}`,
        );
        ctx.out.line(
          table(
            ['trial', 'state', 'values', 'params', 'note'],
            trials.map((t) => [
              t.number,
              t.state,
              t.values ?? null,
              t.params,
              String(t.systemAttrs['fail_reason'] ?? '').split('\n')[0],
            ]),
          ),
        );
      } finally {
        await store.close();
      }
    });

  tune
    .command('best')
    .description('the best trial (the Pareto set for several objectives)')
    .requiredOption('--study <name>', 'study name')
    .option('--json', 'print {"value": ..., "params": {...}} (or {"pareto": [...]})')
    .action(async (flags: { study: string; json?: boolean }) => {
      const store = await ctx.openStore();
      try {
        const best = await bestOf(await openStudy(store, flags.study));
        if (flags.json) ctx.out.json(best);
        else if (best['pareto'])
          for (const t of best['pareto'] as Record<string, unknown>[])
            ctx.out.line(
              `trial ${String(t['number'])} ${JSON.stringify(t['values'])} ${JSON.stringify(t['params'])}`,
            );
        else
          ctx.out.line(
            `${String(best['value'])} ${JSON.stringify(best['params'])} (trial ${String(best['number'])})`,
          );
      } finally {
        await store.close();
      }
    });

  tune
    .command('export')
    .description('every trial as JSON lines (default), one JSON document (--json) or CSV')
    .requiredOption('--study <name>', 'study name')
    .option(
      '--format <fmt>',
      'ndjson | csv | optuna (an Optuna JournalFileStorage log: optuna.load_study(storage=JournalStorage(JournalFileStorage(FILE))))',
      'ndjson',
    )
    .option('--json', 'one JSON document { study, directions, spec, trials }')
    .action(async (flags: { study: string; format: string; json?: boolean }) => {
      const store = await ctx.openStore();
      try {
        const study = await openStudy(store, flags.study);
        const trials = await study.getTrials();
        if (flags.json) {
          ctx.out.json({
            study: study.name,
            directions: study.directions,
            spec: (await loadSpec(store, flags.study)) ?? null,
            trials: trials.map(trialRow),
          });
        } else if (flags.format === 'ndjson') {
          for (const t of trials) ctx.out.line(JSON.stringify(trialRow(t)));
        } else if (flags.format === 'csv') {
          const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
          const cell = (v: unknown): string => {
            if (v === undefined || v === null) return '';
            const s = String(v);
            return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
          };
          ctx.out.line(
            ['number', 'state', ...study.directions.map((_, i) => `value${i}`), ...params].join(
              ',',
            ),
          );
          for (const t of trials)
            ctx.out.line(
              [
                t.number,
                t.state,
                ...study.directions.map((_, i) => t.values?.[i]),
                ...params.map((p) => t.params[p]),
              ]
                .map(cell)
                .join(','),
            );
        } else if (flags.format === 'optuna') {
          ctx.out.line(toOptunaJournal(study.name, study.directions, trials).trimEnd());
        } else {
          throw new MortarError(
            'INVALID_ARGUMENT',
            `--format must be ndjson, csv or optuna, got "${flags.format}"`,
          );
        }
      } finally {
        await store.close();
      }
    });

  tune
    .command('import')
    .description('create a study from an Optuna JournalFileStorage log (finished trials)')
    .requiredOption('--study <name>', 'the new study name')
    .requiredOption('--from-optuna <file>', 'the Optuna journal log')
    .option('--optuna-study <name>', 'which study of the log (default: the only one)')
    .option('--json', 'print { study, imported, skipped } as JSON')
    .action(
      async (flags: {
        study: string;
        fromOptuna: string;
        optunaStudy?: string;
        json?: boolean;
      }) => {
        const path = resolve(ctx.cwd, flags.fromOptuna);
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (e) {
          throw new MortarError(
            'NOT_FOUND',
            `--from-optuna ${path}: cannot read it (${(e as Error).message})`,
            {
              cause: e,
            },
          );
        }
        const src = fromOptunaJournal(text, flags.optunaStudy);
        const store = await ctx.openStore();
        try {
          const study = await Study.create({
            name: flags.study,
            storage: storeStorage(store),
            directions: src.directions,
          });
          const added = await study.addTrials(src.trials);
          if (flags.json)
            ctx.out.json({
              study: flags.study,
              from: src.name,
              imported: added.length,
              skipped: src.skipped,
            });
          else
            ctx.out.line(
              `imported ${added.length} trials of Optuna study "${src.name}" into "${flags.study}"${src.skipped ? ` (${src.skipped} running/waiting skipped)` : ''}`,
            );
        } finally {
          await store.close();
        }
      },
    );

  tune
    .command('report')
    .description(
      'a self-contained HTML report: history, importances, parallel coordinates, Pareto front',
    )
    .argument('<study>', 'study name')
    .requiredOption('--html <file>', 'where to write the report')
    .option('--json', 'print { path, trials, importances } as JSON')
    .action(async (name: string, flags: { html: string; json?: boolean }) => {
      const store = await ctx.openStore();
      try {
        const study = await openStudy(store, name);
        const path = resolve(ctx.cwd, flags.html);
        const r = await writeStudyReport(study, await loadSpec(store, name), path);
        if (flags.json) ctx.out.json({ path, ...r });
        else ctx.out.line(`wrote ${path} (${r.trials} trials)`);
      } finally {
        await store.close();
      }
    });
}
