import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { MortarError } from '../../core/errors.js';
import { BINARY_HEADER, encodeInferResponse, type ServingEngine } from '../../serving/index.js';
import { errorResponses } from '../errors.js';
import type { AppEnv, RouteModule } from '../types.js';

const NameParam = z.object({
  name: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'name', in: 'path' }, example: 'mlp' }),
});
const VersionParams = NameParam.extend({
  version: z
    .string()
    .regex(/^\d+$/, 'a version is a positive integer')
    .openapi({ param: { name: 'version', in: 'path' }, example: '1' }),
});

const TensorMetaSchema = z.object({
  name: z.string(),
  datatype: z.string(),
  shape: z.array(z.number()),
});
const ModelMetadataSchema = z
  .object({
    name: z.string(),
    versions: z.array(z.string()),
    platform: z.string(),
    inputs: z.array(TensorMetaSchema),
    outputs: z.array(TensorMetaSchema),
  })
  .openapi('KServeModelMetadata');
const ReadySchema = z.object({ name: z.string().optional(), ready: z.boolean() });
const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const INFER_DESCRIPTION =
  'KServe V2 inference request: `{ id?, parameters?: { timeout_ms?, binary_data_output? }, inputs: [{ name, shape, datatype, data }], outputs?: [{ name, parameters?: { binary_data } }] }`. ' +
  'With the binary tensor extension, send `Inference-Header-Content-Length: N`: the first N bytes are the JSON header, the raw little-endian tensors follow for inputs with `parameters.binary_data_size`.';

const routes = {
  server: createRoute({
    method: 'get',
    path: '/v2',
    tags: ['serving'],
    summary: 'KServe V2 server metadata',
    responses: {
      200: json(
        z.object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) }),
        'server metadata',
      ),
      ...errorResponses(401),
    },
  }),
  live: createRoute({
    method: 'get',
    path: '/v2/health/live',
    tags: ['serving'],
    summary: 'Server liveness',
    responses: { 200: json(z.object({ live: z.boolean() }), 'the server is live') },
  }),
  ready: createRoute({
    method: 'get',
    path: '/v2/health/ready',
    tags: ['serving'],
    summary: 'Server readiness: 200 when every model is ready, 503 naming those that are not',
    responses: { 200: json(ReadySchema, 'ready'), ...errorResponses(401, 503) },
  }),
  model: createRoute({
    method: 'get',
    path: '/v2/models/{name}',
    tags: ['serving'],
    summary: 'Model metadata (latest ready version)',
    request: { params: NameParam },
    responses: {
      200: json(ModelMetadataSchema, 'metadata'),
      ...errorResponses(400, 401, 404, 409),
    },
  }),
  modelVersion: createRoute({
    method: 'get',
    path: '/v2/models/{name}/versions/{version}',
    tags: ['serving'],
    summary: 'Model version metadata',
    request: { params: VersionParams },
    responses: {
      200: json(ModelMetadataSchema, 'metadata'),
      ...errorResponses(400, 401, 404, 409),
    },
  }),
  modelReady: createRoute({
    method: 'get',
    path: '/v2/models/{name}/ready',
    tags: ['serving'],
    summary: 'Model readiness: 200 when ready, 503 with the reason when not',
    request: { params: NameParam },
    responses: { 200: json(ReadySchema, 'ready'), ...errorResponses(400, 401, 404, 503) },
  }),
  versionReady: createRoute({
    method: 'get',
    path: '/v2/models/{name}/versions/{version}/ready',
    tags: ['serving'],
    summary: 'Model version readiness',
    request: { params: VersionParams },
    responses: { 200: json(ReadySchema, 'ready'), ...errorResponses(400, 401, 404, 503) },
  }),
  infer: createRoute({
    method: 'post',
    path: '/v2/models/{name}/infer',
    tags: ['serving'],
    summary: 'Inference on the latest ready version (JSON or binary tensors)',
    description: INFER_DESCRIPTION,
    request: { params: NameParam },
    responses: {
      200: json(z.object({}).passthrough(), 'KServe V2 inference response'),
      ...errorResponses(400, 401, 404, 409, 413, 429, 503, 504),
    },
  }),
  inferVersion: createRoute({
    method: 'post',
    path: '/v2/models/{name}/versions/{version}/infer',
    tags: ['serving'],
    summary: 'Inference on one version',
    description: INFER_DESCRIPTION,
    request: { params: VersionParams },
    responses: {
      200: json(z.object({}).passthrough(), 'KServe V2 inference response'),
      ...errorResponses(400, 401, 404, 409, 413, 429, 503, 504),
    },
  }),
  feedback: createRoute({
    method: 'post',
    path: '/v2/models/{name}/feedback',
    tags: ['serving'],
    summary: 'Feedback for a selection model: the true label (class per row) or a reward in [0, 1]',
    request: {
      params: NameParam,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.union([
              z.object({
                id: z.string().min(1),
                label: z.union([z.number().int(), z.array(z.number().int())]),
              }),
              z.object({ id: z.string().min(1), reward: z.number().min(0).max(1) }),
            ]),
          },
        },
      },
    },
    responses: {
      200: json(
        z.object({ rewards: z.array(z.number().nullable()), weights: z.array(z.number()) }),
        'the rewards applied and the new weights',
      ),
      ...errorResponses(400, 401, 404, 409),
    },
  }),
  index: createRoute({
    method: 'post',
    path: '/v2/repository/index',
    tags: ['serving'],
    summary: 'Every model with its state (Triton repository extension)',
    responses: {
      200: json(
        z.array(
          z.object({
            name: z.string(),
            version: z.string(),
            state: z.string(),
            reason: z.string(),
          }),
        ),
        'models',
      ),
      ...errorResponses(401),
    },
  }),
  load: createRoute({
    method: 'post',
    path: '/v2/repository/models/{name}/load',
    tags: ['serving'],
    summary: 'Load (or reload) a model from the repository',
    request: { params: NameParam },
    responses: { 200: json(ReadySchema, 'loaded'), ...errorResponses(400, 401, 404) },
  }),
  unload: createRoute({
    method: 'post',
    path: '/v2/repository/models/{name}/unload',
    tags: ['serving'],
    summary: 'Stop serving a model (queued requests are answered first)',
    request: { params: NameParam },
    responses: { 200: json(ReadySchema, 'unloaded'), ...errorResponses(400, 401, 404) },
  }),
};

/** Options for {@link kserveRoutes}. */
export interface KServeRoutesOptions {
  readonly engine: ServingEngine;
  /** Reported by `GET /v2`. */
  readonly serverName?: string;
  readonly serverVersion?: string;
}

/**
 * The KServe V2 inference protocol over HTTP for a {@link ServingEngine}: server metadata,
 * live/ready, model metadata and readiness, `POST /v2/models/{name}[/versions/{v}]/infer` with
 * JSON tensors or the binary tensor extension, feedback for selection models, and Triton's
 * repository extension (index, load, unload).
 */
export function kserveRoutes(opts: KServeRoutesOptions): RouteModule {
  const { engine } = opts;
  const ready = (name: string, version?: string) => {
    const s = engine.status(name);
    const v = version === undefined ? undefined : s.versions.find((x) => x.version === version);
    if (version !== undefined && !v) {
      throw new MortarError('NOT_FOUND', `model ${name} has no version "${version}"`, {
        details: { model: name, version },
      });
    }
    const ok = v ? v.state === 'ready' : s.ready;
    if (!ok) {
      const reason = v?.reason ?? s.reason;
      throw new MortarError(
        'UNAVAILABLE',
        `model ${name}${version ? ` version ${version}` : ''} is not ready${reason ? `: ${reason}` : ''}`,
        { details: { model: name, version: version ?? null, reason: reason ?? null } },
      );
    }
    return { name, ready: true };
  };

  const infer = async (c: Context<AppEnv>, name: string, version: string | undefined) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const h = c.req.header(BINARY_HEADER);
    const headerLength = h === undefined ? undefined : /^\d+$/.test(h.trim()) ? Number(h) : NaN;
    // Decoding (on a worker for large JSON), the cache and batching all happen in the engine.
    const { answer: ans, request } = await engine.inferBody(name, version, body, headerLength);
    const parameters: Record<string, unknown> = {};
    if (ans.cached) parameters['cached'] = true;
    if (ans.selection) {
      parameters['queried'] = ans.selection.queried;
      parameters['answered'] = ans.selection.answered;
    }
    const enc = encodeInferResponse(
      { ...ans, ...(Object.keys(parameters).length ? { parameters } : {}) },
      request,
    );
    if (enc.headerLength === undefined) {
      return c.body(enc.body as string, 200, { 'content-type': 'application/json' });
    }
    return c.body(enc.body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/octet-stream',
      [BINARY_HEADER]: String(enc.headerLength),
    });
  };

  return {
    name: 'kserve',
    register(app) {
      app.openapi(routes.server, (c) =>
        c.json(
          {
            name: opts.serverName ?? 'mortar',
            version: opts.serverVersion ?? '0.0.0',
            extensions: ['binary_tensor_data', 'model_repository', 'mortar_feedback'],
          },
          200,
        ),
      );
      app.openapi(routes.live, (c) => c.json({ live: true }, 200));
      app.openapi(routes.ready, (c) => {
        const bad = engine.list().filter((m) => !m.ready);
        if (bad.length > 0) {
          throw new MortarError(
            'UNAVAILABLE',
            `not ready: ${bad.map((m) => `${m.name} (${m.reason ?? 'loading'})`).join('; ')}`,
            { details: { notReady: bad.map((m) => ({ name: m.name, reason: m.reason ?? null })) } },
          );
        }
        return c.json({ ready: true }, 200);
      });
      app.openapi(routes.model, (c) =>
        c.json(plainMeta(engine.metadata(c.req.valid('param').name)), 200),
      );
      app.openapi(routes.modelVersion, (c) => {
        const p = c.req.valid('param');
        return c.json(plainMeta(engine.metadata(p.name, p.version)), 200);
      });
      app.openapi(routes.modelReady, (c) => c.json(ready(c.req.valid('param').name), 200));
      app.openapi(routes.versionReady, (c) => {
        const p = c.req.valid('param');
        return c.json(ready(p.name, p.version), 200);
      });
      app.openapi(routes.infer, ((c: Context<AppEnv>) =>
        infer(c, c.req.param('name')!, undefined)) as never);
      app.openapi(routes.inferVersion, ((c: Context<AppEnv>) =>
        infer(c, c.req.param('name')!, c.req.param('version'))) as never);
      app.openapi(routes.feedback, (c) => {
        const name = c.req.valid('param').name;
        const b = c.req.valid('json');
        const fb = 'label' in b ? { label: b.label } : { reward: b.reward };
        const r = engine.feedback(name, b.id, fb);
        return c.json({ rewards: r.rewards.map((x) => x ?? null), weights: r.weights }, 200);
      });
      app.openapi(routes.index, (c) =>
        c.json(
          engine.list().flatMap((m) =>
            m.versions.length === 0
              ? [
                  {
                    name: m.name,
                    version: '',
                    state: m.ready ? 'READY' : 'UNAVAILABLE',
                    reason: m.reason ?? '',
                  },
                ]
              : m.versions.map((v) => ({
                  name: m.name,
                  version: v.version,
                  state: v.state === 'ready' ? 'READY' : 'UNAVAILABLE',
                  reason: v.reason ?? '',
                })),
          ),
          200,
        ),
      );
      app.openapi(routes.load, async (c) => {
        const name = c.req.valid('param').name;
        await engine.load(name);
        return c.json({ name, ready: engine.status(name).ready }, 200);
      });
      app.openapi(routes.unload, async (c) => {
        const name = c.req.valid('param').name;
        await engine.unload(name);
        return c.json({ name, ready: false }, 200);
      });
    },
  };
}

function plainMeta(m: ReturnType<ServingEngine['metadata']>) {
  const spec = (t: (typeof m.inputs)[number]) => ({
    name: t.name,
    datatype: t.datatype,
    shape: [...t.shape],
  });
  return { ...m, inputs: m.inputs.map(spec), outputs: m.outputs.map(spec) };
}
