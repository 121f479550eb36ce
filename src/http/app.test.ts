import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { MortarError } from '../core/errors.js';
import type { LogFields, Logger } from '../core/logger.js';
import { PrometheusMetrics } from '../core/metrics.js';
import { createApp, type AppOptions } from './app.js';
import { errorResponses } from './errors.js';
import type { RouteModule } from './types.js';

/** A logger that keeps every line (to check what was logged). */
function memoryLogger(): Logger & { lines: { level: string; msg: string; fields: LogFields }[] } {
  const lines: { level: string; msg: string; fields: LogFields }[] = [];
  const make = (bound: LogFields): Logger => ({
    debug: (msg, f = {}) => void lines.push({ level: 'debug', msg, fields: { ...bound, ...f } }),
    info: (msg, f = {}) => void lines.push({ level: 'info', msg, fields: { ...bound, ...f } }),
    warn: (msg, f = {}) => void lines.push({ level: 'warn', msg, fields: { ...bound, ...f } }),
    error: (msg, f = {}) => void lines.push({ level: 'error', msg, fields: { ...bound, ...f } }),
    child: (b) => make({ ...bound, ...b }),
  });
  return Object.assign(make({}), { lines });
}

const EchoBody = z.object({ name: z.string().min(1), n: z.number().int().max(10) });

/** Test routes: a JSON POST, and handlers that throw. */
const testRoutes: RouteModule = {
  name: 'test',
  register(app) {
    app.openapi(
      createRoute({
        method: 'post',
        path: '/v1/echo',
        request: {
          body: { required: true, content: { 'application/json': { schema: EchoBody } } },
        },
        responses: {
          200: { description: 'echo', content: { 'application/json': { schema: EchoBody } } },
          ...errorResponses(400, 413),
        },
      }),
      (c) => c.json(c.req.valid('json'), 200),
    );
    app.get('/v1/missing', () => {
      throw new MortarError('NOT_FOUND', 'run "r9" not found; list runs with GET /v1/runs', {
        details: { id: 'r9' },
      });
    });
    app.get('/v1/busy', () => {
      throw new MortarError('RESOURCE_EXHAUSTED', 'queue full', { details: { retryAfterS: 2.5 } });
    });
    app.get('/v1/bug', () => {
      throw new Error('secret internal detail at /home/x');
    });
  },
};

function build(over: Partial<AppOptions> = {}) {
  const logger = memoryLogger();
  const metrics = new PrometheusMetrics();
  const clock = new ManualClock(1000);
  const app = createApp({
    bodyLimitBytes: 1024 * 1024,
    logger,
    metrics,
    clock,
    routes: [testRoutes],
    info: { version: '9.9.9' },
    ...over,
  });
  return { app, logger, metrics, clock };
}

type ErrBody = { error: { code: string; message: string; details: Record<string, unknown> } };

async function expectHealthy(app: ReturnType<typeof build>['app']) {
  const res = await app.request('/healthz');
  expect(res.status).toBe(200);
}

describe('createApp', () => {
  it('GET /healthz reports status, version and uptime from the clock', async () => {
    const { app, clock } = build();
    clock.advance(5000);
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    expect(await res.json()).toEqual({ status: 'ok', version: '9.9.9', uptimeS: 5 });
  });

  it('GET /metrics serves Prometheus text including the request counter by route template', async () => {
    const { app } = build();
    await app.request('/healthz');
    await app.request('/nope/at/all');
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE mortar_http_requests_total counter');
    expect(text).toMatch(
      /mortar_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/,
    );
    expect(text).toMatch(
      /mortar_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/,
    );
    expect(text).toContain('mortar_http_request_duration_seconds_bucket');
  });

  it('writes one access log line per request with the request id, route and status', async () => {
    const { app, logger } = build();
    await app.request('/v1/missing', { headers: { 'x-request-id': 'abc-123' } });
    const line = logger.lines.find((l) => l.msg === 'request');
    expect(line?.fields).toMatchObject({
      requestId: 'abc-123',
      method: 'GET',
      route: '/v1/missing',
      status: 404,
    });
  });

  it('GET /openapi.json is an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const { app } = build();
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      info: { version: string };
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
      components?: { schemas?: Record<string, unknown>; securitySchemes?: unknown };
    };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.version).toBe('9.9.9');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/metrics', '/v1/echo']),
    );
    expect(doc.paths['/v1/echo']?.['post']?.requestBody).toBeDefined();
    expect(doc.components?.schemas?.['Error']).toBeDefined();
    expect(doc.components?.securitySchemes).toBeUndefined();
  });

  it('requires the bearer token everywhere but /healthz when one is set', async () => {
    const { app } = build({ token: 's3cret' });
    const none = await app.request('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="mortar"');
    expect(((await none.json()) as ErrBody).error.code).toBe('UNAUTHENTICATED');

    const wrong = await app.request('/metrics', { headers: { authorization: 'Bearer s3cres' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    const wrongBody = (await wrong.json()) as ErrBody;
    expect(wrongBody.error.message).toContain('wrong bearer token');
    expect(JSON.stringify(wrongBody)).not.toContain('s3cret');

    const longer = await app.request('/metrics', {
      headers: { authorization: 'Bearer s3cret-and-more' },
    });
    expect(longer.status).toBe(401);
    const basic = await app.request('/metrics', { headers: { authorization: 'Basic czNjcmV0' } });
    expect(basic.status).toBe(401);

    const ok = await app.request('/metrics', { headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    const unknown = await app.request('/nope');
    expect(unknown.status).toBe(401); // no route discovery without a token
    await expectHealthy(app);
  });

  it('documents the bearer scheme in /openapi.json when a token is set, with /healthz open', async () => {
    const { app } = build({ token: 't' });
    const res = await app.request('/openapi.json', { headers: { authorization: 'Bearer t' } });
    const doc = (await res.json()) as {
      security: unknown;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(doc.components.securitySchemes['bearer']).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/healthz']?.['get']?.security).toEqual([]);
  });

  it('answers 413 JSON to a body over the cap, and keeps serving', async () => {
    const { app } = build();
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), n: 1 });
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
      body: big,
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as ErrBody;
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.error.message).toContain('1048576 bytes');
    expect(body.error.details['limitBytes']).toBe(1048576);
    await expectHealthy(app);
  });

  it('answers 413 to a streamed body (no content-length) over the cap', async () => {
    const { app } = build({ bodyLimitBytes: 1000 });
    const chunk = new TextEncoder().encode('x'.repeat(600));
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.enqueue(chunk);
        ctl.enqueue(chunk);
        ctl.close();
      },
    });
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrBody).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a valid JSON body under the cap', async () => {
    const { app } = build();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a', n: 3 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'a', n: 3 });
  });

  it('answers 400 JSON naming the problem to malformed JSON, and keeps serving', async () => {
    const { app } = build();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "a",',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrBody;
    expect(body.error.code).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain('request body is not valid JSON');
    expect(body.error.details['problem']).toEqual(expect.any(String));
    await expectHealthy(app);
  });

  it('answers 400 to an empty JSON body, saying it is empty', async () => {
    const { app } = build();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrBody).error.message).toContain('the body is empty');
  });

  it('answers 400 naming every failing field when the zod schema rejects the body', async () => {
    const { app } = build();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', n: 11 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrBody;
    expect(body.error.code).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain('json.name');
    expect(body.error.message).toContain('json.n');
    expect(body.error.details['issues']).toEqual([
      expect.objectContaining({ path: 'json.name' }),
      expect.objectContaining({ path: 'json.n' }),
    ]);
    await expectHealthy(app);
  });

  it('answers 400 to a body sent with a non-JSON content type', async () => {
    const { app } = build();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrBody).error.message).toContain('application/json');
  });

  it('answers 404 JSON to an unknown route', async () => {
    const { app } = build();
    const res = await app.request('/v2/nothing', { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as ErrBody;
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toContain('DELETE /v2/nothing');
  });

  it('maps a MortarError thrown by a handler to its status, code and details', async () => {
    const { app } = build();
    const res = await app.request('/v1/missing');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'run "r9" not found; list runs with GET /v1/runs',
        details: { id: 'r9' },
      },
    });
  });

  it('adds Retry-After to RESOURCE_EXHAUSTED (429)', async () => {
    const { app } = build();
    const res = await app.request('/v1/busy');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('answers 500 to a plain Error without leaking it, logs the stack, and keeps serving', async () => {
    const { app, logger } = build();
    const res = await app.request('/v1/bug', { headers: { 'x-request-id': 'req-42' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toContain('at ');
    const body = JSON.parse(text) as ErrBody;
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.details).toEqual({ requestId: 'req-42' });
    const logged = logger.lines.find((l) => l.level === 'error');
    expect(logged?.fields['requestId']).toBe('req-42');
    expect(JSON.stringify(logged?.fields['err'])).toContain('secret internal detail');
    expect(JSON.stringify(logged?.fields['err'])).toContain('app.test.ts');
    await expectHealthy(app);
  });

  it('refuses bad options with INVALID_ARGUMENT', () => {
    expect(() => createApp({ bodyLimitBytes: 0 })).toThrow(/bodyLimitBytes/);
    expect(() => createApp({ bodyLimitBytes: 10, token: ' ' })).toThrow(/token must not be empty/);
    expect(() => createApp({ bodyLimitBytes: 10, routes: [testRoutes, testRoutes] })).toThrow(
      /two route modules are named "test"/,
    );
  });
});
