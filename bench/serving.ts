// `npm run bench -- serving [--quick] [--reps N] [--seconds S] [--formats json,binary]
//   [--models mlp,cnn] [--workers N] [--intra-op-threads N]`: KServe V2 serving throughput and
// latency on the committed ONNX fixtures (tabular MLP 32-256-256-2, 64x64 CNN). Load comes from a
// second process (autocannon) on 127.0.0.1, every request distinct, as JSON tensors and as the
// binary tensor extension. Compared in the same run, with interleaved load runs:
//   (a) naive: the same HTTP app and codec, one session.run per request on the main thread;
//   (b) Mortar: the serving engine (worker threads that also decode large JSON, dynamic
//       batching, cache);
//   (c) the in-process onnxruntime limit at the best batch size (no HTTP).
// Then a run with repeated inputs shows the prediction cache's gain. Medians of N repetitions;
// the load average is printed with every repetition (the machine is shared).
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
import { BINARY_HEADER, decodeInferRequest, encodeInferResponse } from '../src/serving/index.js';
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
  /** CPU time of the load generator's process during the run. */
  readonly loadCpuMs: number;
}

// ---------- the load generator (child process) ----------

type Format = 'json' | 'binary';

/**
 * Request bodies: a template built once; each request copies it and writes a counter into
 * input value 0 (JSON: 6 digits in place; binary: the float), so bodies are distinct (or cycle
 * through 64 when `distinct` is off) at the cost of one memcpy.
 */
function bodyMaker(
  shape: readonly number[],
  format: Format,
  distinct: boolean,
): { headers: Record<string, string>; next(): Buffer } {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = 12345;
  const values = new Float32Array(n);
  for (let i = 1; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    values[i] = Number((((s / 0x7fffffff) * 2 - 1) as number).toFixed(4));
  }
  let counter = 0;
  const tick = () => (distinct ? counter++ % 1_000_000 : counter++ % 64);
  if (format === 'json') {
    const rest = Array.from(values.subarray(1), (v) => v.toFixed(4)).join(',');
    const head = `{"inputs":[{"name":"input","shape":${JSON.stringify(shape)},"datatype":"FP32","data":[0.`;
    const template = Buffer.from(`${head}000000,${rest}]}]}`);
    const at = Buffer.byteLength(head);
    return {
      headers: { 'content-type': 'application/json' },
      next() {
        const b = Buffer.from(template);
        b.write(String(tick()).padStart(6, '0'), at, 'latin1');
        return b;
      },
    };
  }
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        {
          name: 'input',
          shape,
          datatype: 'FP32',
          parameters: { binary_data_size: n * 4 },
        },
      ],
    }),
  );
  const template = Buffer.concat([header, Buffer.from(values.buffer)]);
  return {
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.byteLength),
    },
    next() {
      const b = Buffer.from(template);
      b.writeFloatLE(tick() * 1e-6, header.byteLength);
      return b;
    },
  };
}

async function loadRole(args: string[]): Promise<void> {
  const get = (k: string) => args[args.indexOf(k) + 1]!;
  const url = get('--url');
  const model = get('--model');
  const shape = JSON.parse(get('--shape')) as number[];
  const rate = Number(get('--rate'));
  const seconds = Number(get('--seconds'));
  const connections = Number(get('--connections'));
  const format = get('--format') as Format;
  const bodies = bodyMaker(shape, format, get('--distinct') === '1');
  const autocannon = createRequire(import.meta.url)('autocannon') as (
    o: Record<string, unknown>,
  ) => Promise<Record<string, unknown>>;
  const cpu0 = process.cpuUsage();
  const r = await autocannon({
    url: `${url}/v2/models/${model}/infer`,
    connections,
    duration: seconds,
    ...(rate > 0 ? { overallRate: rate } : {}),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: bodies.headers,
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies.next() }),
      },
    ],
  });
  const cpu = process.cpuUsage(cpu0);
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
    loadCpuMs: (cpu.user + cpu.system) / 1000,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function load(
  url: string,
  m: ModelCase,
  opts: {
    rate: number;
    seconds: number;
    distinct: boolean;
    format: Format;
    connections?: number;
  },
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
        '--format',
        opts.format,
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
          const h = c.req.header(BINARY_HEADER);
          const req = decodeInferRequest(
            new Uint8Array(await c.req.arrayBuffer()),
            h === undefined ? undefined : Number(h),
          );
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

interface MortarSetup {
  readonly workers: number;
  readonly intraOpThreads: number;
}

async function startMortar(setup: MortarSetup): Promise<ServerHandle> {
  const serving = await openOnnxServing({
    root: REPO,
    workers: setup.workers,
    intraOpThreads: setup.intraOpThreads,
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

/** One server on one model and format: saturated, then at fixed rates. */
interface Measured {
  readonly saturation: LoadResult;
  /** Server process CPU (all threads) per answered request at saturation, ms. */
  readonly cpuMsPerItem: number;
  /** Load generator CPU per answered request at saturation, ms. */
  readonly loadCpuMsPerItem: number;
  /** Highest achieved rate, among the runs, whose p99 <= the objective with no failures. */
  readonly atObjective: number;
  /** Runs at `fixed` rates (requests/s), in order. */
  readonly fixed: LoadResult[];
}

const FIXED = [0.2, 0.5, 0.8] as const;
const SWEEP = [0.5, 0.7, 0.85] as const;

const okAtObjective = (r: LoadResult) =>
  r.p99 <= OBJECTIVE_MS && r.non2xx === 0 && r.errors === 0 && r.ok > 0;

/**
 * Measures both servers on one model and format, interleaving their runs (saturated, own sweep,
 * shared fixed rates) so that drifting load from other processes hits both alike.
 */
async function measurePair(
  servers: { mortar: ServerHandle; naive: ServerHandle },
  m: ModelCase,
  format: Format,
  seconds: number,
): Promise<{ mortar: Measured; naive: Measured; rates: number[] }> {
  const base = { seconds, distinct: true, format };
  const keys = ['mortar', 'naive'] as const;
  for (const k of keys) await load(servers[k].url, m, { ...base, rate: 0, seconds: 1 }); // warm up
  const sat = {} as Record<(typeof keys)[number], { r: LoadResult; cpuMs: number }>;
  for (const k of keys) {
    const cpu0 = process.cpuUsage();
    const r = await load(servers[k].url, m, { ...base, rate: 0 });
    const cpu = process.cpuUsage(cpu0);
    sat[k] = { r, cpuMs: (cpu.user + cpu.system) / 1000 };
  }
  const best = { mortar: 0, naive: 0 };
  for (const k of keys) if (okAtObjective(sat[k].r)) best[k] = sat[k].r.throughput;
  // Each server's own sweep (fractions of its own max) finds its throughput at the objective...
  for (const f of SWEEP) {
    for (const k of keys) {
      const r = await load(servers[k].url, m, { ...base, rate: sat[k].r.throughput * f });
      if (okAtObjective(r)) best[k] = Math.max(best[k], r.throughput);
    }
  }
  // ...and fixed rates (fractions of Mortar's max, the same for both) give side-by-side latencies.
  const rates = FIXED.map((f) => f * sat.mortar.r.throughput);
  const fixed = { mortar: [] as LoadResult[], naive: [] as LoadResult[] };
  for (const rate of rates) {
    for (const k of keys) {
      const r = await load(servers[k].url, m, { ...base, rate });
      fixed[k].push(r);
      if (okAtObjective(r)) best[k] = Math.max(best[k], r.throughput);
    }
  }
  const out = (k: (typeof keys)[number]): Measured => {
    const n = Math.max(1, sat[k].r.ok);
    return {
      saturation: sat[k].r,
      cpuMsPerItem: sat[k].cpuMs / n,
      loadCpuMsPerItem: sat[k].r.loadCpuMs / n,
      atObjective: best[k],
      fixed: fixed[k],
    };
  };
  return { mortar: out('mortar'), naive: out('naive'), rates };
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
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
};
const load1 = () => f2(loadavg()[0]!);
const table = (h: string[], r: string[][]) =>
  [
    `| ${h.join(' | ')} |`,
    `|${h.map(() => '---').join('|')}|`,
    ...r.map((x) => `| ${x.join(' | ')} |`),
  ].join('\n');

/** Everything measured for one model and format in one repetition. */
interface Rep {
  readonly mortar: Measured;
  readonly naive: Measured;
  readonly rates: readonly number[];
  readonly cached: LoadResult;
  readonly hitRate: number;
  readonly loadAvg: readonly number[];
}

async function oneRep(
  m: ModelCase,
  format: Format,
  seconds: number,
  setup: MortarSetup,
): Promise<Rep> {
  const la0 = loadavg()[0]!;
  const mortar = await startMortar(setup);
  try {
    const naive = await startNaive(m);
    try {
      const pair = await measurePair({ mortar, naive }, m, format, seconds);
      // Cache: repeated inputs (64 distinct bodies cycling), saturated.
      await load(mortar.url, m, { rate: 0, seconds: 1, distinct: false, format });
      const cached = await load(mortar.url, m, { rate: 0, seconds, distinct: false, format });
      const hitRate = mortar.cacheHitRate?.() ?? 0;
      return { ...pair, cached, hitRate, loadAvg: [la0, loadavg()[0]!] };
    } finally {
      await naive.close();
    }
  } finally {
    await mortar.close();
  }
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[]): Promise<void> {
  if (args[0] === '--role' && args[1] === 'load') return loadRole(args.slice(2));
  const quick = args.includes('--quick');
  const seconds = Number(argValue(args, '--seconds') ?? (quick ? 2 : 4));
  const reps = Number(argValue(args, '--reps') ?? (quick ? 1 : 3));
  const formats = (argValue(args, '--formats') ?? 'json,binary').split(',') as Format[];
  const only = argValue(args, '--models')?.split(',');
  const setup: MortarSetup = {
    workers: Number(
      argValue(args, '--workers') ?? Math.max(1, Math.min(2, availableParallelism())),
    ),
    intraOpThreads: Number(argValue(args, '--intra-op-threads') ?? 1),
  };
  console.log(
    `serving bench: ${availableParallelism()} cores, Node ${process.version}, load avg ${loadavg().map(f2).join(' ')}; ` +
      `objective p99 <= ${OBJECTIVE_MS} ms; ${seconds} s per load run; ${reps} repetition(s), medians; ` +
      `Mortar workers ${setup.workers}, intra-op threads ${setup.intraOpThreads}`,
  );
  const rows: string[][] = [];
  const fixedRows: string[][] = [];
  const cacheRows: string[][] = [];
  const cpuRows: string[][] = [];
  for (const m of MODELS.filter((x) => !only || only.includes(x.name))) {
    const limit = await inProcessLimit(m);
    console.log(
      `${m.name}: in-process limit ${f0(limit.best)} items/s (batch ${limit.batch}, ${limit.threads} threads)`,
    );
    for (const format of formats) {
      const all: Rep[] = [];
      for (let k = 0; k < reps; k++) {
        const r = await oneRep(m, format, seconds, setup);
        all.push(r);
        console.log(
          `${m.name}/${format} rep ${k + 1}: Mortar max ${f0(r.mortar.saturation.throughput)}/s (p99 ${r.mortar.saturation.p99} ms), @obj ${f0(r.mortar.atObjective)}/s; ` +
            `naive max ${f0(r.naive.saturation.throughput)}/s (p99 ${r.naive.saturation.p99} ms), @obj ${f0(r.naive.atObjective)}/s; ` +
            `cache ${f0(r.cached.throughput)}/s; load avg ${r.loadAvg.map(f2).join(' -> ')}`,
        );
      }
      const med = (f: (r: Rep) => number) => median(all.map(f));
      const ratio = med((r) => r.mortar.atObjective / Math.max(1, r.naive.atObjective));
      const la = `${f2(Math.min(...all.map((r) => r.loadAvg[0]!)))}–${f2(Math.max(...all.map((r) => r.loadAvg[1]!)))}`;
      rows.push([
        m.name,
        format,
        f0(med((r) => r.naive.atObjective)),
        f0(med((r) => r.mortar.atObjective)),
        `${f2(ratio)}x`,
        f0(med((r) => r.naive.saturation.throughput)),
        f0(med((r) => r.mortar.saturation.throughput)),
        f0(limit.best) + ` (b=${limit.batch}, ${limit.threads}t)`,
        la,
      ]);
      cpuRows.push([
        m.name,
        format,
        f2(med((r) => r.naive.cpuMsPerItem)),
        f2(med((r) => r.mortar.cpuMsPerItem)),
        f2(med((r) => r.naive.loadCpuMsPerItem)),
        f2(med((r) => r.mortar.loadCpuMsPerItem)),
      ]);
      FIXED.forEach((f, i) => {
        const cell = (pick: (r: Rep) => LoadResult) => {
          const failed = med((r) => pick(r).non2xx + pick(r).errors);
          return `${f0(med((r) => pick(r).p50))} / ${f0(med((r) => pick(r).p99))}${failed ? ` (${f0(failed)} failed)` : ''}`;
        };
        fixedRows.push([
          m.name,
          format,
          `${f0(med((r) => r.rates[i]!))} (${Math.round(f * 100)}%)`,
          cell((r) => r.naive.fixed[i]!),
          cell((r) => r.mortar.fixed[i]!),
          f0(med((r) => r.naive.fixed[i]!.throughput)),
          f0(med((r) => r.mortar.fixed[i]!.throughput)),
        ]);
      });
      cacheRows.push([
        m.name,
        format,
        f0(med((r) => r.mortar.saturation.throughput)),
        f0(med((r) => r.cached.throughput)),
        `${f2(med((r) => r.cached.throughput / Math.max(1, r.mortar.saturation.throughput)))}x`,
        `${(med((r) => r.hitRate) * 100).toFixed(1)}%`,
        `${f0(med((r) => r.cached.p50))} / ${f0(med((r) => r.cached.p99))}`,
      ]);
    }
  }
  console.log(
    `\nThroughput (requests/s, 1 row each; medians of ${reps}) at p99 <= ${OBJECTIVE_MS} ms and saturated:\n`,
  );
  console.log(
    table(
      [
        'model',
        'format',
        'naive @obj',
        'Mortar @obj',
        'Mortar / naive @obj',
        'naive max',
        'Mortar max',
        'in-process ORT limit (items/s)',
        'load avg',
      ],
      rows,
    ),
  );
  console.log(
    '\nCPU ms per answered request at saturation (server: all threads; load generator):\n',
  );
  console.log(
    table(
      [
        'model',
        'format',
        'naive server',
        'Mortar server',
        'autocannon (vs naive)',
        'autocannon (vs Mortar)',
      ],
      cpuRows,
    ),
  );
  console.log('\nLatency p50 / p99 (ms) at fixed rates (fractions of Mortar max):\n');
  console.log(
    table(
      [
        'model',
        'format',
        'rate/s',
        'naive p50 / p99',
        'Mortar p50 / p99',
        'naive achieved',
        'Mortar achieved',
      ],
      fixedRows,
    ),
  );
  console.log(
    '\nPrediction cache: repeated inputs (64 distinct bodies) vs all-distinct, Mortar saturated:\n',
  );
  console.log(
    table(
      [
        'model',
        'format',
        'distinct req/s',
        'repeated req/s',
        'gain',
        'hit rate (whole run)',
        'repeated p50 / p99 ms',
      ],
      cacheRows,
    ),
  );
  console.log(`\nload avg at the end: ${loadavg().map(f2).join(' ')} (${load1()} now)`);
}
