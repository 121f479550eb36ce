import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createMemoryStore, createRun, finishRun, type Store } from '../../core/store/index.js';
import { createApp } from '../app.js';
import { runsRoutes } from './runs.js';

type ErrBody = { error: { code: string; message: string; details: Record<string, unknown> } };
type RunBody = { id: string; kind: string; status: string; params: Record<string, unknown> };

let store: Store;
let ids: string[];

beforeEach(async () => {
  store = createMemoryStore();
  const clock = new ManualClock(1_700_000_000_000);
  ids = [];
  for (const [kind, lr] of [
    ['train', 0.1],
    ['trial', 0.2],
    ['train', 0.3],
  ] as const) {
    clock.advance(1000);
    ids.push((await createRun(store, { kind, params: { lr }, clock })).id);
  }
  await finishRun(store, ids[0] ?? '', 'completed', { loss: 0.5 }, { clock });
});
afterEach(() => store.close());

const app = () => createApp({ bodyLimitBytes: 1024, routes: [runsRoutes({ store })] });

describe('GET /v1/runs', () => {
  it('lists runs newest first', async () => {
    const res = await app().request('/v1/runs');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { runs: RunBody[] };
    expect(body.runs.map((r) => r.id)).toEqual([...ids].reverse());
    expect(body.runs[2]).toMatchObject({ kind: 'train', status: 'completed', params: { lr: 0.1 } });
  });

  it('filters by kind and status and honours limit', async () => {
    const a = app();
    const byKind = (await (await a.request('/v1/runs?kind=train')).json()) as { runs: RunBody[] };
    expect(byKind.runs.map((r) => r.id)).toEqual([ids[2], ids[0]]);
    const limited = (await (await a.request('/v1/runs?kind=train&limit=1')).json()) as {
      runs: RunBody[];
    };
    expect(limited.runs.map((r) => r.id)).toEqual([ids[2]]);
    const done = (await (await a.request('/v1/runs?status=completed')).json()) as {
      runs: RunBody[];
    };
    expect(done.runs.map((r) => r.id)).toEqual([ids[0]]);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['limit=1001', 'query.limit'],
    ['limit=2.5', 'query.limit'],
    ['status=paused', 'query.status'],
    ['kind=', 'query.kind'],
  ])('answers 400 naming the field to ?%s', async (query, field) => {
    const a = app();
    const res = await a.request(`/v1/runs?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrBody;
    expect(body.error.code).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain(field);
    expect((await a.request('/v1/runs')).status).toBe(200);
  });
});

describe('GET /v1/runs/{id}', () => {
  it('returns one run', async () => {
    const res = await app().request(`/v1/runs/${ids[1]}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: ids[1], kind: 'trial', status: 'running' });
  });

  it('answers 404 NOT_FOUND naming the id', async () => {
    const res = await app().request('/v1/runs/nope');
    expect(res.status).toBe(404);
    const body = (await res.json()) as ErrBody;
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toContain('"nope"');
    expect(body.error.details).toEqual({ id: 'nope' });
  });

  it('maps a store error (closed store: FAILED_PRECONDITION) to its status', async () => {
    const a = app();
    await store.close();
    const res = await a.request(`/v1/runs/${ids[0]}`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrBody).error.code).toBe('FAILED_PRECONDITION');
  });
});

describe('metrics', () => {
  it('labels requests by route template, not by raw id', async () => {
    const a = app();
    await a.request(`/v1/runs/${ids[1]}`);
    await a.request('/v1/runs/nope');
    const text = await (await a.request('/metrics')).text();
    expect(text).toMatch(/route="\/v1\/runs\/:id",status="200"\} 1/);
    expect(text).toMatch(/route="\/v1\/runs\/:id",status="404"\} 1/);
    expect(text).not.toContain('nope');
  });
});

describe('OpenAPI', () => {
  it('documents /v1/runs with the query parameters from zod', async () => {
    const doc = (await (await app().request('/openapi.json')).json()) as {
      paths: Record<
        string,
        { get?: { parameters?: { name: string; in: string; schema: Record<string, unknown> }[] } }
      >;
      components: { schemas: Record<string, unknown> };
    };
    const params = doc.paths['/v1/runs']?.get?.parameters ?? [];
    expect(params.map((p) => [p.name, p.in])).toEqual([
      ['kind', 'query'],
      ['status', 'query'],
      ['limit', 'query'],
    ]);
    expect(params.find((p) => p.name === 'limit')?.schema).toMatchObject({
      minimum: 1,
      maximum: 1000,
      default: 100,
    });
    const idParams = doc.paths['/v1/runs/{id}']?.get?.parameters ?? [];
    expect(idParams.map((p) => [p.name, p.in])).toEqual([['id', 'path']]);
    expect(doc.components.schemas['Run']).toBeDefined();
  });
});
