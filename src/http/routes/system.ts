import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../../core/clock.js';
import type { PrometheusMetrics } from '../../core/metrics.js';
import { errorResponses } from '../errors.js';
import type { RouteModule } from '../types.js';

/** The body of `GET /healthz`. */
export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string().openapi({ example: '0.1.0' }),
    uptimeS: z.number().nonnegative().openapi({ description: 'seconds since the app was created' }),
  })
  .openapi('Health');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness probe; never requires a token',
  security: [],
  responses: {
    200: {
      description: 'the server is up',
      content: { 'application/json': { schema: HealthSchema } },
    },
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['system'],
  summary: 'Prometheus metrics in the text exposition format',
  responses: {
    200: {
      description: 'Prometheus text format',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...errorResponses(401),
  },
});

/** Options for {@link systemRoutes}. */
export interface SystemRoutesOptions {
  readonly version: string;
  readonly metrics: PrometheusMetrics;
  readonly clock: Clock;
}

/** `GET /healthz` (`{ status, version, uptimeS }`) and `GET /metrics` (Prometheus text). */
export function systemRoutes(opts: SystemRoutesOptions): RouteModule {
  const started = opts.clock.monotonic();
  return {
    name: 'system',
    register(app) {
      app.openapi(healthz, (c) =>
        c.json(
          {
            status: 'ok' as const,
            version: opts.version,
            uptimeS: Math.max(0, opts.clock.monotonic() - started) / 1000,
          },
          200,
        ),
      );
      app.openapi(metricsRoute, async (c) => {
        const text = await opts.metrics.render();
        return c.text(text, 200, { 'content-type': opts.metrics.contentType });
      });
    },
  };
}
