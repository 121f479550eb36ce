import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError, toMortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { Rng } from '../../core/rng.js';
import { createRun, finishRun, logMetrics } from '../../core/store/index.js';
import type { CliContext } from '../context.js';
import type { QuickstartEnv, StepOutcome } from '../quickstart/step.js';
import { QUICKSTART_STEPS } from '../quickstart/steps/index.js';

interface QuickstartOptions {
  json?: boolean;
  outDir: string;
  steps?: string;
  seed?: string;
}

/**
 * `mortar quickstart`: Mortar's main job on real data, as a list of steps that each capability
 * extends. Records the whole thing as a run in the store.
 */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('quickstart')
    .description(
      'run Mortar end to end on real data (vega-datasets) and record it as a run in the store',
    )
    .option('--out-dir <dir>', 'where the steps write files', '.mortar/quickstart')
    .option(
      '--steps <ids>',
      `comma-separated subset of steps (${QUICKSTART_STEPS.map((s) => s.id).join(',')})`,
    )
    .option('--seed <n>', 'seed for everything random (default: config seed)')
    .option('--json', 'print one JSON summary instead of text')
    .action(async (opts: QuickstartOptions) => {
      const steps = selectSteps(opts.steps);
      const seed = opts.seed === undefined ? ctx.config().config.seed : parseSeed(opts.seed);
      const workDir = resolve(ctx.cwd, opts.outDir);
      mkdirSync(workDir, { recursive: true });
      const quiet = Boolean(opts.json);
      const store = await ctx.openStore();
      const t0 = performance.now();
      const results: { id: string; title: string; ms: number; outcome: StepOutcome }[] = [];
      try {
        const run = await createRun(store, {
          kind: 'quickstart',
          name: 'quickstart',
          params: { seed, steps: steps.map((s) => s.id), workDir },
        });
        const env: QuickstartEnv = {
          ctx,
          store,
          workDir,
          seed,
          rng: new Rng(seed),
          quiet,
          shared: new Map([['runId', run.id]]),
          say: (line = '') => {
            if (!quiet) ctx.out.line(line);
          },
        };
        env.say(
          `Mortar quickstart: ${steps.length} steps, seed ${seed}, store ${store.description}`,
        );
        for (const [i, step] of steps.entries()) {
          env.say('');
          env.say(`[${i + 1}/${steps.length}] ${step.title}`);
          const s0 = performance.now();
          let outcome: StepOutcome;
          try {
            outcome = await step.run(env);
          } catch (e) {
            const err = toMortarError(e);
            await finishRun(store, run.id, 'failed', { failedStep: step.id, error: err.message });
            throw err;
          }
          const ms = Math.round(performance.now() - s0);
          results.push({ id: step.id, title: step.title, ms, outcome });
          await logMetrics(store, run.id, i, { [`${step.id}_ms`]: ms });
          env.say(`    -> ${outcome.summary} (${fmtMs(ms)})`);
        }
        const totalMs = Math.round(performance.now() - t0);
        const summary: JsonObject = {
          totalMs,
          steps: results.map((r) => ({
            id: r.id,
            ms: r.ms,
            summary: r.outcome.summary,
            ...r.outcome.details,
          })),
        };
        await finishRun(store, run.id, 'completed', summary);
        if (opts.json) {
          ctx.out.json({ runId: run.id, store: store.description, workDir, ...summary });
        } else {
          env.say('');
          env.say(`Done in ${fmtMs(totalMs)}. Recorded as run ${run.id}.`);
          env.say(`  mortar runs show ${run.id}     # what was recorded`);
          env.say(`  files in ${workDir}`);
        }
      } finally {
        await store.close();
      }
    });
}

function selectSteps(list: string | undefined) {
  if (list === undefined) return QUICKSTART_STEPS;
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = QUICKSTART_STEPS.map((s) => s.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0 || ids.length === 0) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--steps: unknown step(s) ${unknown.join(', ') || '(none given)'}; known: ${known.join(', ')}`,
      {
        details: { option: '--steps', unknown, known },
      },
    );
  }
  return QUICKSTART_STEPS.filter((s) => ids.includes(s.id));
}

function parseSeed(s: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    throw new MortarError('INVALID_ARGUMENT', `--seed must be an integer, got "${s}"`, {
      details: { option: '--seed' },
    });
  }
  return n;
}

function fmtMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
