import { fileURLToPath } from 'node:url';
import { MortarError } from '../../../core/errors.js';
import { readTable } from '../../../core/data/index.js';
import { createApp, startServer } from '../../../http/index.js';
import { kserveRoutes } from '../../../http/routes/kserve.js';
import { openOnnxServing } from '../../../serving/onnx/index.js';
import type { QuickstartStep } from '../step.js';
import type { QuickstartData } from './data.js';

/** The committed fixture repository (same depth under the package root from src/ and dist/). */
const REPO = fileURLToPath(new URL('../../../../test/fixtures/serving/repo', import.meta.url));

/**
 * Serves the tabular MLP fixture over KServe V2 on 127.0.0.1 (port 0) and sends it real rows
 * of the flights sample (distance and delay, scaled, padded to the model's 32 features): shows
 * per-request latency, a batch of concurrent requests, and a cache hit on a repeated row.
 */
export const serveStep: QuickstartStep = {
  id: 'serve',
  title: 'Serve an ONNX model over KServe V2 HTTP (batching on worker threads, cache)',
  async run(env) {
    const data = env.shared.get('data') as QuickstartData | undefined;
    if (!data) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        'the serve step needs the data step; run with --steps data,serve',
      );
    }
    const table = await readTable(data.samplePath, { columns: ['distance', 'delay'], maxRows: 64 });
    const distance = table.column('distance');
    const delay = table.column('delay');
    if (distance.kind !== 'number' || delay.kind !== 'number') {
      throw new MortarError(
        'DATA_INVALID',
        `${data.samplePath}: distance and delay must be numeric`,
      );
    }
    const row = (i: number) => {
      const x = new Array<number>(32).fill(0);
      x[0] = (distance.values[i] ?? 0) / 1000;
      x[1] = (delay.values[i] ?? 0) / 60;
      return x;
    };
    const serving = await openOnnxServing({
      root: REPO,
      workers: 2,
      pollMs: 0,
      defaults: { versionPolicy: { specific: [1] } },
    });
    const app = createApp({
      bodyLimitBytes: 1 << 20,
      routes: [kserveRoutes({ engine: serving.engine })],
    });
    const server = await startServer(app, { host: '127.0.0.1', port: 0 });
    try {
      const infer = async (x: number[]) => {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/v2/models/mlp/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            inputs: [{ name: 'input', shape: [1, 32], datatype: 'FP32', data: x }],
          }),
        });
        const body = (await res.json()) as {
          outputs?: { data: number[] }[];
          parameters?: { cached?: boolean };
        };
        if (res.status !== 200)
          throw new MortarError(
            'INTERNAL',
            `serve step: HTTP ${res.status} ${JSON.stringify(body)}`,
          );
        return {
          ms: performance.now() - t0,
          logits: body.outputs?.[0]?.data ?? [],
          cached: body.parameters?.cached === true,
        };
      };
      await infer(row(0)); // warm up
      const singles = [];
      for (let i = 1; i <= 5; i++) singles.push(await infer(row(i)));
      const t0 = performance.now();
      const burst = await Promise.all(
        Array.from({ length: 58 }, (_, i) => infer(row(6 + (i % 58)))),
      );
      const burstMs = performance.now() - t0;
      const repeat = await infer(row(1));
      const single = singles.map((s) => s.ms).sort((a, b) => a - b)[2]!;
      env.say(`    serving ${REPO}/mlp on ${server.url} (2 worker threads)`);
      env.say(
        `    one request at a time: median ${single.toFixed(1)} ms; logits for flight 1: [${singles[0]!.logits.map((v) => v.toFixed(3)).join(', ')}]`,
      );
      env.say(
        `    58 concurrent requests: ${burstMs.toFixed(1)} ms in all (batched on the workers)`,
      );
      env.say(
        `    repeated flight 1: ${repeat.ms.toFixed(1)} ms, ${repeat.cached ? 'answered from the cache' : 'NOT cached'}; cache hit rate ${(serving.engine.cacheHitRate * 100).toFixed(0)}%`,
      );
      return {
        summary: `served ${singles.length + burst.length + 2} KServe requests; median ${single.toFixed(1)} ms; cache hit on repeat: ${repeat.cached}`,
        details: {
          url: server.url,
          medianMs: single,
          burstMs,
          burstRequests: burst.length,
          cacheHit: repeat.cached,
          cacheHitRate: serving.engine.cacheHitRate,
        },
      };
    } finally {
      await server.close();
      await serving.close();
    }
  },
};
