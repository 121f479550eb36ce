import { createRoute, z } from '@hono/zod-openapi';
import { MortarError } from '../../core/errors.js';
import { getRun, listRuns, type Run, type RunStatus, type Store } from '../../core/store/index.js';
import { errorResponses } from '../errors.js';
import type { RouteModule } from '../types.js';

const RUN_STATUSES = ['running', 'completed', 'failed'] as const satisfies readonly RunStatus[];

/** The wire shape of a run (see `Run` in core/store). */
export const RunSchema = z
  .object({
    id: z.string().openapi({ example: '01jd2x9k3m4q8r7t6v5w4x3y2z' }),
    kind: z.string().openapi({ description: 'what ran', example: 'train' }),
    name: z.string(),
    status: z.enum(RUN_STATUSES),
    params: z.record(z.string(), z.unknown()).openapi({ description: 'inputs of the run' }),
    startedAt: z.number().openapi({ description: 'ms since the Unix epoch' }),
    endedAt: z
      .number()
      .nullable()
      .openapi({ description: 'ms since the Unix epoch; null while running' }),
    summary: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'final results; null while running' }),
  })
  .openapi('Run');

const ListRunsQuery = z.object({
  kind: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'only runs of this kind', example: 'train' }),
  status: z.enum(RUN_STATUSES).optional().openapi({ description: 'only runs with this status' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .openapi({ description: 'at most this many runs (1..1000, default 100)', example: 20 }),
});

const RunParams = z.object({
  id: z
    .string()
    .min(1)
    .max(1024)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'r-20250101-0001' }),
});

const list = createRoute({
  method: 'get',
  path: '/v1/runs',
  tags: ['runs'],
  summary: 'List runs, newest first, optionally of one kind and/or status',
  request: { query: ListRunsQuery },
  responses: {
    200: {
      description: 'the runs',
      content: {
        'application/json': { schema: z.object({ runs: z.array(RunSchema) }).openapi('RunList') },
      },
    },
    ...errorResponses(400, 401, 503),
  },
});

const get = createRoute({
  method: 'get',
  path: '/v1/runs/{id}',
  tags: ['runs'],
  summary: 'One run by id',
  request: { params: RunParams },
  responses: {
    200: { description: 'the run', content: { 'application/json': { schema: RunSchema } } },
    ...errorResponses(400, 401, 404, 503),
  },
});

/** Options for {@link runsRoutes}. */
export interface RunsRoutesOptions {
  readonly store: Store;
}

/**
 * `GET /v1/runs?kind=&limit=` and `GET /v1/runs/{id}`: the runs recorded in the store.
 * @example createApp({ bodyLimitBytes: 1 << 20, routes: [runsRoutes({ store })] })
 */
export function runsRoutes(opts: RunsRoutesOptions): RouteModule {
  return {
    name: 'runs',
    register(app) {
      app.openapi(list, async (c) => {
        const { kind, status, limit } = c.req.valid('query');
        const runs = await listRuns(opts.store, {
          ...(kind === undefined ? {} : { kind }),
          ...(status === undefined ? {} : { status }),
          limit,
        });
        return c.json({ runs: runs.map(toWire) }, 200);
      });
      app.openapi(get, async (c) => {
        const { id } = c.req.valid('param');
        const run = await getRun(opts.store, id);
        if (run === undefined) {
          throw new MortarError(
            'NOT_FOUND',
            `no run with id "${id}"; list runs with GET /v1/runs`,
            {
              details: { id },
            },
          );
        }
        return c.json(toWire(run), 200);
      });
    },
  };
}

/** A run as its wire type (the store's readonly JSON types, as the mutable ones zod infers). */
function toWire(run: Run): z.infer<typeof RunSchema> {
  return {
    ...run,
    params: run.params as Record<string, unknown>,
    summary: run.summary as Record<string, unknown> | null,
  };
}
