import { MortarError } from '../../core/errors.js';
import type { RecordBatch } from '../../core/data/index.js';
import type { JsonObject } from '../../core/json.js';
import { Rng } from '../../core/rng.js';
import type { Engine } from '../../core/tensor/index.js';
import { accuracy, logLoss, mae, precisionRecallF1, rmse, rocAuc } from '../metrics.js';
import { NetworkModel } from '../models/model.js';
import { modelRecipe, type Task } from '../models/recipe.js';
import { parseConfig } from '../nn/check.js';
import type { NamedWeights } from '../nn/sequential.js';
import { OPTIMIZERS } from '../optim/registry.js';
import { SCHEDULES } from '../optim/schedule.js';
import type { Callback, EpochLogs } from '../train/callback.js';
import { earlyStopping } from '../train/callbacks/early-stopping.js';
import { takeRows, type Dataset } from '../train/dataset.js';
import type { GradientExecutor } from '../train/executor.js';
import { fit } from '../train/fit.js';
import { TrainConfigSchema, type TrainConfig } from './config.js';
import { encode, encodedWidth, fitEncoder, type EncoderSpec } from './encoder.js';
import { encodeLabel, fitLabel, labeledRows, type LabelSpec } from './label.js';

/** The network model kinds trainable from a table. */
export const TABULAR_NETWORK_KINDS = ['mlp', 'cnn', 'logreg', 'softmax', 'linear'] as const;

/** How a stored tabular network maps columns to inputs and its output to a label. */
export interface TabularInputs extends JsonObject {
  readonly encoder: EncoderSpec & JsonObject;
  readonly label: LabelSpec & JsonObject;
}

/** Options of {@link trainTabular}. */
export interface TrainTabularOptions {
  readonly kind: string;
  readonly engine: Engine;
  readonly train: RecordBatch;
  readonly trainSource: string;
  readonly label: LabelSpec;
  /** Raw config (validated here with {@link TrainConfigSchema}). */
  readonly config?: unknown;
  /** Overrides config.epochs / config.seed (CLI flags). */
  readonly epochs?: number;
  readonly seed?: number;
  readonly callbacks?: readonly Callback[];
  /** Gradient executor factory for config.threads > 1 (the CLI passes the worker-thread one). */
  readonly executor?: (model: NetworkModel, config: TrainConfig) => GradientExecutor | undefined;
  readonly signal?: AbortSignal;
}

/** What {@link trainTabular} returns. */
export interface TrainTabularResult {
  readonly model: NetworkModel;
  readonly inputs: TabularInputs;
  readonly config: TrainConfig & { seed: number };
  readonly history: readonly EpochLogs[];
  readonly stopReason: string | null;
  readonly trainRows: number;
  readonly dropped: number;
}

function taskOf(kind: string, config: TrainConfig): boolean {
  if (kind === 'linear') return false;
  if (kind === 'mlp') return (config.model['task'] ?? 'classification') !== 'regression';
  return true;
}

/** Encodes a table with a fitted encoder and label (NaN policy applied); rows = kept rows. */
export function tabularDataset(
  batch: RecordBatch,
  inputs: TabularInputs,
  nan: 'error' | 'drop',
  source: string,
): { data: Dataset; dropped: number } {
  const enc = encode(batch, inputs.encoder, nan, source);
  let rows = enc.rows;
  let x = enc.x;
  let dropped = enc.dropped;
  if (nan === 'drop') {
    const kept = labeledRows(batch, inputs.label, rows, source);
    if (kept.length !== rows.length) {
      const keep = new Set(kept);
      const nx = new Float32Array(kept.length * enc.width);
      let o = 0;
      rows.forEach((r, i) => {
        if (keep.has(r)) nx.set(x.subarray(i * enc.width, (i + 1) * enc.width), o++ * enc.width);
      });
      dropped += rows.length - kept.length;
      rows = kept;
      x = nx;
    }
  }
  const y = encodeLabel(batch, inputs.label, rows, source);
  return { data: { n: rows.length, x, sampleShape: [enc.width], y, targetWidth: 1 }, dropped };
}

/**
 * Trains a network model on a table: fits the feature encoder and label on the training rows,
 * builds the kind's recipe, trains with the configured optimizer/schedule (validation split and
 * early stopping when configured), and returns the model with everything needed to store it.
 */
export async function trainTabular(o: TrainTabularOptions): Promise<TrainTabularResult> {
  if (!(TABULAR_NETWORK_KINDS as readonly string[]).includes(o.kind)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `unknown network model "${o.kind}"; use one of ${TABULAR_NETWORK_KINDS.join(', ')}`,
    );
  }
  const parsed = parseConfig('training', TrainConfigSchema, o.config ?? {});
  const config = {
    ...parsed,
    epochs: o.epochs ?? parsed.epochs,
    seed: o.seed ?? parsed.seed ?? 42,
  };
  const classification = taskOf(o.kind, config);
  const label = fitLabel(o.train, o.label, classification, o.trainSource);
  const encoder = fitEncoder(o.train, {
    features: config.features,
    exclude: [label.column],
    maxCategories: config.maxCategories,
    source: o.trainSource,
  });
  const inputs = { encoder, label } as unknown as TabularInputs;
  const { data: all, dropped } = tabularDataset(o.train, inputs, config.nan, o.trainSource);
  if (all.n === 0)
    throw new MortarError(
      'DATA_INVALID',
      `${o.trainSource}: no training rows left${dropped ? ` after dropping ${dropped} rows with NaN/null` : ''}`,
    );
  const recipe = modelRecipe(
    o.kind,
    { features: encodedWidth(encoder), classes: label.classes?.length ?? 0 },
    config.model,
  );
  let data = all;
  if (recipe.task === 'binary') data = { ...all, y: Float32Array.from(all.y) };
  let validation: Dataset | undefined;
  if (config.validationFraction > 0) {
    const rng = new Rng(config.seed).stream(2);
    const order = Int32Array.from({ length: data.n }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const nv = Math.max(1, Math.floor(data.n * config.validationFraction));
    validation = takeRows(data, order.subarray(0, nv));
    data = takeRows(data, order.subarray(nv));
  }
  const model = NetworkModel.create(o.engine, recipe, config.seed);
  const { kind: optKind, ...optConfig } = config.optimizer;
  const optimizer = OPTIMIZERS.create(optKind, optConfig);
  const callbacks: Callback[] = [...(o.callbacks ?? [])];
  let best: {
    epoch: number;
    weights: readonly NamedWeights[];
  } | null = null;
  if (config.earlyStopping) {
    if (!validation && config.earlyStopping.monitor !== 'loss') {
      throw new MortarError(
        'INVALID_CONFIG',
        'earlyStopping monitors validation metrics: set "validationFraction" (e.g. 0.1) or monitor "loss"',
      );
    }
    callbacks.unshift(
      earlyStopping({
        monitor: config.earlyStopping.monitor,
        mode: config.earlyStopping.monitor === 'valAccuracy' ? 'max' : 'min',
        patience: config.earlyStopping.patience,
        onBest: (epoch, weights) => (best = { epoch, weights }),
      }),
    );
  }
  try {
    const schedule = config.schedule
      ? SCHEDULES.create(config.schedule.kind, (({ kind: _k, ...rest }) => rest)(config.schedule))
      : undefined;
    const result = await fit(model, optimizer, data, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      schedule,
      validation,
      callbacks,
      executor: o.executor?.(model, config),
      signal: o.signal,
    });
    const b = best as {
      epoch: number;
      weights: readonly NamedWeights[];
    } | null;
    if (b && result.stopReason) model.net.setWeights(b.weights);
    return {
      model,
      inputs,
      config,
      history: result.history,
      stopReason: result.stopReason,
      trainRows: data.n,
      dropped,
    };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
}

/**
 * Test metrics of a network model on encoded data: accuracy, log-loss, F1 (macro; binary also
 * precision, recall and AUC) for classifiers; rmse and mae for regression.
 */
export function networkMetrics(model: NetworkModel, data: Dataset): Record<string, number> {
  const task: Task = model.task;
  const p = model.predict(data.x, data.n);
  const y = data.y;
  if (task === 'regression') return { rmse: rmse(y, p), mae: mae(y, p), rows: data.n };
  if (task === 'binary') {
    const pred = p.map((v) => (v >= 0.5 ? 1 : 0));
    const prf = precisionRecallF1(y, pred);
    const both = new Set(y).size === 2;
    return {
      accuracy: accuracy(y, pred),
      precision: prf.precision,
      recall: prf.recall,
      f1: prf.f1,
      ...(both ? { auc: rocAuc(y, p) } : {}),
      logLoss: logLoss(y, p),
      rows: data.n,
    };
  }
  const k = p.length / Math.max(1, data.n);
  const pred = new Int32Array(data.n);
  let ll = 0;
  for (let i = 0; i < data.n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++)
      if ((p[i * k + j] as number) > (p[i * k + best] as number)) best = j;
    pred[i] = best;
    ll -= Math.log(Math.max(1e-15, p[i * k + (y[i] as number)] as number));
  }
  const out: Record<string, number> = {
    accuracy: accuracy(y, pred),
    f1: precisionRecallF1(y, pred, { average: 'macro' }).f1,
    logLoss: ll / Math.max(1, data.n),
    rows: data.n,
  };
  if (k === 2 && new Set(y).size === 2)
    out['auc'] = rocAuc(
      y,
      Float64Array.from({ length: data.n }, (_, i) => p[i * 2 + 1] as number),
    );
  return out;
}
