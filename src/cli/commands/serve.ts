import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import { PrometheusMetrics } from '../../core/metrics.js';
import { createApp, startServer } from '../../http/index.js';
import { kserveRoutes } from '../../http/routes/kserve.js';
import { openOnnxServing } from '../../serving/onnx/index.js';
import type { CliContext } from '../context.js';

interface ServeFlags {
  readonly host?: string;
  readonly port?: string;
  readonly workers?: string;
  readonly intraOpThreads?: string;
  readonly pollMs?: string;
  readonly cacheEntries?: string;
  readonly tokenFile?: string;
  readonly json?: boolean;
}

/**
 * `mortar serve REPO`: serves an ONNX model repository over the KServe V2 protocol (plus
 * `/healthz`, `/metrics`, `/openapi.json`) on 127.0.0.1:7070 by default, honoring the bearer
 * token, until SIGINT/SIGTERM; then drains queued requests and exits 0.
 */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description(
      'serve an ONNX model repository (<repo>/<model>/<version>/model.onnx) over KServe V2 HTTP',
    )
    .argument('<repo>', 'model repository folder')
    .option('--host <host>', 'interface to bind (default 127.0.0.1; env MORTAR_HOST)')
    .option('--port <port>', 'port, 0 for any free one (default 7070; env MORTAR_PORT)')
    .option('--workers <n>', 'inference worker threads (default 2)')
    .option('--intra-op-threads <n>', 'onnxruntime threads per session (default 1)')
    .option(
      '--poll-ms <ms>',
      'check the repository for changed files every ms (default 1000; 0 = never)',
    )
    .option('--cache-entries <n>', 'prediction cache entries (default 10000; 0 = off)')
    .option(
      '--token-file <file>',
      'require the bearer token stored in this file (else env MORTAR_TOKEN)',
    )
    .option('--json', 'once listening, print { url, host, port, models } as JSON on stdout')
    .action((repo: string, flags: ServeFlags) => runServe(ctx, repo, flags));
}

/** Parses a non-negative integer flag, naming it in the error. */
export function intFlag(
  name: string,
  raw: string | undefined,
  dflt: number,
  min = 0,
  max = 1_000_000,
): number {
  if (raw === undefined) return dflt;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${name} must be an integer from ${min} to ${max}, got "${raw}"`,
      {
        details: { flag: name, got: raw },
      },
    );
  }
  return n;
}

async function runServe(ctx: CliContext, repo: string, flags: ServeFlags): Promise<void> {
  const { server: cfg } = ctx.config().config;
  const host = flags.host ?? cfg.host;
  const port = intFlag('--port', flags.port, cfg.port, 0, 65535);
  const workers = intFlag('--workers', flags.workers, 2, 1, 256);
  const intraOpThreads = intFlag('--intra-op-threads', flags.intraOpThreads, 1, 1, 256);
  const pollMs = intFlag('--poll-ms', flags.pollMs, 1000, 0, 3_600_000);
  const cacheEntries = intFlag('--cache-entries', flags.cacheEntries, 10_000);
  const token =
    flags.tokenFile === undefined ? cfg.token : readToken(resolve(ctx.cwd, flags.tokenFile));
  const logger = ctx.logger();
  const metrics = new PrometheusMetrics({ defaultMetrics: true });
  const serving = await openOnnxServing({
    root: resolve(ctx.cwd, repo),
    workers,
    intraOpThreads,
    pollMs,
    cache: cacheEntries === 0 ? false : { maxEntries: cacheEntries },
    logger: logger.child({ component: 'serving' }),
    metrics,
  });
  let running;
  try {
    const app = createApp({
      ...(token === undefined ? {} : { token }),
      bodyLimitBytes: cfg.bodyLimitBytes,
      logger: logger.child({ component: 'http' }),
      metrics,
      routes: [kserveRoutes({ engine: serving.engine })],
    });
    running = await startServer(app, { host, port });
  } catch (e) {
    await serving.close();
    throw e;
  }
  const models = serving.engine.list();
  const stopped = new Promise<NodeJS.Signals>((res) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      res(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  ctx.out.note(
    `serving ${models.length} model(s) on ${running.url}${token === undefined ? '' : ' (bearer token required)'}`,
  );
  for (const m of models) {
    ctx.out.note(
      `  ${m.name}: ${m.ready ? `ready (versions ${m.versions.map((v) => v.version).join(', ') || m.kind})` : `NOT READY: ${m.reason ?? ''}`}`,
    );
  }
  if (flags.json) {
    ctx.out.json({
      url: running.url,
      host: running.host,
      port: running.port,
      models: models.map((m) => ({ name: m.name, ready: m.ready })),
    });
  }
  const signal = await stopped;
  logger.info('shutting down', { signal });
  try {
    await running.close();
  } finally {
    await serving.close();
  }
}

function readToken(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new MortarError(
      'NOT_FOUND',
      `--token-file ${path}: cannot read it (${(e as Error).message})`,
      {
        details: { flag: '--token-file', file: path },
        cause: e,
      },
    );
  }
  if (text === '' || /\s/.test(text)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--token-file ${path}: the file must hold one token with no spaces`,
      {
        details: { flag: '--token-file', file: path },
      },
    );
  }
  return text;
}
