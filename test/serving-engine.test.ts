// The serving engine end to end on the committed ONNX fixtures: known answers (from PyTorch at
// export time), versions and policies, hot reload without failed requests, a broken model file,
// unload, and the KServe HTTP surface with bad input.
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/index.js';
import { kserveRoutes } from '../src/http/routes/kserve.js';
import { ServingEngine } from '../src/serving/index.js';
import { OnnxPool, loadOnnxModel, onnxLoader } from '../src/serving/onnx/index.js';
import { modelConformance } from '../src/testing/model-conformance.js';

const FIX = join(import.meta.dirname, 'fixtures/serving');
const answers = JSON.parse(readFileSync(join(FIX, 'answers.json'), 'utf8')) as {
  mlp: { input: number[]; v1: number[]; v2: number[] };
};
const x = () => ({
  input: { datatype: 'FP32' as const, shape: [1, 32], data: Float32Array.from(answers.mlp.input) },
});

let pool: OnnxPool;
let dir: string;
beforeAll(() => {
  pool = new OnnxPool({ workers: 2 });
  dir = mkdtempSync(join(tmpdir(), 'mortar-serving-'));
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

modelConformance('onnx mlp on the worker pool', () =>
  loadOnnxModel(pool, join(FIX, 'repo/mlp/1/model.onnx')),
);
modelConformance('onnx cnn on the worker pool', () =>
  loadOnnxModel(pool, join(FIX, 'repo/cnn/1/model.onnx')),
);

function repo(name: string): string {
  const root = join(dir, name);
  cpSync(join(FIX, 'repo'), root, { recursive: true });
  return root;
}

describe('ServingEngine on an ONNX repository', () => {
  it('serves every version under "all" with the known answers, latest by default', async () => {
    const root = repo('all');
    writeFileSync(join(root, 'mlp/model.json'), JSON.stringify({ versionPolicy: 'all' }));
    const engine = await ServingEngine.open({ root, loader: onnxLoader(pool), concurrency: 2 });
    try {
      const v1 = await engine.infer('mlp', '1', x());
      const v2 = await engine.infer('mlp', undefined, x());
      expect(v2.version).toBe('2');
      Array.from(v1.outputs['logits']!.data as Float32Array).forEach((v, i) =>
        expect(v).toBeCloseTo(answers.mlp.v1[i]!, 5),
      );
      Array.from(v2.outputs['logits']!.data as Float32Array).forEach((v, i) =>
        expect(v).toBeCloseTo(answers.mlp.v2[i]!, 5),
      );
      // The cache answers a repeat, per version.
      const again = await engine.infer('mlp', '1', x());
      expect(again.cached).toBe(true);
      expect(Array.from(again.outputs['logits']!.data as Float32Array)).toEqual(
        Array.from(v1.outputs['logits']!.data as Float32Array),
      );
      expect((await engine.infer('mlp', '2', x())).cached).toBe(true);
      await expect(engine.infer('mlp', '7', x())).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(engine.infer('nope', undefined, x())).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    } finally {
      await engine.close();
    }
  });

  it('reloads a changed version with no failed requests, and the cache follows the new file', async () => {
    const root = repo('reload');
    writeFileSync(
      join(root, 'mlp/model.json'),
      JSON.stringify({ versionPolicy: { specific: [1] } }),
    );
    const engine = await ServingEngine.open({ root, loader: onnxLoader(pool), concurrency: 2 });
    try {
      const before = await engine.infer('mlp', '1', x());
      let stop = false;
      let failures = 0;
      let answered = 0;
      const traffic = (async () => {
        for (let k = 0; !stop; k++) {
          await Promise.all(
            [0, 1, 2, 3].map((j) => {
              const inp = x(); // each call owns its tensors (they may be transferred)
              (inp.input.data as Float32Array)[0] = k * 4 + j;
              return engine.infer('mlp', '1', inp, { noCache: true }).then(
                () => answered++,
                () => failures++,
              );
            }),
          );
        }
      })();
      // Swap version 1's file for version 2's weights.
      cpSync(join(FIX, 'repo/mlp/2/model.onnx'), join(root, 'mlp/1/model.onnx'));
      const later = new Date(Date.now() + 5000);
      utimesSync(join(root, 'mlp/1/model.onnx'), later, later);
      await engine.reload();
      stop = true;
      await traffic;
      expect(failures).toBe(0);
      expect(answered).toBeGreaterThan(0);
      const after = await engine.infer('mlp', '1', x());
      expect(after.cached).toBe(false);
      expect(Array.from(after.outputs['logits']!.data as Float32Array)).not.toEqual(
        Array.from(before.outputs['logits']!.data as Float32Array),
      );
      Array.from(after.outputs['logits']!.data as Float32Array).forEach((v, i) =>
        expect(v).toBeCloseTo(answers.mlp.v2[i]!, 5),
      );
    } finally {
      await engine.close();
    }
  });

  it('a model file that fails to load leaves the others serving and reports the reason; unload works', async () => {
    const root = repo('broken');
    mkdirSync(join(root, 'bad/1'), { recursive: true });
    writeFileSync(join(root, 'bad/1/model.onnx'), 'not an onnx file');
    const engine = await ServingEngine.open({ root, loader: onnxLoader(pool), concurrency: 1 });
    try {
      const bad = engine.status('bad');
      expect(bad.ready).toBe(false);
      expect(bad.reason).toMatch(/onnxruntime could not load/);
      await expect(engine.infer('bad', undefined, x())).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
      expect((await engine.infer('mlp', undefined, x())).version).toBe('2');

      const app = createApp({ bodyLimitBytes: 4096, routes: [kserveRoutes({ engine })] });
      const post = (path: string, body: string) => app.request(path, { method: 'POST', body });
      const ok = JSON.stringify({
        inputs: [{ name: 'input', shape: [1, 32], datatype: 'FP32', data: answers.mlp.input }],
      });
      expect((await app.request('/v2/models/bad/ready')).status).toBe(503);
      expect((await app.request('/v2/health/ready')).status).toBe(503);
      expect((await app.request('/v2/models/mlp/ready')).status).toBe(200);
      const cases: [string, string, number, RegExp][] = [
        ['/v2/models/mlp/infer', '{"inputs": [', 400, /not valid JSON/],
        [
          '/v2/models/mlp/infer',
          ok.replace('[1,32]', '[1,31]'),
          400,
          /needs 31 values, data has 32/,
        ],
        [
          '/v2/models/mlp/infer',
          ok.replace('"FP32"', '"INT32"'),
          400,
          /expected an integer|datatype FP32/,
        ],
        [
          '/v2/models/mlp/infer',
          ok.replace('"FP32"', '"FP16"'),
          400,
          /datatype "FP16" is not supported/,
        ],
        ['/v2/models/mlp/infer', ok.replace('"input"', '"x"'), 400, /no input "x"/],
        ['/v2/models/mlp/versions/9/infer', ok, 404, /no version "9"/],
        ['/v2/models/ghost/infer', ok, 404, /no model named "ghost"/],
        ['/v2/models/mlp/infer', ok + ' '.repeat(5000), 413, /larger than the server's limit/],
      ];
      for (const [path, body, status, msg] of cases) {
        const r = await post(path, body);
        expect(r.status, `${path} ${body.slice(0, 60)}`).toBe(status);
        expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(msg);
      }
      // Still serving after all that.
      const r = await post('/v2/models/mlp/infer', ok);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { model_version: string; outputs: { data: number[] }[] };
      expect(body.model_version).toBe('2');
      body.outputs[0]!.data.forEach((v, i) => expect(v).toBeCloseTo(answers.mlp.v2[i]!, 5));

      const un = await app.request('/v2/repository/models/cnn/unload', { method: 'POST' });
      expect(un.status).toBe(200);
      expect((await app.request('/v2/models/cnn')).status).toBe(404);
      expect((await app.request('/v2/repository/models/cnn/load', { method: 'POST' })).status).toBe(
        200,
      );
      expect((await app.request('/v2/models/cnn')).status).toBe(200);
    } finally {
      await engine.close();
    }
  });

  it('a selection model answers, takes feedback and moves its weights', async () => {
    const root = repo('select');
    writeFileSync(join(root, 'mlp/model.json'), JSON.stringify({ versionPolicy: 'all' }));
    mkdirSync(join(root, 'pick'));
    writeFileSync(
      join(root, 'pick/model.json'),
      JSON.stringify({
        selection: { kind: 'exp4', members: ['mlp@1', 'mlp@2'], config: { eta: 1 } },
      }),
    );
    const engine = await ServingEngine.open({ root, loader: onnxLoader(pool), concurrency: 2 });
    try {
      expect(engine.status('pick').ready).toBe(true);
      const a = await engine.infer('pick', undefined, x(), { id: 'q1' });
      expect(a.selection?.answered).toEqual(['mlp@1', 'mlp@2']);
      const avg = answers.mlp.v1.map((v, i) => (v + answers.mlp.v2[i]!) / 2);
      Array.from(a.outputs['logits']!.data as Float32Array).forEach((v, i) =>
        expect(v).toBeCloseTo(avg[i]!, 5),
      );
      // mlp@1 predicts class argmax(v1); reward that class.
      const label = answers.mlp.v1[0]! > answers.mlp.v1[1]! ? 0 : 1;
      const fb = engine.feedback('pick', 'q1', { label });
      expect(fb.weights[0]).toBeGreaterThanOrEqual(fb.weights[1]!);
      // Over HTTP (the raw-body path): an ensemble answer (a weighted mix of the two versions,
      // weights moved by the feedback), with who answered.
      const app = createApp({ bodyLimitBytes: 1 << 20, routes: [kserveRoutes({ engine })] });
      const r = await app.request('/v2/models/pick/infer', {
        method: 'POST',
        body: JSON.stringify({
          id: 'q2',
          inputs: [{ name: 'input', shape: [1, 32], datatype: 'FP32', data: answers.mlp.input }],
        }),
      });
      expect(r.status).toBe(200);
      const body = (await r.json()) as {
        id: string;
        parameters: { answered: string[] };
        outputs: { data: number[] }[];
      };
      expect(body.id).toBe('q2');
      expect(body.parameters.answered).toEqual(['mlp@1', 'mlp@2']);
      body.outputs[0]!.data.forEach((v, i) => {
        const [lo, hi] = [answers.mlp.v1[i]!, answers.mlp.v2[i]!].sort((p, q) => p - q);
        expect(v).toBeGreaterThanOrEqual(lo! - 1e-6);
        expect(v).toBeLessThanOrEqual(hi! + 1e-6);
        expect(v).not.toBeCloseTo(avg[i]!, 5); // the weights did move
      });
    } finally {
      await engine.close();
    }
  });
});
