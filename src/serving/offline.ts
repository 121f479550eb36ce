import { MortarError } from '../core/errors.js';
import type { Column, Field, TableWriter } from '../core/data/index.js';
import type { ServingEngine } from './engine.js';
import { elementCount, type TensorArray } from './tensor.js';

/** Options for {@link predictFile}. */
export interface PredictFileOptions {
  /** Feature columns, in input order; default: every numeric column of the file. */
  readonly columns?: readonly string[];
  /** Rows per request to the engine (default 256); several requests are kept in flight. */
  readonly rowsPerRequest?: number;
  /** Requests in flight at once (default 4). */
  readonly inFlight?: number;
  /** Called with the number of rows done so far (progress bars). */
  readonly onRows?: (done: number) => void;
  /** Copy these input columns to the output next to the predictions. */
  readonly keep?: readonly string[];
}

/**
 * Offline prediction: streams a table (Parquet, CSV, ...) through the engine and writes one row
 * of predictions per input row (`<output>_<j>` float64 columns for an output of shape [n, k]).
 * The model must take one FP32/FP64 input of shape [-1, F] where F is the number of feature
 * columns. Runs through the same batching runner as online requests, so full batches form.
 */
export async function predictFile(
  engine: ServingEngine,
  model: string,
  inPath: string,
  outPath: string,
  opts: PredictFileOptions = {},
): Promise<{ rows: number; outputs: string[] }> {
  const meta = engine.metadata(model);
  const input = meta.inputs[0];
  if (meta.inputs.length !== 1 || !input || input.shape.length !== 2) {
    throw new MortarError(
      'UNSUPPORTED',
      `predict --batch needs a model with one input of shape [-1, F]; ${model} has ${meta.inputs.map((i) => `${i.name} [${i.shape.join(', ')}]`).join(', ')}`,
      { details: { model } },
    );
  }
  if (input.datatype !== 'FP32' && input.datatype !== 'FP64') {
    throw new MortarError(
      'UNSUPPORTED',
      `predict --batch feeds FP32/FP64 inputs; ${model} takes ${input.datatype}`,
    );
  }
  // DuckDB is loaded only when offline prediction runs.
  const { NumberColumn, RecordBatch, openWriter, readBatches, readSchema } =
    await import('../core/data/index.js');
  const schema = (await readSchema(inPath)).schema;
  const columns =
    opts.columns ??
    schema
      .filter((f) => !['string', 'other', 'bool', 'date', 'timestamp', 'time'].includes(f.type))
      .map((f) => f.name);
  const width = input.shape[1]!;
  if (width >= 0 && columns.length !== width) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${inPath}: ${columns.length} feature columns (${columns.join(', ')}) but model ${model} takes ${width} features; pass --columns with ${width} names`,
      { details: { file: inPath, columns, expected: width } },
    );
  }
  const per = Math.max(1, opts.rowsPerRequest ?? 256);
  const inFlight = Math.max(1, opts.inFlight ?? 4);
  const keep = opts.keep ?? [];
  let writer: TableWriter | undefined;
  let done = 0;
  let outNames: string[] = [];
  try {
    for await (const batch of readBatches(inPath, {
      columns: [...new Set([...columns, ...keep])],
    })) {
      const n = batch.numRows;
      const x =
        input.datatype === 'FP32'
          ? new Float32Array(n * columns.length)
          : new Float64Array(n * columns.length);
      columns.forEach((name, j) => {
        const c = batch.column(name);
        if (c.kind !== 'number') {
          throw new MortarError('DATA_INVALID', `${inPath}: column "${name}" is not numeric`, {
            details: { column: name },
          });
        }
        for (let r = 0; r < n; r++) x[r * columns.length + j] = c.values[r]!;
      });
      const parts: Promise<{
        start: number;
        out: Record<string, { shape: readonly number[]; data: TensorArray }>;
      }>[] = [];
      const results: (typeof parts)[number] extends Promise<infer T> ? T[] : never = [];
      for (let start = 0; start < n; start += per) {
        const rows = Math.min(per, n - start);
        const data = x.slice(start * columns.length, (start + rows) * columns.length);
        parts.push(
          engine
            .infer(
              model,
              undefined,
              { [input.name]: { datatype: input.datatype, shape: [rows, columns.length], data } },
              { noCache: true, timeoutMs: 600_000 },
            )
            .then((a) => {
              done += rows;
              opts.onRows?.(done);
              return { start, out: a.outputs };
            }),
        );
        if (parts.length >= inFlight) results.push(await parts.shift()!);
      }
      for (const p of parts) results.push(await p);
      // Build output columns in row order.
      const cols = new Map<string, Float64Array>();
      for (const { start, out } of results) {
        for (const [name, t] of Object.entries(out)) {
          const k = elementCount(t.shape.slice(1));
          for (let j = 0; j < k; j++) {
            const key = k === 1 ? name : `${name}_${j}`;
            let col = cols.get(key);
            if (!col) cols.set(key, (col = new Float64Array(n)));
            const rows = t.shape[0]!;
            for (let r = 0; r < rows; r++) col[start + r] = Number(t.data[r * k + j]);
          }
        }
      }
      outNames = [...cols.keys()];
      const fields: Field[] = [
        ...keep.map((name) => batch.schema[batch.columnIndex(name)]!),
        ...outNames.map((name) => ({ name, type: 'float64' as const, nullable: false })),
      ];
      const columnsOut: Column[] = [
        ...keep.map((name) => batch.column(name)),
        ...outNames.map((name) => new NumberColumn('float64', cols.get(name)!)),
      ];
      writer ??= await openWriter(outPath, fields);
      await writer.write(new RecordBatch(fields, n, columnsOut));
    }
    if (!writer) {
      throw new MortarError('DATA_INVALID', `${inPath} has no rows to predict`, {
        details: { file: inPath },
      });
    }
    await writer.close();
  } catch (e) {
    await writer?.abort();
    throw e;
  }
  return { rows: done, outputs: outNames };
}
