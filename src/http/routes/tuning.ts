/**
 * The tuning service in SigOpt's vocabulary, over the store-backed study journal:
 * - `POST /v1/experiments` creates an experiment: `parameters` (the declarative space), `metrics`
 *   with `strategy` optimize | constraint | store (constraints need a `threshold`: `<=` for
 *   minimize, `>=` for maximize), `observation_budget` (the sampler is told it) and
 *   `parallel_bandwidth` (a hint stored with the experiment);
 * - `POST /v1/experiments/{id}/suggestions` `{ count }` opens N suggestions (trials);
 * - `POST /v1/experiments/{id}/observations` reports values (or `failed: true`) for a suggestion;
 * - `GET` lists experiments, suggestions, observations; `best_assignments` (the best, or the
 *   Pareto front for several optimized metrics) and `pareto_frontier`; `DELETE` forgets an
 *   experiment (its journal stays in the store as history).
 */
import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { MortarError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import type { Store } from '../../core/store/index.js';
import {
  Study,
  defaultSampler,
  isFeasible,
  paretoFront,
  parseSpace,
  samplerRegistry,
  storeStorage,
  type FrozenTrial,
  type SearchSpace,
} from '../../tuning/index.js';
import { errorResponses } from '../errors.js';
import type { RouteModule } from '../types.js';

const COLLECTION = 'tuning-experiments';

const MetricSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z_][\w.-]*$/),
    objective: z.enum(['minimize', 'maximize']).default('maximize'),
    strategy: z.enum(['optimize', 'constraint', 'store']).default('optimize'),
    threshold: z.number().optional().openapi({ description: 'bound of a constraint metric' }),
  })
  .openapi('Metric');

const ParameterSchema = z.record(z.string(), z.unknown()).openapi('Parameter', {
  description:
    '{ name, type: float|int|categorical, low, high, log, step, choices, condition: { param, in } }',
  example: { name: 'lr', type: 'float', low: 1e-5, high: 0.1, log: true },
});

const CreateExperiment = z
  .object({
    name: z.string().min(1).max(200),
    parameters: z.array(ParameterSchema).min(1),
    metrics: z.array(MetricSchema).min(1),
    observation_budget: z.number().int().min(1).max(100_000).optional(),
    parallel_bandwidth: z.number().int().min(1).max(10_000).default(1),
    sampler: z.string().min(1).default('portfolio'),
    seed: z.number().int().min(0).default(0),
  })
  .openapi('CreateExperiment');

const ExperimentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    parameters: z.array(ParameterSchema),
    metrics: z.array(MetricSchema),
    observation_budget: z.number().nullable(),
    parallel_bandwidth: z.number(),
    sampler: z.string(),
    seed: z.number(),
    created: z.number(),
    progress: z
      .object({
        observation_count: z.number(),
        open_suggestions: z.number(),
        failed_count: z.number(),
      })
      .optional(),
  })
  .openapi('Experiment');
type Experiment = z.infer<typeof ExperimentSchema>;

const Assignments = z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]));
const SuggestionSchema = z
  .object({
    id: z.string(),
    experiment: z.string(),
    assignments: Assignments,
    state: z.enum(['open', 'closed']),
  })
  .openapi('Suggestion');
const MetricValue = z.object({ name: z.string(), value: z.number() });
const ObservationSchema = z
  .object({
    id: z.string(),
    suggestion: z.string(),
    assignments: Assignments,
    values: z.array(MetricValue),
    failed: z.boolean(),
    feasible: z.boolean(),
    reason: z.string().nullable(),
  })
  .openapi('Observation');
const CreateObservation = z
  .object({
    suggestion: z.string().regex(/^\d+$/, 'a suggestion id from POST .../suggestions'),
    values: z.array(MetricValue).default([]),
    failed: z.boolean().default(false),
    reason: z.string().max(10_000).optional(),
  })
  .openapi('CreateObservation');

const IdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const tags = ['tuning'];

const routes = {
  create: createRoute({
    method: 'post',
    path: '/v1/experiments',
    tags,
    summary: 'Create an experiment',
    request: body(CreateExperiment),
    responses: { 201: json(ExperimentSchema, 'the experiment'), ...errorResponses(400, 401, 503) },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/experiments',
    tags,
    summary: 'List experiments',
    responses: {
      200: json(z.object({ data: z.array(ExperimentSchema) }), 'experiments'),
      ...errorResponses(401, 503),
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/experiments/{id}',
    tags,
    summary: 'One experiment with its progress',
    request: { params: IdParams },
    responses: {
      200: json(ExperimentSchema, 'the experiment'),
      ...errorResponses(400, 401, 404, 503),
    },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/v1/experiments/{id}',
    tags,
    summary: 'Delete an experiment',
    request: { params: IdParams },
    responses: {
      200: json(z.object({ deleted: z.boolean() }), 'deleted'),
      ...errorResponses(400, 401, 404, 503),
    },
  }),
  suggest: createRoute({
    method: 'post',
    path: '/v1/experiments/{id}/suggestions',
    tags,
    summary: 'Open N suggestions',
    request: {
      params: IdParams,
      ...body(z.object({ count: z.number().int().min(1).max(1000).default(1) })),
    },
    responses: {
      201: json(z.object({ data: z.array(SuggestionSchema) }), 'new suggestions'),
      ...errorResponses(400, 401, 404, 503),
    },
  }),
  suggestions: createRoute({
    method: 'get',
    path: '/v1/experiments/{id}/suggestions',
    tags,
    summary: 'Open suggestions',
    request: { params: IdParams },
    responses: {
      200: json(z.object({ data: z.array(SuggestionSchema) }), 'open suggestions'),
      ...errorResponses(400, 401, 404, 503),
    },
  }),
  observe: createRoute({
    method: 'post',
    path: '/v1/experiments/{id}/observations',
    tags,
    summary: 'Report values (or a failure) for a suggestion',
    request: { params: IdParams, ...body(CreateObservation) },
    responses: {
      201: json(ObservationSchema, 'the observation'),
      ...errorResponses(400, 401, 404, 409, 503),
    },
  }),
  observations: createRoute({
    method: 'get',
    path: '/v1/experiments/{id}/observations',
    tags,
    summary: 'Observations, in order',
    request: { params: IdParams },
    responses: {
      200: json(z.object({ data: z.array(ObservationSchema) }), 'observations'),
      ...errorResponses(400, 401, 404, 503),
    },
  }),
  best: createRoute({
    method: 'get',
    path: '/v1/experiments/{id}/best_assignments',
    tags,
    summary: 'The best observation (the Pareto front with several optimized metrics)',
    request: { params: IdParams },
    responses: {
      200: json(z.object({ data: z.array(ObservationSchema) }), 'best observations'),
      ...errorResponses(400, 401, 404, 503),
    },
  }),
  pareto: createRoute({
    method: 'get',
    path: '/v1/experiments/{id}/pareto_frontier',
    tags,
    summary: 'Feasible non-dominated observations',
    request: { params: IdParams },
    responses: {
      200: json(z.object({ data: z.array(ObservationSchema) }), 'the Pareto front'),
      ...errorResponses(400, 401, 404, 503),
    },
  }),
};

/** Options of {@link tuningRoutes}. */
export interface TuningRoutesOptions {
  readonly store: Store;
}

interface Live {
  readonly experiment: Experiment;
  readonly study: Study;
  readonly space: SearchSpace;
}

/**
 * The experiments API (SigOpt's vocabulary) over studies in `store`.
 * @example createApp({ bodyLimitBytes: 1 << 20, routes: [tuningRoutes({ store })] })
 */
export function tuningRoutes(opts: TuningRoutesOptions): RouteModule {
  const { store } = opts;
  const storage = storeStorage(store);
  const live = new Map<string, Promise<Live>>();

  const optimized = (e: Experiment) => e.metrics.filter((m) => m.strategy === 'optimize');
  const load = (id: string): Promise<Live> => {
    let p = live.get(id);
    if (!p) {
      p = (async () => {
        const doc = await store.getDoc(COLLECTION, id);
        if (!doc)
          throw new MortarError(
            'NOT_FOUND',
            `no experiment "${id}"; list them with GET /v1/experiments`,
            {
              details: { experiment: id },
            },
          );
        const experiment = ExperimentSchema.parse(doc.value);
        const sampler =
          experiment.sampler === 'portfolio'
            ? defaultSampler({
                seed: experiment.seed,
                ...(experiment.observation_budget ? { budget: experiment.observation_budget } : {}),
              })
            : samplerRegistry.create(experiment.sampler, { seed: experiment.seed });
        const study = await Study.load(id, { storage, sampler });
        return { experiment, study, space: parseSpace(experiment.parameters) };
      })();
      live.set(id, p);
      p.catch(() => live.delete(id));
    }
    return p;
  };

  const toObservation = (e: Experiment, t: FrozenTrial) => {
    const opt = optimized(e);
    const values = [
      ...opt
        .map((m, i) => ({ name: m.name, value: t.values?.[i] as number }))
        .filter((v) => v.value !== undefined),
      ...Object.entries(t.metrics).map(([name, value]) => ({ name, value })),
    ];
    return {
      id: String(t.number),
      suggestion: String(t.number),
      assignments: t.params as Record<string, number | string | boolean | null>,
      values,
      failed: t.state !== 'complete',
      feasible: t.state === 'complete' && isFeasible(t),
      reason:
        typeof t.systemAttrs['fail_reason'] === 'string' ? t.systemAttrs['fail_reason'] : null,
    };
  };

  const withProgress = async (e: Experiment): Promise<Experiment> => {
    const trials = await storage.getTrials(e.id);
    return {
      ...e,
      progress: {
        observation_count: trials.filter((t) => t.state === 'complete').length,
        open_suggestions: trials.filter((t) => t.state === 'running').length,
        failed_count: trials.filter((t) => t.state === 'failed' || t.state === 'pruned').length,
      },
    };
  };

  return {
    name: 'tuning',
    register(app) {
      app.openapi(routes.create, async (c) => {
        const input = c.req.valid('json');
        parseSpace(input.parameters); // errors name the parameter
        const opt = input.metrics.filter((m) => m.strategy === 'optimize');
        if (opt.length === 0)
          throw new MortarError(
            'INVALID_ARGUMENT',
            'metrics: at least one metric needs strategy "optimize"',
          );
        const names = new Set<string>();
        for (const m of input.metrics) {
          if (names.has(m.name))
            throw new MortarError('INVALID_ARGUMENT', `metrics: "${m.name}" is listed twice`);
          names.add(m.name);
          if (m.strategy === 'constraint' && m.threshold === undefined)
            throw new MortarError(
              'INVALID_ARGUMENT',
              `metrics: constraint metric "${m.name}" needs a threshold`,
            );
        }
        if (input.sampler !== 'portfolio' && !samplerRegistry.has(input.sampler))
          throw new MortarError(
            'INVALID_ARGUMENT',
            `sampler "${input.sampler}" is unknown; use portfolio or one of ${samplerRegistry.kinds().join(', ')}`,
          );
        const id = `x${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
        const constraints = input.metrics
          .filter((m) => m.strategy === 'constraint')
          .map((m) => `${m.name} ${m.objective === 'minimize' ? '<=' : '>='} ${m.threshold}`);
        await Study.create({
          name: id,
          storage,
          directions: opt.map((m) => m.objective),
          constraints,
        });
        const experiment: Experiment = {
          id,
          name: input.name,
          parameters: input.parameters,
          metrics: input.metrics,
          observation_budget: input.observation_budget ?? null,
          parallel_bandwidth: input.parallel_bandwidth,
          sampler: input.sampler,
          seed: input.seed,
          created: Date.now(),
        };
        await store.putDoc(COLLECTION, id, experiment as unknown as JsonValue, {
          expectedVersion: 0,
        });
        return c.json(await withProgress(experiment), 201);
      });

      app.openapi(routes.list, async (c) => {
        const docs = await store.listDocs(COLLECTION);
        const data = await Promise.all(
          docs.map((d) => withProgress(ExperimentSchema.parse(d.value))),
        );
        return c.json({ data }, 200);
      });

      app.openapi(routes.get, async (c) => {
        const { experiment } = await load(c.req.valid('param').id);
        return c.json(await withProgress(experiment), 200);
      });

      app.openapi(routes.remove, async (c) => {
        const { id } = c.req.valid('param');
        await load(id);
        live.delete(id);
        return c.json({ deleted: await store.deleteDoc(COLLECTION, id) }, 200);
      });

      app.openapi(routes.suggest, async (c) => {
        const { id } = c.req.valid('param');
        const { count } = c.req.valid('json');
        const { study, space } = await load(id);
        const data = [];
        for (let i = 0; i < count; i++) {
          const t = await study.ask(space);
          data.push({
            id: String(t.number),
            experiment: id,
            assignments: t.params as Record<string, number | string | boolean | null>,
            state: 'open' as const,
          });
        }
        return c.json({ data }, 201);
      });

      app.openapi(routes.suggestions, async (c) => {
        const { id } = c.req.valid('param');
        await load(id);
        const data = (await storage.getTrials(id, ['running'])).map((t) => ({
          id: String(t.number),
          experiment: id,
          assignments: t.params as Record<string, number | string | boolean | null>,
          state: 'open' as const,
        }));
        return c.json({ data }, 200);
      });

      app.openapi(routes.observe, async (c) => {
        const { id } = c.req.valid('param');
        const input = c.req.valid('json');
        const { experiment, study } = await load(id);
        const number = Number(input.suggestion);
        const trial = await storage.getTrial(id, number).catch(() => {
          throw new MortarError(
            'NOT_FOUND',
            `experiment "${id}" has no suggestion ${input.suggestion}`,
            {
              details: { suggestion: input.suggestion },
            },
          );
        });
        if (trial.state !== 'running')
          throw new MortarError(
            'FAILED_PRECONDITION',
            `suggestion ${input.suggestion} already has an observation`,
            {
              details: { suggestion: input.suggestion, state: trial.state },
            },
          );
        let told: FrozenTrial;
        if (input.failed) {
          told = await study.tell(number, {
            state: 'failed',
            reason: input.reason ?? 'reported as failed',
          });
        } else {
          const byName = new Map(input.values.map((v) => [v.name, v.value]));
          const known = new Set(experiment.metrics.map((m) => m.name));
          for (const v of input.values)
            if (!known.has(v.name))
              throw new MortarError(
                'INVALID_ARGUMENT',
                `values: "${v.name}" is not a metric of experiment "${id}" (metrics: ${[...known].join(', ')})`,
              );
          const values = optimized(experiment).map((m) => {
            const v = byName.get(m.name);
            if (v === undefined)
              throw new MortarError(
                'INVALID_ARGUMENT',
                `values: optimized metric "${m.name}" is missing; send it, or failed: true`,
              );
            return v;
          });
          const metrics = Object.fromEntries(
            experiment.metrics
              .filter((m) => m.strategy !== 'optimize' && byName.has(m.name))
              .map((m) => [m.name, byName.get(m.name) as number]),
          );
          told = await study.tell(number, { values, metrics });
        }
        return c.json(toObservation(experiment, told), 201);
      });

      app.openapi(routes.observations, async (c) => {
        const { id } = c.req.valid('param');
        const { experiment } = await load(id);
        const data = (await storage.getTrials(id, ['complete', 'failed', 'pruned'])).map((t) =>
          toObservation(experiment, t),
        );
        return c.json({ data }, 200);
      });

      app.openapi(routes.best, async (c) => {
        const { id } = c.req.valid('param');
        const { experiment, study } = await load(id);
        let best: FrozenTrial[];
        if (study.directions.length === 1) {
          const any = await storage.getTrials(id, ['complete']);
          best = any.length ? [await study.bestTrial()] : [];
        } else best = await study.bestTrials();
        return c.json({ data: best.map((t) => toObservation(experiment, t)) }, 200);
      });

      app.openapi(routes.pareto, async (c) => {
        const { id } = c.req.valid('param');
        const { experiment, study } = await load(id);
        const front = paretoFront(await storage.getTrials(id, ['complete']), study.directions);
        return c.json({ data: front.map((t) => toObservation(experiment, t)) }, 200);
      });
    },
  };
}
