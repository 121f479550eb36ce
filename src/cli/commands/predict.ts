import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import {
  decodeInferRequest,
  encodeInferResponse,
  predictFile,
  ServingEngine,
} from '../../serving/index.js';
import {
  OnnxPool,
  loadOnnxModel,
  openOnnxServing,
  type OnnxServing,
} from '../../serving/onnx/index.js';
import type { CliContext } from '../context.js';
import { intFlag } from './serve.js';

interface PredictFlags {
  readonly input?: string;
  readonly batch?: string;
  readonly out?: string;
  readonly columns?: string;
  readonly keep?: string;
  readonly workers?: string;
  readonly json?: boolean;
}

/**
 * `mortar predict MODEL --input in.json` (one KServe V2 request, answer on stdout) and
 * `mortar predict MODEL --batch in.parquet --out out.parquet` (offline, streamed through the
 * same engine with batching, with a progress bar). MODEL is a model.onnx file, a model folder
 * (`<repo>/<model>`, latest version) or `<repo>/<model>/<version>`.
 */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('predict')
    .description(
      'run a model on a KServe V2 JSON request (--input) or on a whole table (--batch ... --out ...)',
    )
    .argument(
      '<model>',
      'model.onnx file, model folder <repo>/<model>, or <repo>/<model>/<version>',
    )
    .option('--input <file>', 'KServe V2 inference request (JSON)')
    .option('--batch <file>', 'table to predict (Parquet, CSV, JSON, Arrow)')
    .option('--out <file>', 'where --batch writes predictions (format from the extension)')
    .option(
      '--columns <list>',
      'feature columns for --batch, comma-separated (default: every numeric column)',
    )
    .option('--keep <list>', 'input columns copied to --out beside the predictions')
    .option('--workers <n>', 'inference worker threads (default 2)')
    .option('--json', 'print a JSON summary (with --batch)')
    .action((model: string, flags: PredictFlags) => runPredict(ctx, model, flags));
}

async function openModel(
  ctx: CliContext,
  path: string,
  workers: number,
): Promise<{ serving: OnnxServing; name: string }> {
  const abs = resolve(ctx.cwd, path);
  if (!existsSync(abs)) {
    throw new MortarError(
      'NOT_FOUND',
      `model ${abs} does not exist; pass a model.onnx file or a <repo>/<model> folder`,
      {
        details: { file: abs },
      },
    );
  }
  if (statSync(abs).isFile() || /^\d+$/.test(basename(abs))) {
    const file = statSync(abs).isFile() ? abs : resolve(abs, 'model.onnx');
    const pool = new OnnxPool({ workers });
    try {
      const engine = await ServingEngine.open({ concurrency: workers, cache: false });
      const name = statSync(abs).isFile()
        ? basename(dirname(dirname(abs))) || 'model'
        : basename(dirname(abs));
      await engine.addModel(name, 1, await loadOnnxModel(pool, file));
      return {
        name,
        serving: {
          engine,
          pool,
          async close() {
            await engine.close();
            await pool.close();
          },
        },
      };
    } catch (e) {
      await pool.close();
      throw e;
    }
  }
  const name = basename(abs);
  const serving = await openOnnxServing({ root: dirname(abs), workers, cache: false });
  const status = serving.engine.list().find((m) => m.name === name);
  if (!status?.ready) {
    await serving.close();
    throw new MortarError(
      'FAILED_PRECONDITION',
      `model ${name} in ${dirname(abs)} is not ready: ${status?.reason ?? 'not found'}`,
      {
        details: { model: name },
      },
    );
  }
  return { serving, name };
}

async function runPredict(ctx: CliContext, model: string, flags: PredictFlags): Promise<void> {
  if ((flags.input === undefined) === (flags.batch === undefined)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      'pass exactly one of --input in.json or --batch in.parquet --out out.parquet',
    );
  }
  if (flags.batch !== undefined && flags.out === undefined) {
    throw new MortarError('INVALID_ARGUMENT', '--batch needs --out FILE for the predictions');
  }
  const workers = intFlag('--workers', flags.workers, 2, 1, 256);
  const { serving, name } = await openModel(ctx, model, workers);
  try {
    if (flags.input !== undefined) {
      const file = resolve(ctx.cwd, flags.input);
      let body: Buffer;
      try {
        body = readFileSync(file);
      } catch (e) {
        throw new MortarError(
          'NOT_FOUND',
          `--input ${file}: cannot read it (${(e as Error).message})`,
          { details: { file } },
        );
      }
      let req;
      try {
        req = decodeInferRequest(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
      } catch (e) {
        throw new MortarError('INVALID_ARGUMENT', `--input ${file}: ${(e as Error).message}`, {
          details: { file },
          cause: e,
        });
      }
      const ans = await serving.engine.infer(name, undefined, req.inputs, {
        ...(req.id === undefined ? {} : { id: req.id }),
        ...(req.outputs ? { outputs: req.outputs.map((o) => o.name) } : {}),
      });
      const enc = encodeInferResponse(ans, {
        ...req,
        binaryOutputs: false,
        ...(req.outputs
          ? { outputs: req.outputs.map((o) => ({ name: o.name, binary: false })) }
          : {}),
      });
      ctx.out.line(enc.body as string);
      return;
    }
    const inPath = resolve(ctx.cwd, flags.batch!);
    const outPath = resolve(ctx.cwd, flags.out!);
    const { readSchema } = await import('../../core/data/index.js');
    const total = (await readSchema(inPath)).numRows ?? 0;
    const bar = ctx.progress('predict', total, { unit: 'rows', quiet: flags.json === true });
    const t0 = performance.now();
    const split = (s: string | undefined) =>
      s
        ?.split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    const columns = split(flags.columns);
    const keep = split(flags.keep);
    let r;
    try {
      r = await predictFile(serving.engine, name, inPath, outPath, {
        ...(columns ? { columns } : {}),
        ...(keep ? { keep } : {}),
        inFlight: workers * 2,
        onRows: (n) => bar.update(n),
      });
    } finally {
      bar.stop();
    }
    const seconds = (performance.now() - t0) / 1000;
    const summary = {
      model: name,
      input: inPath,
      output: outPath,
      rows: r.rows,
      outputs: r.outputs,
      seconds,
      rowsPerSecond: r.rows / seconds,
    };
    if (flags.json) ctx.out.json(summary);
    else
      ctx.out.line(
        `predicted ${r.rows} rows with ${name} in ${seconds.toFixed(2)} s (${Math.round(r.rows / seconds)} rows/s) -> ${outPath} [${r.outputs.join(', ')}]`,
      );
  } finally {
    await serving.close();
  }
}
