import { join } from 'node:path';
import { MortarError } from '../errors.js';
import { detectFormat } from './format.js';
import { readBatches, readSchema, type ReadOptions } from './read.js';
import { Reservoir } from './sample.js';
import { partNames, splitAssigner, type SplitSpec } from './split.js';
import type { Format, Schema } from './types.js';
import { openWriter, writeTable, type TableWriter } from './write.js';

/** Called with rows processed so far (for progress bars). */
export type OnRows = (rowsDone: number) => void;

/** What {@link sampleFile} did. */
export interface SampleResult {
  readonly input: string;
  readonly output: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly seed: number;
}

/**
 * Streams `input`, keeps a seeded uniform sample of `rows` rows (reservoir; input order kept)
 * and writes it to `output` (format from its extension or `outFormat`).
 */
export async function sampleFile(
  input: string,
  output: string,
  opts: { rows: number; seed: number; read?: ReadOptions; outFormat?: Format; onRows?: OnRows },
): Promise<SampleResult> {
  const r = new Reservoir(opts.rows, opts.seed);
  let schema: Schema | undefined;
  for await (const b of readBatches(input, opts.read)) {
    schema ??= b.schema;
    r.offer(b);
    opts.onRows?.(r.rowsSeen);
  }
  schema ??= (await readSchema(input, opts.read)).schema;
  const sample = r.result(schema);
  const { rows } = await writeTable(output, sample, { format: opts.outFormat, schema });
  return { input, output, rowsRead: r.rowsSeen, rowsWritten: rows, seed: opts.seed };
}

/** What {@link splitFile} did. */
export interface SplitResult {
  readonly input: string;
  readonly rowsRead: number;
  readonly parts: readonly {
    readonly name: string;
    readonly path: string;
    readonly rows: number;
  }[];
}

/**
 * Streams `input` and writes each row to one of `spec.fractions.length` files in `outDir`
 * (`train`/`test`, ... see {@link partNames}), by seeded random draw or, with `spec.by`, by
 * hashing the group column so groups never straddle parts. Output format: `outFormat`, else the
 * input's.
 */
export async function splitFile(
  input: string,
  outDir: string,
  spec: SplitSpec,
  opts: { read?: ReadOptions; outFormat?: Format; names?: readonly string[]; onRows?: OnRows } = {},
): Promise<SplitResult> {
  const assign = splitAssigner(spec);
  const names = opts.names ?? partNames(spec.fractions.length);
  if (names.length !== spec.fractions.length) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${names.length} part names for ${spec.fractions.length} fractions`,
    );
  }
  const format = opts.outFormat ?? detectFormat(input, opts.read?.format);
  const ext = format === 'arrow' ? 'arrow' : format;
  const paths = names.map((n) => join(outDir, `${n}.${ext}`));
  const writers: (TableWriter | undefined)[] = names.map(() => undefined);
  const counts = names.map(() => 0);
  let rowsRead = 0;
  let schema: Schema | undefined;
  try {
    for await (const b of readBatches(input, opts.read)) {
      if (schema === undefined) {
        schema = b.schema;
        if (spec.by !== undefined) b.column(spec.by); // NOT_FOUND early, naming the columns
      }
      const part = assign(b);
      const idx: number[][] = names.map(() => []);
      for (let i = 0; i < part.length; i++) (idx[part[i] as number] as number[]).push(i);
      for (let p = 0; p < names.length; p++) {
        const rows = idx[p] as number[];
        if (rows.length === 0) continue;
        writers[p] ??= await openWriter(paths[p] as string, b.schema, { format });
        await (writers[p] as TableWriter).write(b.take(rows));
        counts[p] = (counts[p] as number) + rows.length;
      }
      rowsRead += b.numRows;
      opts.onRows?.(rowsRead);
    }
    schema ??= (await readSchema(input, opts.read)).schema;
    for (let p = 0; p < names.length; p++) {
      writers[p] ??= await openWriter(paths[p] as string, schema, { format });
      await (writers[p] as TableWriter).close();
    }
  } catch (e) {
    await Promise.all(writers.map((w) => w?.abort()));
    throw e;
  }
  return {
    input,
    rowsRead,
    parts: names.map((name, p) => ({ name, path: paths[p] as string, rows: counts[p] as number })),
  };
}
