import { readBatches, type ReadOptions, type Row } from '../core/data/index.js';
import { FailureTally } from './apply.js';
import type { ChunkApplier } from './apply-pool.js';
import { LabelMatrix } from './matrix.js';
import type { ApplyFailures } from './types.js';

/** Options of {@link applyToFile}. */
export interface StreamApplyOptions {
  /** How to read the file (format, columns, batch size...). */
  readonly read?: ReadOptions;
  /** Receives each chunk's label matrix in row order (e.g. appends it to a CSV); awaited. */
  readonly onChunk?: (chunk: LabelMatrix, startRow: number) => Promise<void> | void;
  /** Also return the whole matrix (default false: memory stays bounded by one batch). */
  readonly collect?: boolean;
  /** Called after each batch with the rows done so far. */
  readonly onProgress?: (rows: number) => void;
}

/** What {@link applyToFile} returns. */
export interface StreamApplyResult {
  readonly rows: number;
  readonly failures: ApplyFailures;
  /** The whole matrix when `collect` was set. */
  readonly matrix?: LabelMatrix;
}

/**
 * Streams a data file of any size (CSV/TSV, JSON/NDJSON, Parquet, Arrow, through
 * `core/data`'s `readBatches`) through an applier, one record batch at a time; each row is
 * handed to the LFs as an object keyed by column name. Memory holds one batch and its votes
 * unless `collect` is set.
 *
 * @example
 * const w = openLabelMatrixCsvWriter('L.csv', applier.lfNames);
 * await applyToFile(applier, 'emails.parquet', { onChunk: (c) => w.write(c) });
 * await w.close();
 */
export async function applyToFile(
  applier: ChunkApplier<Row>,
  path: string,
  opts: StreamApplyOptions = {},
): Promise<StreamApplyResult> {
  const tally = new FailureTally();
  const parts: LabelMatrix[] = [];
  let rows = 0;
  for await (const batch of readBatches(path, opts.read)) {
    const points = [...batch.rows()];
    const { matrix, failures } = await applier.apply(points, rows);
    tally.merge(failures);
    await opts.onChunk?.(matrix, rows);
    if (opts.collect) parts.push(matrix);
    rows += points.length;
    opts.onProgress?.(rows);
  }
  return {
    rows,
    failures: tally.snapshot(),
    matrix: opts.collect
      ? parts.length
        ? LabelMatrix.concat(parts)
        : LabelMatrix.fromRows([], applier.lfNames)
      : undefined,
  };
}
