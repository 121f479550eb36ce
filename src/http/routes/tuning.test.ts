import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type Store } from '../../core/store/index.js';
import { createApp } from '../app.js';
import { startServer } from '../serve.js';
import { tuningRoutes } from './tuning.js';

let store: Store;
beforeEach(() => {
  store = createMemoryStore();
});
afterEach(() => store.close());

const app = () => createApp({ bodyLimitBytes: 1 << 20, routes: [tuningRoutes({ store })] });
type Obj = Record<string, unknown>;

async function call(a: ReturnType<typeof app>, method: string, path: string, body?: unknown) {
  const res = await a.request(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as Obj };
}

const SPACE = [
  { name: 'x', type: 'float', low: -2, high: 2 },
  { name: 'opt', type: 'categorical', choices: ['a', 'b'] },
];

describe('tuning routes', () => {
  it('runs an experiment: suggestions, observations (with a constraint and a failure), best, list, delete', async () => {
    const a = app();
    const created = await call(a, 'POST', '/v1/experiments', {
      name: 'demo',
      parameters: SPACE,
      metrics: [
        { name: 'loss', objective: 'minimize' },
        { name: 'latency', objective: 'minimize', strategy: 'constraint', threshold: 1.5 },
        { name: 'memory', strategy: 'store' },
      ],
      observation_budget: 12,
      parallel_bandwidth: 3,
      seed: 1,
    });
    expect(created.status).toBe(201);
    const id = created.body['id'] as string;
    const url = `/v1/experiments/${id}`;
    for (let round = 0; round < 4; round++) {
      const s = await call(a, 'POST', `${url}/suggestions`, { count: 3 });
      expect(s.status).toBe(201);
      const data = s.body['data'] as { id: string; assignments: { x: number; opt: string } }[];
      expect(data).toHaveLength(3);
      expect(new Set(data.map((d) => d.id)).size).toBe(3);
      for (const [i, d] of data.entries()) {
        if (round === 0 && i === 0) {
          const f = await call(a, 'POST', `${url}/observations`, {
            suggestion: d.id,
            failed: true,
            reason: 'OOM',
          });
          expect(f.body).toMatchObject({ failed: true, reason: 'OOM' });
          continue;
        }
        const { x, opt } = d.assignments;
        const o = await call(a, 'POST', `${url}/observations`, {
          suggestion: d.id,
          values: [
            { name: 'loss', value: x * x + (opt === 'b' ? 0.5 : 0) },
            { name: 'latency', value: Math.abs(x) + 1 },
            { name: 'memory', value: 7 },
          ],
        });
        expect(o.status).toBe(201);
        expect(o.body['feasible']).toBe(Math.abs(x) <= 0.5);
      }
    }
    const obs = (await call(a, 'GET', `${url}/observations`)).body['data'] as Obj[];
    expect(obs).toHaveLength(12);
    const best = (await call(a, 'GET', `${url}/best_assignments`)).body['data'] as {
      values: { name: string; value: number }[];
    }[];
    const feasibleLosses = obs
      .filter((o) => o['feasible'])
      .map(
        (o) =>
          (o['values'] as { name: string; value: number }[]).find((v) => v.name === 'loss')!.value,
      );
    expect(best[0]?.values[0]).toEqual({ name: 'loss', value: Math.min(...feasibleLosses) });
    expect(best[0]?.values).toContainEqual({ name: 'memory', value: 7 });
    const got = await call(a, 'GET', url);
    expect(got.body['progress']).toEqual({
      observation_count: 11,
      open_suggestions: 0,
      failed_count: 1,
    });
    expect(
      ((await call(a, 'GET', '/v1/experiments')).body['data'] as Obj[]).map((e) => e['id']),
    ).toEqual([id]);
    // Bad input: a finished suggestion, an unknown one, a missing metric, an unknown metric.
    const first = (obs[0] as Obj)['suggestion'];
    expect(
      (await call(a, 'POST', `${url}/observations`, { suggestion: first, failed: true })).status,
    ).toBe(409);
    expect(
      (await call(a, 'POST', `${url}/observations`, { suggestion: '999', failed: true })).status,
    ).toBe(404);
    const open = (
      (await call(a, 'POST', `${url}/suggestions`, {})).body['data'] as { id: string }[]
    )[0]!.id;
    const missing = await call(a, 'POST', `${url}/observations`, {
      suggestion: open,
      values: [{ name: 'latency', value: 1 }],
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body), JSON.stringify(missing.body)).toMatch(
      /\\"loss\\" is missing/,
    );
    const unknown = await call(a, 'POST', `${url}/observations`, {
      suggestion: open,
      values: [{ name: 'nope', value: 1 }],
    });
    expect(JSON.stringify(unknown.body)).toMatch(/\\"nope\\" is not a metric/);
    expect(
      ((await call(a, 'GET', `${url}/suggestions`)).body['data'] as Obj[]).map((s) => s['id']),
    ).toEqual([open]);
    expect((await call(a, 'DELETE', url)).body).toEqual({ deleted: true });
    expect((await call(a, 'GET', url)).status).toBe(404);
  });

  it('returns the Pareto front for several optimized metrics', async () => {
    const a = app();
    const id = (
      await call(a, 'POST', '/v1/experiments', {
        name: 'mo',
        parameters: [{ name: 'x', type: 'float', low: 0, high: 1 }],
        metrics: [
          { name: 'f1', objective: 'minimize' },
          { name: 'f2', objective: 'minimize' },
        ],
      })
    ).body['id'] as string;
    const s = (await call(a, 'POST', `/v1/experiments/${id}/suggestions`, { count: 6 })).body[
      'data'
    ] as { id: string; assignments: { x: number } }[];
    for (const d of s)
      await call(a, 'POST', `/v1/experiments/${id}/observations`, {
        suggestion: d.id,
        values: [
          { name: 'f1', value: d.assignments.x },
          { name: 'f2', value: (1 - d.assignments.x) ** 2 },
        ],
      });
    const front = (await call(a, 'GET', `/v1/experiments/${id}/pareto_frontier`)).body[
      'data'
    ] as Obj[];
    expect(front).toHaveLength(6); // x and (1-x)^2 trade off everywhere on [0, 1]
    expect((await call(a, 'GET', `/v1/experiments/${id}/best_assignments`)).body['data']).toEqual(
      front,
    );
  });

  it('rejects invalid experiments with 400 naming the problem, and is in /openapi.json', async () => {
    const a = app();
    const bad = async (patch: Obj) =>
      call(a, 'POST', '/v1/experiments', {
        name: 'b',
        parameters: SPACE,
        metrics: [{ name: 'loss' }],
        ...patch,
      });
    const low = await bad({ parameters: [{ name: 'lr', type: 'float', low: 1, high: 0 }] });
    expect(low.status).toBe(400);
    expect(JSON.stringify(low.body)).toMatch(/lr/);
    expect(
      JSON.stringify(
        (await bad({ parameters: [{ name: 'c', type: 'categorical', choices: [] }] })).body,
      ),
    ).toMatch(/c/);
    expect(
      JSON.stringify((await bad({ metrics: [{ name: 'l', strategy: 'store' }] })).body),
    ).toMatch(/optimize/);
    expect(
      JSON.stringify(
        (await bad({ metrics: [{ name: 'loss' }, { name: 'lat', strategy: 'constraint' }] })).body,
      ),
    ).toMatch(/threshold/);
    expect((await bad({ sampler: 'nope' })).status).toBe(400);
    const spec = (await (await a.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    for (const p of [
      '/v1/experiments',
      '/v1/experiments/{id}/suggestions',
      '/v1/experiments/{id}/observations',
      '/v1/experiments/{id}/best_assignments',
      '/v1/experiments/{id}/pareto_frontier',
    ])
      expect(Object.keys(spec.paths)).toContain(p);
  });

  const python = '/usr/bin/python3';
  it.skipIf(!existsSync(python))(
    'the README Python client (urllib only) drives a live server',
    async () => {
      const readme = readFileSync(new URL('../../tuning/README.md', import.meta.url), 'utf8');
      const code = /<!-- python-client -->\s*```python\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(code).toBeDefined();
      expect(code!.trim().split('\n').length).toBeLessThanOrEqual(22);
      const dir = mkdtempSync(join(tmpdir(), 'mortar-pyclient-'));
      const server = await startServer(app(), { port: 0 });
      try {
        writeFileSync(join(dir, 'client.py'), code!);
        const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
          (resolve) => {
            // spawnSync would block the event loop that serves the requests: run it asynchronously.
            execFile(
              python,
              [join(dir, 'client.py')],
              { env: { MORTAR_URL: server.url } },
              (err, stdout, stderr) => resolve({ status: err ? 1 : 0, stdout, stderr }),
            );
          },
        );
        expect(r.stderr).toBe('');
        const out = JSON.parse(r.stdout) as { value: number; params: { x: number; y: number } };
        expect(out.value).toBeLessThan(5); // random search averages ~20 on Branin at 25 trials
        expect(Object.keys(out.params).sort()).toEqual(['x', 'y']);
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
