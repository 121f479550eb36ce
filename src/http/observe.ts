import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from '../core/metrics.js';
import type { AppEnv } from './types.js';

/** Options for {@link observe}. */
export interface ObserveOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  /** Paths whose access logs go to debug instead of info (probes and scrapes). */
  readonly quietPaths?: readonly string[];
}

/** Label value of requests that matched no route (keeps label cardinality bounded). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Per-request metrics and structured access logs. Counts requests in
 * `mortar_http_requests_total{method,route,status}` and their latency in
 * `mortar_http_request_duration_seconds`, labelled by the route *template* (`/v1/runs/:id`),
 * never the raw path. Sets `c.var.logger`, a child logger bound to the request id; expects the
 * request-id middleware to run first.
 */
export function observe(opts: ObserveOptions): MiddlewareHandler<AppEnv> {
  const labelNames = ['method', 'route', 'status'];
  const requests = opts.metrics.counter({
    name: 'mortar_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames,
  });
  const latency = opts.metrics.histogram({
    name: 'mortar_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route template and status',
    labelNames,
  });
  const quiet = new Set(opts.quietPaths ?? []);
  return async function observe(c, next) {
    const start = opts.clock.monotonic();
    const log = opts.logger.child({ requestId: c.get('requestId') });
    c.set('logger', log);
    await next();
    const durationMs = Math.max(0, opts.clock.monotonic() - start);
    const labels = { method: c.req.method, route: routeTemplate(c), status: c.res.status };
    requests.inc(labels);
    latency.observe(durationMs / 1000, labels);
    const line = { ...labels, path: c.req.path, durationMs };
    if (quiet.has(c.req.path) && c.res.status < 400) log.debug('request', line);
    else log.info('request', line);
  };
}

/** The template of the route that answered (`/v1/runs/:id`), or {@link UNMATCHED_ROUTE}. */
export function routeTemplate(c: Context): string {
  // Middleware is registered with method ALL; handlers with their method.
  const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL');
  return handlers.at(-1)?.path ?? UNMATCHED_ROUTE;
}
