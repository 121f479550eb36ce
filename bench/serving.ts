// `npm run bench -- serving [--quick]`: KServe V2 serving throughput and latency on the committed
// ONNX fixtures (tabular MLP 32-256-256-2, 64x64 CNN). Load comes from a second process
// (autocannon) on 127.0.0.1, every request distinct. Compared in the same run:
//   (a) naive: the same HTTP app and codec, one session.run per request on the main thread;
//   (b) Mortar: the serving engine (worker threads, dynamic batching, cache);
//   (c) the in-process onnxruntime limit at the best batch size (no HTTP).
// Then a run with repeated inputs shows the prediction cache's gain.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { MortarError } from '../src/core/errors.js';
import { createApp, startServer, type RunningServer } from '../src/http/index.js';
import { kserveRoutes } from '../src/http/routes/kserve.js';
import type { AppEnv, RouteModule } from '../src/http/types.js';
import { decodeInferRequest, encodeInferResponse } from '../src/serving/index.js';
import { openOnnxServing } from '../src/serving/onnx/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const REPO = join(root, 'test/fixtures/serving/repo');
const OBJECTIVE_MS = 50;

interface ModelCase {
  readonly name: string;
  readonly path: string;
  readonly shape: readonly number[];
  readonly connections: number;
}
const MODELS: readonly ModelCase[] = [
  { name: 'mlp', path: join(REPO, 'mlp/1/model.onnx'), shape: [1, 32], connections: 64 },
  { name: 'cnn', path: join(REPO, 'cnn/1/model.onnx'), shape: [1, 3, 64, 64], connections: 32 },
];

interface LoadResult {
  readonly rate: number | null;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
}

// ---------- the load generator (child process) ----------

async function loadRole(args: string[]): Promise<void> {
  const get = (k: string) => args[args.indexOf(k) + 1]!;
  const url = get('--url');
  const model = get('--model');
  const shape = JSON.parse(get('--shape')) as number[];
  const rate = Number(get('--rate'));
  const seconds = Number(get('--seconds'));
  const connections = Number(get('--connections'));
  const distinct = get('--distinct') === '1';
  const n = shape.reduce((a, b) => a * b, 1);
  // Fixed pseudo-random values; value 0 varies per request so every body is distinct.
  let s = 12345;
  const rest: string[] = [];
  for (let i = 1; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    rest.push(((s / 0x7fffffff) * 2 - 1).toFixed(4));
  }
  const prefix = `{"inputs":[{"name":"input","shape":${JSON.stringify(shape)},"datatype":"FP32","data":[`;
  const suffix = `,${rest.join(',')}]}]}`;
  let counter = 0;
  const autocannon = createRequire(import.meta.url)('autocannon') as (
    o: Record<string, unknown>,
  ) => Promise<Record<string, unknown>>;
  const r = await autocannon({
    url: `${url}/v2/models/${model}/infer`,
    connections,
    duration: seconds,
    ...(rate > 0 ? { overallRate: rate } : {}),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: Record<string, unknown>) => {
          const v = distinct ? (counter++ % 1_000_000) * 1e-6 : (counter++ % 64) * 1e-3;
          return { ...req, body: `${prefix}${v.toFixed(6)}${suffix}` };
        },
      },
    ],
  });
  const ok = r['2xx'] as number;
  const out: LoadResult = {
    rate: rate > 0 ? rate : null,
    ok,
    non2xx: r['non2xx'] as number,
    errors: (r['errors'] as number) + (r['timeouts'] as number),
    seconds: (r['duration'] as number) ?? seconds,
    throughput: ok / ((r['duration'] as number) || seconds),
    p50: (r['latency'] as { p50: number }).p50,
    p99: (r['latency'] as { p99: number }).p99,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function load(
  url: string,
  m: ModelCase,
  opts: { rate: number; seconds: number; distinct: boolean; connections?: number },
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(here, 'run.ts'),
        'serving',
        '--role',
        'load',
        '--url',
        url,
        '--model',
        m.name,
        '--shape',
        JSON.stringify(m.shape),
        '--rate',
        String(Math.round(opts.rate)),
        '--seconds',
        String(opts.seconds),
        '--connections',
        String(opts.connections ?? m.connections),
        '--distinct',
        opts.distinct ? '1' : '0',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1);
      if (code !== 0 || !line) reject(new Error(`load generator exited ${code}: ${out}`));
      else resolve(JSON.parse(line) as LoadResult);
    });
  });
}

// ---------- the servers ----------

/** (a) The naive server: same app and codec, one session.run per request on the main thread. */
async function naiveRoutes(m: ModelCase): Promise<{ routes: RouteModule; close(): Promise<void> }> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(m.path, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  const route = createRoute({
    method: 'post',
    path: '/v2/models/{name}/infer',
    request: { params: z.object({ name: z.string() }) },
    responses: { 200: { description: 'answer' } },
  });
  return {
    routes: {
      name: 'naive',
      register(app) {
        app.openapi(route, (async (c: Context<AppEnv>) => {
          const req = decodeInferRequest(new Uint8Array(await c.req.arrayBuffer()));
          const x = req.inputs['input'];
          if (!x) throw new MortarError('INVALID_ARGUMENT', 'input missing');
          const r = await session.run({
            input: new ort.Tensor('float32', x.data as Float32Array, [...x.shape]),
          });
          const y = r['logits']!;
          const enc = encodeInferResponse(
            {
              model: m.name,
              version: '1',
              id: '',
              outputs: {
                logits: { datatype: 'FP32', shape: [...y.dims], data: y.data as Float32Array },
              },
            },
            req,
          );
          return c.body(enc.body as string, 200, { 'content-type': 'application/json' });
        }) as never);
      },
    },
    close: () => session.release(),
  };
}

interface ServerHandle {
  readonly url: string;
  close(): Promise<void>;
  cacheHitRate?: () => number;
}

async function startNaive(m: ModelCase): Promise<ServerHandle> {
  const n = await naiveRoutes(m);
  const app = createApp({ bodyLimitBytes: 16 << 20, routes: [n.routes] });
  const s: RunningServer = await startServer(app, { host: '127.0.0.1', port: 0 });
  return {
    url: s.url,
    async close() {
      await s.close();
      await n.close();
    },
  };
}

async function startMortar(workers: number): Promise<ServerHandle> {
  const serving = await openOnnxServing({
    root: REPO,
    workers,
    intraOpThreads: 1,
    pollMs: 0,
    defaults: { versionPolicy: { specific: [1] }, timeoutMs: 5000 },
  });
  const app = createApp({
    bodyLimitBytes: 16 << 20,
    routes: [kserveRoutes({ engine: serving.engine })],
  });
  const s = await startServer(app, { host: '127.0.0.1', port: 0 });
  return {
    url: s.url,
    async close() {
      await s.close();
      await serving.close();
    },
    cacheHitRate: () => serving.engine.cacheHitRate,
  };
}

// ---------- measurement ----------

interface Measured {
  readonly saturation: LoadResult;
  readonly cpuMsPerItem: number;
  readonly atObjective: number;
  readonly sweep: LoadResult[];
}

async function measure(h: ServerHandle, m: ModelCase, seconds: number): Promise<Measured> {
  // Warm up (loads, JIT, connection setup).
  await load(h.url, m, { rate: 0, seconds: 1, distinct: true });
  const cpu0 = process.cpuUsage();
  const saturation = await load(h.url, m, { rate: 0, seconds, distinct: true });
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerItem = (cpu.user + cpu.system) / 1000 / Math.max(1, saturation.ok);
  // Throughput at the objective: highest achieved rate, among rates up to the saturated
  // throughput, whose p99 stays within the objective.
  const sweep: LoadResult[] = [];
  let atObjective = saturation.p99 <= OBJECTIVE_MS ? saturation.throughput : 0;
  for (const f of [0.5, 0.7, 0.85, 1.0]) {
    const r = await load(h.url, m, { rate: saturation.throughput * f, seconds, distinct: true });
    sweep.push(r);
    if (r.p99 <= OBJECTIVE_MS && r.non2xx === 0) atObjective = Math.max(atObjective, r.throughput);
  }
  return { saturation, cpuMsPerItem, atObjective, sweep };
}

/** (c) In-process onnxruntime: items/s for batch sizes, with 1 and all intra-op threads. */
async function inProcessLimit(
  m: ModelCase,
): Promise<{ best: number; batch: number; threads: number }> {
  const ort = await import('onnxruntime-node');
  const per = m.shape.slice(1).reduce((a, b) => a * b, 1);
  let best = { best: 0, batch: 1, threads: 1 };
  for (const threads of [1, availableParallelism()]) {
    const s = await ort.InferenceSession.create(m.path, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
    });
    for (const b of [1, 8, 32, 64, 128]) {
      const x = new ort.Tensor('float32', new Float32Array(b * per).fill(0.1), [
        b,
        ...m.shape.slice(1),
      ]);
      for (let i = 0; i < 3; i++) await s.run({ input: x });
      let items = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 400) {
        await s.run({ input: x });
        items += b;
      }
      const rate = items / ((performance.now() - t0) / 1000);
      if (rate > best.best) best = { best: rate, batch: b, threads };
    }
    await s.release();
  }
  return best;
}

const f0 = (x: number) => Math.round(x).toLocaleString('en-US');

const f2 = (x: number) => x.toFixed(2);

export async function run(args: string[]): Promise<void> {
  if (args[0] === '--role' && args[1] === 'load') return loadRole(args.slice(2));
  const quick = args.includes('--quick');
  const seconds = quick ? 2 : 4;
  const workers = Math.max(1, Math.min(2, availableParallelism()));
  console.log(
    `serving bench: ${availableParallelism()} cores, Node ${process.version}, load avg ${loadavg().map(f2).join(' ')}; ` +
      `objective p99 <= ${OBJECTIVE_MS} ms; ${seconds} s per load run; Mortar workers ${workers}`,
  );
  const rows: string[][] = [];
  const fixed: string[][] = [];
  const cacheRows: string[][] = [];
  for (const m of MODELS) {
    const limit = await inProcessLimit(m);
    console.log(
      `${m.name}: in-process limit ${f0(limit.best)} items/s (batch ${limit.batch}, ${limit.threads} threads)`,
    );

    const mortar = await startMortar(workers);
    const mm = await measure(mortar, m, seconds);
    console.log(
      `${m.name}: mortar saturated ${f0(mm.saturation.throughput)}/s p99 ${mm.saturation.p99} ms; at objective ${f0(mm.atObjective)}/s`,
    );
    // Fixed rates relative to Mortar's maximum, for both servers.
    const rates = [0.2, 0.5, 0.8].map((f) => f * mm.saturation.throughput);
    const mortarFixed: LoadResult[] = [];
    for (const r of rates)
      mortarFixed.push(await load(mortar.url, m, { rate: r, seconds, distinct: true }));
    // Cache: repeated inputs (64 distinct bodies cycling).
    await load(mortar.url, m, { rate: 0, seconds: 1, distinct: false });
    const cached = await load(mortar.url, m, { rate: 0, seconds, distinct: false });
    const hitRate = mortar.cacheHitRate?.() ?? 0;
    await mortar.close();

    const naive = await startNaive(m);
    const nm = await measure(naive, m, seconds);
    console.log(
      `${m.name}: naive saturated ${f0(nm.saturation.throughput)}/s p99 ${nm.saturation.p99} ms; at objective ${f0(nm.atObjective)}/s`,
    );
    const naiveFixed: LoadResult[] = [];
    for (const r of rates)
      naiveFixed.push(await load(naive.url, m, { rate: r, seconds, distinct: true }));
    await naive.close();

    rows.push([
      m.name,
      f0(nm.atObjective),
      f0(mm.atObjective),
      `${f2(mm.atObjective / Math.max(1, nm.atObjective))}x`,
      f0(nm.saturation.throughput),
      f0(mm.saturation.throughput),
      f0(limit.best) + ` (b=${limit.batch}, ${limit.threads}t)`,
      f2(nm.cpuMsPerItem),
      f2(mm.cpuMsPerItem),
    ]);
    rates.forEach((r, i) => {
      const a = naiveFixed[i]!;
      const b = mortarFixed[i]!;
      fixed.push([
        m.name,
        `${f0(r)} (${[20, 50, 80][i]}%)`,
        `${a.p50} / ${a.p99}${a.non2xx + a.errors ? ` (${a.non2xx + a.errors} failed)` : ''}`,
        `${b.p50} / ${b.p99}${b.non2xx + b.errors ? ` (${b.non2xx + b.errors} failed)` : ''}`,
        f0(a.throughput),
        f0(b.throughput),
      ]);
    });
    cacheRows.push([
      m.name,
      f0(mm.saturation.throughput),
      f0(cached.throughput),
      `${f2(cached.throughput / Math.max(1, mm.saturation.throughput))}x`,
      `${(hitRate * 100).toFixed(1)}%`,
      `${cached.p50} / ${cached.p99}`,
    ]);
  }
  const table = (h: string[], r: string[][]) =>
    [
      `| ${h.join(' | ')} |`,
      `|${h.map(() => '---').join('|')}|`,
      ...r.map((x) => `| ${x.join(' | ')} |`),
    ].join('\n');
  console.log(
    '\nThroughput (requests/s, 1 row each) at p99 <= 50 ms, saturated, and server CPU ms per item:\n',
  );
  console.log(
    table(
      [
        'model',
        'naive @obj',
        'Mortar @obj',
        'Mortar / naive',
        'naive max',
        'Mortar max',
        'in-process ORT limit (items/s)',
        'naive CPU ms/item',
        'Mortar CPU ms/item',
      ],
      rows,
    ),
  );
  console.log('\nLatency p50 / p99 (ms) at fixed rates (fractions of Mortar max):\n');
  console.log(
    table(
      [
        'model',
        'rate/s',
        'naive p50 / p99',
        'Mortar p50 / p99',
        'naive achieved',
        'Mortar achieved',
      ],
      fixed,
    ),
  );
  console.log(
    '\nPrediction cache: repeated inputs (64 distinct bodies) vs all-distinct, Mortar saturated:\n',
  );
  console.log(
    table(
      [
        'model',
        'distinct req/s',
        'repeated req/s',
        'gain',
        'hit rate (whole run)',
        'repeated p50 / p99 ms',
      ],
      cacheRows,
    ),
  );
  console.log(`\nload avg at the end: ${loadavg().map(f2).join(' ')}`);
}
