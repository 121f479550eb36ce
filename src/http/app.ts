import { createRequire } from 'node:module';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { systemClock, type Clock } from '../core/clock.js';
import { MortarError } from '../core/errors.js';
import { noopLogger, type Logger } from '../core/logger.js';
import { PrometheusMetrics } from '../core/metrics.js';
import { bearerAuth } from './auth.js';
import { createErrorHandler, errorResponse, notFoundHandler, validationHook } from './errors.js';
import { observe } from './observe.js';
import { systemRoutes } from './routes/system.js';
import type { AppEnv, MortarApp, RouteDeps, RouteModule } from './types.js';

/** Options for {@link createApp}. */
export interface AppOptions {
  /** When set, every route but `/healthz` requires `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Largest accepted request body in bytes; larger bodies get 413. */
  readonly bodyLimitBytes: number;
  /** Where access and error logs go; default: nowhere. */
  readonly logger?: Logger;
  /** Metrics served at `/metrics`; default: a fresh registry for this app. */
  readonly metrics?: PrometheusMetrics;
  /** Time source for latencies and uptime; default: the system clock. */
  readonly clock?: Clock;
  /** Route groups added by subsystems (e.g. `runsRoutes({ store })`). */
  readonly routes?: readonly RouteModule[];
  /** Fields of the OpenAPI document's `info`; `version` is also reported by `/healthz`. */
  readonly info?: {
    readonly title?: string;
    readonly version?: string;
    readonly description?: string;
  };
}

/** Paths answered without a token. */
export const OPEN_PATHS: readonly string[] = ['/healthz'];

/**
 * Builds the Mortar HTTP app. Every request gets, in order: a request id (`X-Request-Id`),
 * metrics and an access log line, the bearer-token check (when `token` is set), and the
 * body-size cap; then the route. Errors thrown anywhere become `{ error: { code, message,
 * details } }` with the status from `HTTP_STATUS`. Routes: `GET /healthz`, `GET /metrics`,
 * `GET /openapi.json` (OpenAPI 3.1, generated from the routes' zod schemas) and those of `routes`.
 *
 * The app needs no socket: test it with `app.request(path, init)`; serve it with `startServer`.
 *
 * @example
 * const app = createApp({ bodyLimitBytes: 1 << 20, routes: [runsRoutes({ store })] });
 * const res = await app.request('/v1/runs?limit=5');
 */
export function createApp(opts: AppOptions): MortarApp {
  if (!Number.isSafeInteger(opts.bodyLimitBytes) || opts.bodyLimitBytes <= 0) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `createApp: bodyLimitBytes must be a positive integer, got ${String(opts.bodyLimitBytes)}`,
    );
  }
  if (opts.token !== undefined && opts.token.trim() === '') {
    throw new MortarError(
      'INVALID_ARGUMENT',
      'createApp: token must not be empty; leave it unset to run without authentication',
    );
  }
  const logger = opts.logger ?? noopLogger;
  const metrics = opts.metrics ?? new PrometheusMetrics();
  const clock = opts.clock ?? systemClock;
  const version = opts.info?.version ?? packageVersion();
  const limit = opts.bodyLimitBytes;

  const app: MortarApp = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(createErrorHandler(logger));
  app.notFound(notFoundHandler);

  app.use('*', requestId());
  app.use('*', observe({ logger, metrics, clock, quietPaths: ['/healthz', '/metrics'] }));
  if (opts.token !== undefined) {
    app.use('*', bearerAuth({ token: opts.token, openPaths: OPEN_PATHS }));
    app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      description: 'the token the server was started with (MORTAR_TOKEN or --token-file)',
    });
  }
  app.use(
    '*',
    bodyLimit({
      maxSize: limit,
      onError: (c) =>
        errorResponse(
          new MortarError(
            'PAYLOAD_TOO_LARGE',
            `request body is larger than the server's limit of ${limit} bytes; send a smaller body or start the server with a larger server.bodyLimitBytes (MORTAR_BODY_LIMIT)`,
            {
              details: { limitBytes: limit, contentLength: c.req.header('content-length') ?? null },
            },
          ),
        ),
    }),
  );

  const deps: RouteDeps = { logger, metrics, clock };
  const seen = new Set<string>();
  for (const mod of [systemRoutes({ version, metrics, clock }), ...(opts.routes ?? [])]) {
    if (seen.has(mod.name)) {
      throw new MortarError(
        'ALREADY_EXISTS',
        `createApp: two route modules are named "${mod.name}"; give each a unique name`,
      );
    }
    seen.add(mod.name);
    mod.register(app, deps);
  }

  let doc: unknown;
  app.get('/openapi.json', (c) => {
    doc ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: opts.info?.title ?? 'Mortar',
        version,
        ...(opts.info?.description === undefined ? {} : { description: opts.info.description }),
      },
      ...(opts.token === undefined ? {} : { security: [{ bearer: [] }] }),
    });
    return c.json(doc as object);
  });
  return app;
}

function packageVersion(): string {
  try {
    // Resolves to the package root from both src/http and dist/http.
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
