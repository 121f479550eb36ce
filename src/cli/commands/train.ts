import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { MortarError } from '../../core/errors.js';
import { readTable } from '../../core/data/index.js';
import type { JsonObject } from '../../core/json.js';
import { createRun, finishRun, logMetrics, type Store } from '../../core/store/index.js';
import { loadEngine } from '../../core/tensor/index.js';
import {
  classicDataset,
  classicModel,
  dropNanRows,
  networkMetrics,
  ParallelExecutor,
  parseLabel,
  saveModel,
  tabularDataset,
  TABULAR_CLASSIC_KINDS,
  TABULAR_NETWORK_KINDS,
  trainTabular,
  type ClassicColumns,
  type EpochLogs,
} from '../../training/index.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

/** Every `--model` kind. */
export const TRAIN_KINDS = [...TABULAR_NETWORK_KINDS, ...TABULAR_CLASSIC_KINDS] as const;

interface TrainFlags {
  model: string;
  data: string;
  label?: string;
  test?: string;
  epochs?: string;
  seed?: string;
  nan?: string;
  threads?: string;
  user?: string;
  item?: string;
  text?: string;
  json?: boolean;
}

const MORTAR_CONFIG_KEYS = new Set(['store', 'server', 'log', 'seed']);

/**
 * Reads a training config file (JSON or YAML). The root command owns `-c/--config` (Mortar's own
 * config), and commander hands it the flag wherever it appears; so `mortar train --config F`
 * reaches us as the root's option. A file with keys outside Mortar's config (`store`, `server`,
 * `log`, `seed`) is a training config: we take it and clear the root option so the store and
 * logging fall back to MORTAR_CONFIG / mortar.config.* / defaults.
 */
export function takeTrainingConfig(
  program: Command,
  cwd: string,
): { config: JsonObject; path: string | null } {
  const path = program.opts<{ config?: string }>().config;
  if (!path) return { config: {}, path: null };
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (cause) {
    throw new MortarError('NOT_FOUND', `config file ${path} cannot be read`, {
      cause,
      details: { file: path },
    });
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(full) ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    throw new MortarError(
      'INVALID_CONFIG',
      `config file ${path} is not valid ${/\.ya?ml$/i.test(full) ? 'YAML' : 'JSON'}: ${(cause as Error).message}`,
      { cause, details: { file: path } },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MortarError('INVALID_CONFIG', `config file ${path} must hold an object`, {
      details: { file: path },
    });
  }
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => MORTAR_CONFIG_KEYS.has(k)))
    return { config: {}, path: null };
  program.setOptionValue('config', undefined);
  return { config: value as JsonObject, path };
}

function intFlag(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min)
    throw new MortarError('INVALID_ARGUMENT', `${name} must be an integer >= ${min}, got "${v}"`, {
      details: { flag: name },
    });
  return n;
}

const fmt = (v: number | undefined) =>
  v === undefined ? '' : Math.abs(v) >= 1000 || Number.isInteger(v) ? String(v) : v.toFixed(4);

/** `mortar train`: trains a model on a table, records the run, the metrics and the model artifact. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description(
      'train a model on a data file and record it (run, metrics, model artifact) in the store',
    )
    .requiredOption('--model <kind>', `model kind: ${TRAIN_KINDS.join(' | ')}`)
    .requiredOption('--data <file>', 'training data (CSV/TSV, JSON/NDJSON, Parquet, Arrow)')
    .option(
      '--label <column>',
      'label column; "column>15" (also >=, <, <=) makes a yes/no label; the rating for mf',
    )
    .option('--test <file>', 'test data: prints and records test metrics')
    .option('--epochs <n>', 'epochs (overrides the config)')
    .option(
      '--seed <n>',
      'seed for initialisation, shuffling and dropout (default: the config seed)',
    )
    .option('--nan <policy>', 'NaN/null in features: error (default) | drop')
    .option('--threads <n>', 'data-parallel worker threads for network models (default 1)')
    .option('--user <column>', 'mf: the user id column')
    .option('--item <column>', 'mf: the item id column')
    .option('--text <column>', 'lda: the text column')
    .option('--json', 'print {"model": ID, "metrics": {...}} as JSON')
    .addHelpText(
      'after',
      '\nThe training config is given with the global -c/--config FILE (JSON or YAML), e.g.\n  {"epochs": 20, "batchSize": 64, "optimizer": {"kind": "adam", "lr": 0.001}, "model": {"hidden": [128, 64]}}',
    )
    .action(async (flags: TrainFlags) => {
      const kind = flags.model;
      if (!(TRAIN_KINDS as readonly string[]).includes(kind)) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `--model ${kind}: unknown model; use one of ${TRAIN_KINDS.join(', ')}`,
          { details: { flag: '--model' } },
        );
      }
      if (flags.nan !== undefined && flags.nan !== 'error' && flags.nan !== 'drop') {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `--nan must be "error" or "drop", got "${flags.nan}"`,
        );
      }
      const { config: fileConfig, path: configPath } = takeTrainingConfig(program, ctx.cwd);
      const epochs = intFlag('--epochs', flags.epochs, 1);
      const seed =
        intFlag('--seed', flags.seed, 0) ??
        (typeof fileConfig['seed'] === 'number' ? fileConfig['seed'] : ctx.config().config.seed);
      const threads = intFlag('--threads', flags.threads, 1);
      const network = (TABULAR_NETWORK_KINDS as readonly string[]).includes(kind);
      if (network && !flags.label)
        throw new MortarError('INVALID_ARGUMENT', `--label COLUMN is required for --model ${kind}`);
      const trainPath = resolve(ctx.cwd, flags.data);
      const testPath = flags.test === undefined ? undefined : resolve(ctx.cwd, flags.test);
      const train = await readTable(trainPath);
      const test = testPath === undefined ? undefined : await readTable(testPath);
      const store = await ctx.openStore();
      try {
        const params: JsonObject = {
          model: kind,
          data: flags.data,
          label: flags.label ?? null,
          test: flags.test ?? null,
          config: fileConfig,
          configFile: configPath,
          seed,
          epochs: epochs ?? null,
        };
        const run = await createRun(store, { kind: 'train', name: `train ${kind}`, params });
        try {
          const result = network
            ? await trainNetwork(ctx, store, run.id, kind, flags, {
                fileConfig,
                epochs,
                seed,
                threads,
                train,
                test,
              })
            : await trainClassic(ctx, store, run.id, kind, flags, {
                fileConfig,
                epochs,
                seed,
                train,
                test,
              });
          await finishRun(store, run.id, 'completed', {
            model: run.id,
            metrics: result.metrics,
            ...(result.stopReason ? { stopReason: result.stopReason } : {}),
          });
          if (flags.json) ctx.out.json({ model: run.id, metrics: result.metrics });
          else {
            ctx.out.line(`model ${run.id} (${kind}, ${result.summary})`);
            if (result.stopReason) ctx.out.line(`stopped early: ${result.stopReason}`);
            const rows = Object.entries(result.metrics).map(([k, v]) => [k, fmt(v)]);
            if (rows.length)
              ctx.out.line(table([test ? 'test metric' : 'training metric', 'value'], rows));
            ctx.out.line(
              `evaluate: mortar evaluate ${run.id} --data FILE;  export: mortar export ${run.id} --onnx model.onnx`,
            );
          }
        } catch (e) {
          await finishRun(store, run.id, 'failed', {
            error: e instanceof Error ? e.message : String(e),
          }).catch(() => undefined);
          throw e;
        }
      } finally {
        await store.close();
      }
    });
}

interface Inputs {
  fileConfig: JsonObject;
  epochs: number | undefined;
  seed: number;
  threads?: number | undefined;
  train: Awaited<ReturnType<typeof readTable>>;
  test: Awaited<ReturnType<typeof readTable>> | undefined;
}

interface Outcome {
  metrics: Record<string, number>;
  summary: string;
  stopReason: string | null;
}

async function trainNetwork(
  ctx: CliContext,
  store: Store,
  runId: string,
  kind: string,
  flags: TrainFlags,
  i: Inputs,
): Promise<Outcome> {
  const engine = await loadEngine();
  const config: JsonObject = {
    ...i.fileConfig,
    ...(flags.nan ? { nan: flags.nan } : {}),
    ...(i.threads ? { threads: i.threads } : {}),
  };
  const totalEpochs = i.epochs ?? (typeof config['epochs'] === 'number' ? config['epochs'] : 10);
  const progress = ctx.progress(`training ${kind}`, totalEpochs, {
    unit: 'epochs',
    quiet: flags.json,
  });
  const pending: Promise<unknown>[] = [];
  const result = await trainTabular({
    kind,
    engine,
    train: i.train,
    trainSource: flags.data,
    label: parseLabel(flags.label as string),
    config,
    epochs: i.epochs,
    seed: i.seed,
    executor: (model, c) =>
      c.threads > 1 ? new ParallelExecutor(model, { threads: c.threads }) : undefined,
    callbacks: [
      {
        onEpochEnd(logs: EpochLogs) {
          progress.update(logs.epoch);
          const values: Record<string, number> = {};
          for (const [k, v] of Object.entries(logs))
            if (typeof v === 'number' && k !== 'epoch') values[k] = v;
          pending.push(logMetrics(store, runId, logs.epoch, values));
        },
      },
    ],
  });
  progress.stop();
  await Promise.all(pending);
  try {
    const last = result.history[result.history.length - 1];
    let metrics: Record<string, number>;
    if (i.test && flags.test) {
      const { data, dropped } = tabularDataset(
        i.test,
        result.inputs,
        result.config.nan,
        flags.test,
      );
      const y = result.model.task === 'binary' ? Float32Array.from(data.y) : data.y;
      metrics = {
        ...networkMetrics(result.model, { ...data, y }),
        ...(dropped ? { droppedRows: dropped } : {}),
      };
    } else {
      metrics = {};
      if (last)
        for (const [k, v] of Object.entries(last))
          if (typeof v === 'number' && k !== 'steps' && k !== 'lr') metrics[k] = v;
    }
    await saveModel(
      store,
      {
        format: 'mortar-model/1',
        id: runId,
        family: 'network',
        kind,
        task: result.model.task,
        inputs: result.inputs,
        recipe: result.model.recipe as unknown as JsonObject,
        training: result.config as unknown as JsonObject,
        metrics,
        runId,
        createdAt: Date.now(),
        trainRows: result.trainRows,
        parameters: result.model.net.parameterCount,
      },
      { network: result.model.net.getWeights() },
    );
    const dropped = result.dropped ? `, ${result.dropped} rows with NaN dropped` : '';
    return {
      metrics,
      summary: `${result.trainRows} training rows${dropped}, ${result.model.net.parameterCount} parameters, ${result.history.length} epochs`,
      stopReason: result.stopReason,
    };
  } finally {
    result.model.dispose();
  }
}

async function trainClassic(
  ctx: CliContext,
  store: Store,
  runId: string,
  kind: string,
  flags: TrainFlags,
  i: Inputs,
): Promise<Outcome> {
  const spec = classicModel(kind);
  if (spec.input !== 'corpus' && !flags.label)
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--label COLUMN is required for --model ${kind}${kind === 'mf' ? ' (the rating)' : ''}`,
    );
  const columns: ClassicColumns = {
    label: flags.label,
    user: flags.user,
    item: flags.item,
    text: flags.text,
  };
  const config: JsonObject = {
    ...i.fileConfig,
    seed: i.seed,
    ...(i.epochs ? { epochs: i.epochs } : {}),
    ...(flags.nan && spec.input !== 'corpus' ? { nan: flags.nan } : {}),
  };
  const parsed = spec.parseConfig(config);
  const total = typeof parsed['epochs'] === 'number' ? parsed['epochs'] : 0;
  const progress = ctx.progress(`training ${kind}`, total, { unit: 'epochs', quiet: flags.json });
  const pending: Promise<unknown>[] = [];
  const data = classicDataset(kind, i.train, columns);
  const model = await spec.fit(data, parsed, {
    onEpoch: (r: { epoch: number; metrics: Readonly<Record<string, number>> }) => {
      progress.update(r.epoch);
      pending.push(logMetrics(store, runId, r.epoch, r.metrics));
    },
  });
  progress.stop();
  await Promise.all(pending);
  const vocab = data.kind === 'corpus' ? data.vocab : undefined;
  const stored = { ...columns, ...(vocab ? { vocab: [...vocab] } : {}) };
  let metrics: Record<string, number>;
  if (i.test && flags.test) {
    const kept =
      flags.nan === 'drop' ? dropNanRows(kind, i.test, stored) : { batch: i.test, dropped: 0 };
    metrics = model.evaluate(classicDataset(kind, kept.batch, stored));
    if (kept.dropped) metrics = { ...metrics, droppedRows: kept.dropped };
  } else metrics = model.evaluate(data);
  const json = model.toJSON() as unknown as JsonObject;
  await saveModel(
    store,
    {
      format: 'mortar-model/1',
      id: runId,
      family: 'classic',
      kind,
      task: spec.primaryMetric,
      inputs: JSON.parse(JSON.stringify(stored)) as JsonObject,
      recipe: null,
      training: model.config,
      metrics,
      runId,
      createdAt: Date.now(),
      trainRows: i.train.numRows,
      parameters: 0,
    },
    { classic: json },
  );
  return {
    metrics,
    summary: `${i.train.numRows} training rows, ${spec.description}`,
    stopReason: null,
  };
}
