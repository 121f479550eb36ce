import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { createRun, finishRun, type Store } from '../../core/store/index.js';
import {
  applyToFile,
  checkGold,
  createApplierPool,
  createLabelModel,
  inProcessApplier,
  lfSummary,
  lfSummaryReport,
  lfsFromJson,
  loadLfModuleExport,
  openLabelMatrixCsvWriter,
  predictLabels,
  readGoldCsv,
  readLabelMatrixCsv,
  restoreLabelModel,
  saveLabelMatrix,
  selectLabelModel,
  DEFAULT_LABEL_MODEL,
  type ChunkApplier,
  type FitOptions,
  type LabelModelState,
} from '../../labeling/index.js';
import type { Row } from '../../core/data/index.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

function posInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new MortarError('INVALID_ARGUMENT', `${flag} must be a positive integer, got "${v}"`, {
      details: { flag },
    });
  return n;
}

/** Loads LFs from lfs.json (declarative) or an ES/TS module exporting `lfs`. */
async function loadApplier(
  path: string,
  flags: { workers?: string; classes?: string; faultTolerant?: boolean },
): Promise<{ applier: ChunkApplier<Row>; cardinality?: number }> {
  if (!existsSync(path))
    throw new MortarError('NOT_FOUND', `LF file not found: ${path}`, { details: { file: path } });
  let cardinality = posInt('--classes', flags.classes);
  const opts = { cardinality, faultTolerant: flags.faultTolerant === true };
  if (extname(path) === '.json') {
    let spec: unknown;
    try {
      spec = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      throw new MortarError(
        'INVALID_CONFIG',
        `${path} is not valid JSON: ${(e as Error).message}`,
        { details: { file: path } },
      );
    }
    const d = lfsFromJson(spec, path);
    cardinality ??= d.cardinality;
    return { applier: inProcessApplier(d.lfs as never, { ...opts, cardinality }), cardinality };
  }
  const workers = flags.workers === 'auto' ? undefined : (posInt('--workers', flags.workers) ?? 1);
  if (workers === undefined || workers > 1) {
    return {
      applier: await createApplierPool<Row>({ module: path, workers, ...opts }),
      cardinality,
    };
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    if (!/\.[mc]?ts$/.test(path)) throw e;
    // A TypeScript LF module from the compiled CLI: register tsx (if installed) and retry.
    const api = (await import('tsx/esm/api' as string).catch(() => {
      throw new MortarError(
        'DEPENDENCY_MISSING',
        `loading ${path} needs tsx (npm install tsx), or compile it to JavaScript`,
        { cause: e },
      );
    })) as { register: () => void };
    api.register();
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  }
  return { applier: inProcessApplier(loadLfModuleExport(mod, path) as never, opts), cardinality };
}

function parseBalance(v: string | undefined): FitOptions['classBalance'] {
  if (v === undefined) return undefined;
  if (v === 'uniform' || v === 'estimate') return v;
  const parts = v.split(',').map(Number);
  if (parts.some((p) => !Number.isFinite(p))) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--class-balance must be "uniform", "estimate" or comma-separated probabilities, got "${v}"`,
    );
  }
  return parts;
}

function parseCorrelated(v: string | undefined, names: readonly string[]): [number, number][] {
  if (!v) return [];
  return v.split(',').map((pair) => {
    const [a, b] = pair.split(':').map((s) => s.trim());
    const idx = (s: string | undefined) => {
      const j = names.indexOf(s ?? '');
      if (j < 0)
        throw new MortarError(
          'INVALID_ARGUMENT',
          `--correlated: unknown LF "${s}"; the matrix has ${names.join(', ')}`,
        );
      return j;
    };
    return [idx(a), idx(b)];
  });
}

/** Runs `body` inside a recorded run (lineage in the store); failures mark the run failed. */
async function recorded<T extends JsonObject>(
  ctx: CliContext,
  kind: string,
  params: JsonObject,
  body: (runId: string, store: Store) => Promise<T>,
): Promise<T & { runId: string }> {
  const store = await ctx.openStore();
  try {
    const run = await createRun(store, { kind, name: kind, params });
    try {
      const summary = await body(run.id, store);
      await finishRun(store, run.id, 'completed', summary);
      return { ...summary, runId: run.id };
    } catch (e) {
      await finishRun(store, run.id, 'failed', {
        error: e instanceof Error ? e.message : String(e),
      });
      throw e;
    }
  } finally {
    await store.close();
  }
}

/** `mortar label apply|analyze|fit|predict`: weak supervision from the command line. */
export function register(program: Command, ctx: CliContext): void {
  const label = program
    .command('label')
    .description(
      'weak supervision: apply labeling functions, analyze them, fit label models, predict',
    );

  label
    .command('apply')
    .argument('<data>', 'data file (CSV/TSV, JSON/NDJSON, Parquet, Arrow); streamed, any size')
    .requiredOption(
      '--lfs <file>',
      'labeling functions: lfs.json (declarative) or an ES/TS module exporting `lfs`',
    )
    .requiredOption('--out <file>', 'label matrix CSV to write (header row of LF names)')
    .option('--classes <k>', 'number of classes; votes outside 0..k-1 are errors')
    .option(
      '--workers <n>',
      'worker threads for module LFs: a number, or "auto" for every core (default 1 = in-process)',
    )
    .option(
      '--fault-tolerant',
      'count LF failures per LF (as abstains) instead of stopping at the first',
    )
    .option('--no-store-matrix', 'do not keep a copy of the matrix in the store')
    .option('--json', 'print JSON for scripts')
    .description('apply labeling functions to a data file and write the label matrix')
    .action(
      async (
        data: string,
        flags: {
          lfs: string;
          out: string;
          classes?: string;
          workers?: string;
          faultTolerant?: boolean;
          storeMatrix?: boolean;
          json?: boolean;
        },
      ) => {
        const dataPath = resolve(ctx.cwd, data);
        const lfPath = resolve(ctx.cwd, flags.lfs);
        const out = resolve(ctx.cwd, flags.out);
        const { applier, cardinality } = await loadApplier(lfPath, flags);
        try {
          const summary = await recorded(
            ctx,
            'label-apply',
            {
              lfs: lfPath,
              lfsSha256: await sha256(lfPath),
              lfNames: [...applier.lfNames],
              data: dataPath,
              out,
              cardinality: cardinality ?? null,
            },
            async (runId, store) => {
              const writer = openLabelMatrixCsvWriter(out, applier.lfNames);
              const res = await applyToFile(applier, dataPath, {
                onChunk: (c) => writer.write(c),
                collect: flags.storeMatrix !== false,
              });
              await writer.close();
              if (res.matrix)
                await saveLabelMatrix(store, runId, res.matrix, {
                  lfs: lfPath,
                  data: dataPath,
                  lfNames: [...applier.lfNames],
                });
              return {
                rows: res.rows,
                lfs: applier.lfNames.length,
                out,
                failures: res.failures.counts,
                firstFailures: res.failures.first as never,
                storedMatrix: res.matrix ? runId : null,
              };
            },
          );
          if (flags.json) ctx.out.json(summary);
          else {
            ctx.out.line(
              `labeled ${summary['rows']} rows with ${applier.lfNames.length} LFs -> ${out} (run ${summary['runId']})`,
            );
            const f = summary['failures'] as Record<string, number>;
            for (const [lf, c] of Object.entries(f))
              ctx.out.line(`  ${lf}: failed on ${c} rows (counted as abstain)`);
          }
          if (Object.keys(summary['failures'] as object).length > 0) ctx.setExitCode(1);
        } finally {
          await applier.close();
        }
      },
    );

  label
    .command('analyze')
    .argument('<matrix>', 'label matrix CSV')
    .option('--gold <file>', 'gold labels (one per row, -1 = unknown) for empirical accuracy')
    .option('--html <file>', 'also write an HTML report')
    .option('--json', 'print JSON for scripts')
    .description(
      "LF polarity, coverage, overlaps, conflicts and empirical accuracy (like Snorkel's lf_summary)",
    )
    .action(async (matrix: string, flags: { gold?: string; html?: string; json?: boolean }) => {
      const L = await readLabelMatrixCsv(resolve(ctx.cwd, matrix));
      const gold = flags.gold ? await readGoldCsv(resolve(ctx.cwd, flags.gold)) : undefined;
      const s = lfSummary(L, gold, flags.gold);
      if (flags.html)
        await lfSummaryReport(s, `LF analysis: ${matrix}`).write(resolve(ctx.cwd, flags.html));
      if (flags.json) {
        ctx.out.json(s);
        return;
      }
      const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
      ctx.out.line(
        table(
          [
            'lf',
            'polarity',
            'coverage',
            'overlaps',
            'conflicts',
            ...(gold ? ['correct', 'incorrect', 'emp. acc'] : []),
          ],
          s.rows.map((r) => [
            r.lf,
            r.polarity.join(' '),
            pct(r.coverage),
            pct(r.overlaps),
            pct(r.conflicts),
            ...(gold
              ? [
                  r.correct,
                  r.incorrect,
                  r.empiricalAccuracy == null ? '-' : pct(r.empiricalAccuracy),
                ]
              : []),
          ]),
        ),
      );
      ctx.out.line(
        `${s.n} rows x ${s.m} LFs: coverage ${pct(s.coverage)}, overlap ${pct(s.overlap)}, conflict ${pct(s.conflict)}`,
      );
      if (flags.html) ctx.out.line(`wrote ${flags.html}`);
    });

  label
    .command('fit')
    .argument('<matrix>', 'label matrix CSV')
    .option(
      '--model <kind>',
      'default | matrix-completion | triplet | dawid-skene | majority',
      'default',
    )
    .option('--classes <k>', 'number of classes (default: largest label + 1, at least 2)')
    .option(
      '--gold <file>',
      'a small gold set: with --model default, pick the model most accurate on it',
    )
    .option('--class-balance <p>', '"uniform", "estimate" or comma-separated class probabilities')
    .option(
      '--correlated <pairs>',
      'correlated LF pairs, e.g. lf_a:lf_b,lf_c:lf_d (matrix-completion, triplet)',
    )
    .option('--seed <n>', 'random seed', '123')
    .requiredOption('--out <file>', 'model JSON to write')
    .option('--json', 'print JSON for scripts')
    .description('fit a label model on a label matrix')
    .action(
      async (
        matrix: string,
        flags: {
          model: string;
          classes?: string;
          gold?: string;
          classBalance?: string;
          correlated?: string;
          seed: string;
          out: string;
          json?: boolean;
        },
      ) => {
        const path = resolve(ctx.cwd, matrix);
        const L = await readLabelMatrixCsv(path);
        const opts: FitOptions = {
          cardinality: posInt('--classes', flags.classes),
          classBalance: parseBalance(flags.classBalance),
          correlations: parseCorrelated(flags.correlated, L.lfNames),
          seed: Number(flags.seed),
        };
        const out = resolve(ctx.cwd, flags.out);
        const summary = await recorded(
          ctx,
          'label-fit',
          {
            matrix: path,
            matrixSha256: await sha256(path),
            model: flags.model,
            gold: flags.gold ?? null,
            lfNames: [...L.lfNames],
            out,
          },
          async (runId, store) => {
            const t = performance.now();
            let scores: JsonObject[] | null = null;
            let model;
            if (flags.model === 'default' && flags.gold) {
              const gold = await readGoldCsv(resolve(ctx.cwd, flags.gold));
              checkGold(gold, L.n, flags.gold, matrix);
              const sel = selectLabelModel(L, gold, opts);
              model = sel.model;
              scores = sel.scores.map((s) => ({ ...s }));
            } else {
              model = createLabelModel(flags.model).fit(L, opts);
            }
            const fitMs = performance.now() - t;
            const state = model.toJSON();
            const doc = {
              state,
              lineage: {
                runId,
                matrix: path,
                lfNames: [...L.lfNames],
                requested: flags.model,
                default: DEFAULT_LABEL_MODEL,
                selection: scores,
              },
            };
            await writeFile(out, JSON.stringify(doc, null, 2) + '\n');
            await store.putDoc('label-models', runId, doc as never);
            return {
              model: model.kind,
              classes: model.cardinality,
              classBalance: [...model.classBalance],
              fitMs,
              out,
              selection: scores,
            };
          },
        );
        if (flags.json) ctx.out.json(summary);
        else
          ctx.out.line(
            `fitted ${summary['model']} (${summary['classes']} classes) in ${(summary['fitMs'] as number).toFixed(1)} ms -> ${out} (run ${summary['runId']})`,
          );
      },
    );

  label
    .command('predict')
    .argument('<matrix>', 'label matrix CSV (same LF columns as the model was fitted on)')
    .requiredOption('--model <file>', 'model JSON written by `mortar label fit`')
    .requiredOption(
      '--out <file>',
      'CSV of class probabilities, one row per data point, in input order',
    )
    .option('--json', 'print JSON for scripts')
    .description('probabilistic labels from a fitted label model')
    .action(async (matrix: string, flags: { model: string; out: string; json?: boolean }) => {
      const modelPath = resolve(ctx.cwd, flags.model);
      if (!existsSync(modelPath))
        throw new MortarError('NOT_FOUND', `model file not found: ${modelPath}`, {
          details: { file: modelPath },
        });
      const doc = JSON.parse(await readFile(modelPath, 'utf8')) as { state?: LabelModelState };
      if (!doc.state?.kind)
        throw new MortarError(
          'INVALID_ARGUMENT',
          `${modelPath} is not a label model written by \`mortar label fit\``,
        );
      const model = restoreLabelModel(doc.state);
      const path = resolve(ctx.cwd, matrix);
      const L = await readLabelMatrixCsv(path);
      const out = resolve(ctx.cwd, flags.out);
      const summary = await recorded(
        ctx,
        'label-predict',
        {
          matrix: path,
          matrixSha256: await sha256(path),
          model: modelPath,
          modelKind: model.kind,
          out,
        },
        async () => {
          const probs = model.predictProba(L);
          const k = model.cardinality;
          const lines = [Array.from({ length: k }, (_, y) => `p${y}`).join(',')];
          for (let i = 0; i < L.n; i++)
            lines.push(
              Array.from(probs.subarray(i * k, (i + 1) * k), (v) => +v.toFixed(6)).join(','),
            );
          await writeFile(out, lines.join('\n') + '\n');
          const pred = predictLabels(probs, k, model.tiePolicy);
          const counts = Array.from({ length: k }, (_, y) => pred.filter((p) => p === y).length);
          return {
            rows: L.n,
            classes: k,
            predicted: counts,
            abstained: pred.filter((p) => p < 0).length,
            out,
          };
        },
      );
      if (flags.json) ctx.out.json(summary);
      else
        ctx.out.line(
          `wrote ${summary['rows']} rows of probabilities -> ${out} (predicted per class: ${(summary['predicted'] as number[]).join(', ')})`,
        );
    });
}
