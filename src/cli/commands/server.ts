import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import { PrometheusMetrics } from '../../core/metrics.js';
import { createApp, runsRoutes, startServer } from '../../http/index.js';
import { tuningRoutes } from '../../http/routes/tuning.js';
import { validateRoutes } from '../../http/routes/validate.js';
import type { CliContext } from '../context.js';

interface ServerFlags {
  readonly host?: string;
  readonly port?: string;
  readonly tokenFile?: string;
  readonly json?: boolean;
}

/**
 * `mortar server`: serves the HTTP API (`/healthz`, `/metrics`, `/openapi.json`, `/v1/runs`) on
 * 127.0.0.1:7070 by default until SIGINT or SIGTERM, then stops accepting connections, lets
 * in-flight requests finish, closes the store and exits 0. A second signal kills it at once.
 */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('server')
    .description('serve the HTTP API until SIGINT/SIGTERM (binds 127.0.0.1 unless told otherwise)')
    .option('--host <host>', 'interface to bind (default 127.0.0.1; env MORTAR_HOST)')
    .option('--port <port>', 'port to bind, 0 for any free port (default 7070; env MORTAR_PORT)')
    .option(
      '--token-file <file>',
      'require the bearer token stored in this file (else env MORTAR_TOKEN)',
    )
    .option('--json', 'once listening, print { url, host, port } as JSON on stdout')
    .action((flags: ServerFlags) => runServer(ctx, flags));
}

async function runServer(ctx: CliContext, flags: ServerFlags): Promise<void> {
  const { server: cfg } = ctx.config().config;
  const host = flags.host ?? cfg.host;
  const port = flags.port === undefined ? cfg.port : parsePort(flags.port);
  const token =
    flags.tokenFile === undefined ? cfg.token : readToken(resolve(ctx.cwd, flags.tokenFile), ctx);
  const logger = ctx.logger();

  if (!isLoopback(host) && token === undefined) {
    const warning =
      `WARNING: binding ${host} without a token exposes the API to everyone who can reach this machine; ` +
      'set MORTAR_TOKEN or pass --token-file, or bind 127.0.0.1';
    ctx.out.note(warning);
    logger.warn(warning, { host });
  }

  const store = await ctx.openStore();
  let running;
  try {
    const app = createApp({
      ...(token === undefined ? {} : { token }),
      bodyLimitBytes: cfg.bodyLimitBytes,
      logger: logger.child({ component: 'http' }),
      metrics: new PrometheusMetrics({ defaultMetrics: true }),
      routes: [runsRoutes({ store }), validateRoutes(), tuningRoutes({ store })],
    });
    running = await startServer(app, { host, port });
  } catch (e) {
    await store.close();
    throw e;
  }

  const stopped = waitForSignal();
  ctx.out.note(
    `listening on ${running.url}${token === undefined ? '' : ' (bearer token required)'}`,
  );
  if (flags.json) ctx.out.json({ url: running.url, host: running.host, port: running.port });
  logger.info('server listening', {
    url: running.url,
    store: store.description,
    auth: token !== undefined,
    bodyLimitBytes: cfg.bodyLimitBytes,
  });

  const signal = await stopped;
  logger.info('shutting down', { signal });
  try {
    await running.close();
  } finally {
    await store.close();
  }
  logger.info('server stopped', { signal });
}

/** Resolves with the first SIGINT or SIGTERM; a second one gets Node's default (exit at once). */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function parsePort(raw: string): number {
  const port = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--port must be an integer from 0 to 65535 (0 = any free port), got "${raw}"`,
      { details: { flag: '--port', got: raw } },
    );
  }
  return port;
}

function readToken(path: string, ctx: CliContext): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MortarError(
      'NOT_FOUND',
      `--token-file ${path}: cannot read it (${(e as Error).message}); pass a file that holds the token`,
      { details: { flag: '--token-file', file: path }, cause: e },
    );
  }
  const token = text.trim();
  if (token === '' || /\s/.test(token)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--token-file ${path}: the file must hold one token with no spaces inside (found ${token === '' ? 'nothing' : 'whitespace'})`,
      { details: { flag: '--token-file', file: path } },
    );
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    ctx.out.note(`warning: --token-file ${path} is readable by other users; chmod 600 it`);
  }
  return token;
}

/** True for hosts that only this machine can reach. */
function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
