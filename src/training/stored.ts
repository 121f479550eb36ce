import { MortarError } from '../core/errors.js';
import type { RecordBatch } from '../core/data/index.js';
import type { Store } from '../core/store/index.js';
import type { Engine } from '../core/tensor/index.js';
import { loadModelArtifact, loadModelWeights, type ModelArtifact } from './artifact.js';
import {
  classicModel,
  corpusFromBatch,
  featuresFromBatch,
  ratingsFromBatch,
  restoreClassicModel,
  type ClassicDataset,
  type ClassicModel,
} from './classic/index.js';
import { NetworkModel } from './models/model.js';
import type { ModelRecipe } from './models/recipe.js';
import { networkMetrics, tabularDataset, type TabularInputs } from './tabular/pipeline.js';

/** The classic model kinds trainable from a table. */
export const TABULAR_CLASSIC_KINDS = ['mf', 'lasso', 'lda'] as const;

/** Which columns a classic model reads (recorded with it). */
export interface ClassicColumns {
  readonly label?: string;
  readonly user?: string;
  readonly item?: string;
  readonly text?: string;
  readonly features?: readonly string[];
  readonly vocab?: readonly string[];
}

/**
 * The rows of `batch` without null/NaN in the columns a classic model of `kind` reads (the
 * label, ids, or the numeric feature columns), and how many were dropped.
 */
export function dropNanRows(
  kind: string,
  batch: RecordBatch,
  columns: ClassicColumns,
): { batch: RecordBatch; dropped: number } {
  const spec = classicModel(kind);
  if (spec.input === 'corpus') return { batch, dropped: 0 };
  const names =
    spec.input === 'ratings'
      ? [columns.user, columns.item, columns.label]
      : [
          ...(columns.features ??
            batch.schema
              .filter(
                (f, i) =>
                  f.name !== columns.label &&
                  ['number', 'bool', 'bigint'].includes(batch.columns[i]!.kind),
              )
              .map((f) => f.name)),
          columns.label,
        ];
  const cols = names
    .filter((n): n is string => n !== undefined && batch.columnIndex(n) >= 0)
    .map((n) => batch.column(n));
  const keep: number[] = [];
  for (let r = 0; r < batch.numRows; r++) {
    if (cols.every((c) => !c.isNull(r) && !(c.kind === 'number' && Number.isNaN(c.values[r]))))
      keep.push(r);
  }
  return keep.length === batch.numRows
    ? { batch, dropped: 0 }
    : { batch: batch.take(keep), dropped: batch.numRows - keep.length };
}

/** The classic dataset of `kind` from a table and its columns. */
export function classicDataset(
  kind: string,
  batch: RecordBatch,
  columns: ClassicColumns,
): ClassicDataset {
  const spec = classicModel(kind);
  if (spec.input === 'ratings') {
    if (!columns.user || !columns.item)
      throw new MortarError(
        'INVALID_ARGUMENT',
        `${kind} needs the id columns: --user COLUMN --item COLUMN (the label is the rating)`,
      );
    return ratingsFromBatch(batch, {
      user: columns.user,
      item: columns.item,
      rating: columns.label,
    });
  }
  if (spec.input === 'corpus') {
    const text = columns.text ?? columns.label;
    if (!text)
      throw new MortarError('INVALID_ARGUMENT', `${kind} needs the text column: --text COLUMN`);
    return corpusFromBatch(batch, { text }, columns.vocab ? { vocab: columns.vocab } : {});
  }
  return featuresFromBatch(batch, { label: columns.label, features: columns.features });
}

/** A stored model loaded for use. */
export type OpenedModel =
  | {
      readonly artifact: ModelArtifact;
      readonly family: 'network';
      readonly model: NetworkModel;
      readonly inputs: TabularInputs;
    }
  | {
      readonly artifact: ModelArtifact;
      readonly family: 'classic';
      readonly model: ClassicModel;
      readonly columns: ClassicColumns;
    };

/** Loads model `id` from the store (network models onto `engine`). */
export async function openModel(store: Store, id: string, engine: Engine): Promise<OpenedModel> {
  const artifact = await loadModelArtifact(store, id);
  const weights = await loadModelWeights(store, id);
  if (artifact.family === 'classic') {
    if (!('classic' in weights))
      throw new MortarError('DATA_INVALID', `model ${id}: a classic model with network weights`);
    return {
      artifact,
      family: 'classic',
      model: restoreClassicModel(weights.classic),
      columns: artifact.inputs as unknown as ClassicColumns,
    };
  }
  if (!('network' in weights))
    throw new MortarError('DATA_INVALID', `model ${id}: a network model with classic weights`);
  const model = NetworkModel.create(engine, artifact.recipe as unknown as ModelRecipe, 0);
  try {
    model.net.setWeights(weights.network);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { artifact, family: 'network', model, inputs: artifact.inputs as TabularInputs };
}

/** Metrics of an opened model on a table (rows with NaN dropped or refused per `nan`). */
export function evaluateOpened(
  opened: OpenedModel,
  batch: RecordBatch,
  source: string,
  nan: 'error' | 'drop' = 'error',
): Record<string, number> {
  if (opened.family === 'network') {
    const { data, dropped } = tabularDataset(batch, opened.inputs, nan, source);
    if (data.n === 0)
      throw new MortarError(
        'DATA_INVALID',
        `${source}: no rows to evaluate${dropped ? ` after dropping ${dropped}` : ''}`,
      );
    const y = opened.model.task === 'binary' ? Float32Array.from(data.y) : data.y;
    return {
      ...networkMetrics(opened.model, { ...data, y }),
      ...(dropped ? { droppedRows: dropped } : {}),
    };
  }
  const kept =
    nan === 'drop'
      ? dropNanRows(opened.artifact.kind, batch, opened.columns)
      : { batch, dropped: 0 };
  const metrics = opened.model.evaluate(
    classicDataset(opened.artifact.kind, kept.batch, opened.columns),
  );
  return kept.dropped ? { ...metrics, droppedRows: kept.dropped } : metrics;
}
