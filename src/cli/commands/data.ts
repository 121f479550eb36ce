import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import {
  detectFormat,
  parseFractions,
  readBatches,
  readSchema,
  sampleFile,
  splitFile,
  type Format,
  type ReadOptions,
} from '../../core/data/index.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

interface InputFlags {
  format?: string;
  int64?: string;
  delimiter?: string;
  json?: boolean;
}

function intFlag(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback !== undefined) return fallback;
    throw new MortarError('INVALID_ARGUMENT', `${name} is required`);
  }
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new MortarError('INVALID_ARGUMENT', `${name} must be an integer >= 0, got "${text}"`, {
      details: { flag: name },
    });
  }
  return n;
}

function readOptions(flags: InputFlags): ReadOptions {
  if (flags.int64 !== undefined && flags.int64 !== 'number' && flags.int64 !== 'bigint') {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--int64 must be "number" or "bigint", got "${flags.int64}"`,
    );
  }
  return {
    format: flags.format === undefined ? undefined : detectFormat('', flags.format),
    int64: flags.int64 as 'number' | 'bigint' | undefined,
    csv:
      flags.delimiter === undefined
        ? undefined
        : { delimiter: flags.delimiter.replace(/^\\t$/, '\t') },
  };
}

function withInputFlags(cmd: Command): Command {
  return cmd
    .option(
      '--format <format>',
      'input format: csv|tsv|json|ndjson|parquet|arrow (default: from the extension)',
    )
    .option('--delimiter <char>', 'CSV field delimiter (default , for csv, tab for tsv)')
    .option('--int64 <mode>', '64-bit integers as "number" (default; exact to 2^53) or "bigint"')
    .option('--json', 'print JSON for scripts');
}

/** Progress on the TTY for a streamed file, sized from Parquet metadata when it is known. */
async function progressFor(
  ctx: CliContext,
  label: string,
  path: string,
  read: ReadOptions,
  quiet: boolean,
) {
  let total = 0;
  if (!quiet && ctx.out.isTTY)
    total = (await readSchema(path, read).catch(() => undefined))?.numRows ?? 0;
  return ctx.progress(label, total, { unit: 'rows', quiet: quiet || total === 0 });
}

/** `mortar data schema|head|sample|split`: inspect, sample and split data files. */
export function register(program: Command, ctx: CliContext): void {
  const data = program
    .command('data')
    .description('inspect, sample and split data files (CSV/TSV, JSON/NDJSON, Parquet, Arrow)');

  withInputFlags(
    data
      .command('schema')
      .argument('<file>', 'data file')
      .description('print the columns and types of a file'),
  ).action(async (file: string, flags: InputFlags) => {
    const path = resolve(ctx.cwd, file);
    const info = await readSchema(path, readOptions(flags));
    if (flags.json) {
      ctx.out.json({ file, format: info.format, rows: info.numRows ?? null, columns: info.schema });
      return;
    }
    ctx.out.line(
      `${file} (${info.format}${info.numRows === undefined ? '' : `, ${info.numRows} rows`})`,
    );
    ctx.out.line(
      table(
        ['column', 'type', 'source type', 'nullable'],
        info.schema.map((f) => [f.name, f.type, f.sourceType ?? '', f.nullable ? 'yes' : 'no']),
      ),
    );
  });

  withInputFlags(
    data
      .command('head')
      .argument('<file>', 'data file')
      .description('print the first rows of a file')
      .option('-n, --rows <n>', 'rows to print', '10'),
  ).action(async (file: string, flags: InputFlags & { rows?: string }) => {
    const n = intFlag('--rows', flags.rows, 10);
    const path = resolve(ctx.cwd, file);
    const rows: Record<string, unknown>[] = [];
    let names: string[] = [];
    for await (const b of readBatches(path, {
      ...readOptions(flags),
      maxRows: n,
      batchRows: Math.max(1, n),
    })) {
      names = b.schema.map((f) => f.name);
      rows.push(...b.rows());
    }
    if (names.length === 0)
      names = (await readSchema(path, readOptions(flags))).schema.map((f) => f.name);
    if (flags.json) {
      ctx.out.json({ file, columns: names, rows });
      return;
    }
    ctx.out.line(
      table(
        names,
        rows.map((r) => names.map((k) => r[k])),
      ),
    );
  });

  withInputFlags(
    data
      .command('sample')
      .argument('<file>', 'data file')
      .description(
        'write a seeded uniform sample of rows (without replacement; streams any file size)',
      )
      .requiredOption('--rows <n>', 'rows to keep')
      .option('--seed <seed>', 'random seed (same seed, same rows)', '0')
      .requiredOption('--out <file>', 'output file (.parquet .csv .tsv .json .ndjson .arrow)')
      .option('--out-format <format>', 'output format (default: from --out extension)'),
  ).action(
    async (
      file: string,
      flags: InputFlags & { rows?: string; seed?: string; out: string; outFormat?: string },
    ) => {
      const rows = intFlag('--rows', flags.rows);
      const seed = intFlag('--seed', flags.seed, 0);
      const read = readOptions(flags);
      const input = resolve(ctx.cwd, file);
      const output = resolve(ctx.cwd, flags.out);
      const outFormat: Format = detectFormat(output, flags.outFormat);
      const bar = await progressFor(ctx, 'sample', input, read, Boolean(flags.json));
      try {
        const r = await sampleFile(input, output, {
          rows,
          seed,
          read,
          outFormat,
          onRows: (d) => bar.update(d),
        });
        if (flags.json)
          ctx.out.json({
            input: file,
            output: flags.out,
            rowsRead: r.rowsRead,
            rowsWritten: r.rowsWritten,
            seed,
          });
        else
          ctx.out.line(
            `sampled ${r.rowsWritten} of ${r.rowsRead} rows (seed ${seed}) -> ${flags.out}`,
          );
      } finally {
        bar.stop();
      }
    },
  );

  withInputFlags(
    data
      .command('split')
      .argument('<file>', 'data file')
      .description('split rows into train/test (or more) files, at random or group-aware with --by')
      .option('--fractions <list>', 'share per part, summing to 1', '0.8,0.2')
      .option(
        '--by <column>',
        'group-aware: all rows with the same value of COLUMN go to the same part',
      )
      .option('--seed <seed>', 'random seed', '0')
      .requiredOption('--out-dir <dir>', 'directory for the parts')
      .option('--names <list>', 'part names (default train,test | train,validation,test | part-N)')
      .option('--out-format <format>', 'output format (default: the input format)'),
  ).action(
    async (
      file: string,
      flags: InputFlags & {
        fractions: string;
        by?: string;
        seed?: string;
        outDir: string;
        names?: string;
        outFormat?: string;
      },
    ) => {
      const fractions = parseFractions(flags.fractions);
      const seed = intFlag('--seed', flags.seed, 0);
      const read = readOptions(flags);
      const input = resolve(ctx.cwd, file);
      const outFormat =
        flags.outFormat === undefined ? undefined : detectFormat('', flags.outFormat);
      const names = flags.names?.split(',').map((s) => s.trim());
      const bar = await progressFor(ctx, 'split', input, read, Boolean(flags.json));
      try {
        const r = await splitFile(
          input,
          resolve(ctx.cwd, flags.outDir),
          { fractions, by: flags.by, seed },
          {
            read,
            outFormat,
            names,
            onRows: (d) => bar.update(d),
          },
        );
        if (flags.json) {
          ctx.out.json({
            input: file,
            rowsRead: r.rowsRead,
            by: flags.by ?? null,
            seed,
            fractions,
            parts: r.parts,
          });
          return;
        }
        ctx.out.line(
          `split ${r.rowsRead} rows (${flags.by ? `grouped by ${flags.by}` : 'random rows'}, seed ${seed})`,
        );
        ctx.out.line(
          table(
            ['part', 'rows', 'file'],
            r.parts.map((p) => [p.name, p.rows, p.path]),
          ),
        );
      } finally {
        bar.stop();
      }
    },
  );
}
