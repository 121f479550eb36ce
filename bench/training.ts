// `npm run bench -- training [--sizes 256,512,1024,2048] [--min-cpu 1] [--no-python] [--no-write]`
//
// Single-thread SGEMM throughput of the Mortar engine (WebAssembly SIMD) against, in the same
// run: the plain-TypeScript reference GEMM (the test oracle), numpy and PyTorch when a python3
// with them is on this machine (each pinned to one thread). Throughput is FLOPs per CPU-second
// (process.cpuUsage / time.process_time), so a multi-threaded BLAS could not flatter itself.
// Appends (or replaces) the "## training (engine)" section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import {
  conv2d,
  conv2dBackward,
  conv2dOutputShape,
  gemm,
  loadEngine,
  type Engine,
} from '../src/core/tensor/index.js';
import { refGemm } from '../src/core/tensor/reference.js';
import { runNetworks, splitArgs } from './_training-networks.js';

/**
 * A tuned plain-TypeScript SGEMM (n a multiple of 4): 4x4 register tiles of scalar locals over
 * Float32Array, the best hand-written TypeScript did here before WebAssembly SIMD.
 */
// prettier-ignore
function tunedTsGemm(n: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let i = 0; i < n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let j = 0; j < n; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, q = j; p < n; p++, q += n) {
        const b0 = b[q] as number, b1 = b[q + 1] as number, b2 = b[q + 2] as number, b3 = b[q + 3] as number;
        const a0 = a[r0 + p] as number, a1 = a[r1 + p] as number, a2 = a[r2 + p] as number, a3 = a[r3 + p] as number;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      c[r0 + j] = c00; c[r0 + j + 1] = c01; c[r0 + j + 2] = c02; c[r0 + j + 3] = c03;
      c[r1 + j] = c10; c[r1 + j + 1] = c11; c[r1 + j + 2] = c12; c[r1 + j + 3] = c13;
      c[r2 + j] = c20; c[r2 + j + 1] = c21; c[r2 + j + 2] = c22; c[r2 + j + 3] = c23;
      c[r3 + j] = c30; c[r3 + j + 1] = c31; c[r3 + j + 2] = c32; c[r3 + j + 3] = c33;
    }
  }
}

const SECTION = '## training (engine)';
const here = dirname(fileURLToPath(import.meta.url));

interface Options {
  sizes: number[];
  minCpu: number;
  python: boolean;
  write: boolean;
}

function parse(args: string[]): Options {
  const o: Options = { sizes: [256, 512, 1024, 2048], minCpu: 1, python: true, write: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--sizes') o.sizes = String(args[++i]).split(',').map(Number);
    else if (a === '--min-cpu') o.minCpu = Number(args[++i]);
    else if (a === '--no-python') o.python = false;
    else if (a === '--no-write') o.write = false;
    else throw new Error(`bench training: unknown argument ${a}`);
  }
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 4 || n % 4 !== 0))
    throw new Error('bench training: --sizes wants multiples of 4');
  return o;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Calls f once to warm up, then repeatedly until minCpu CPU-seconds; returns GFLOP/s. */
function measure(flops: number, minCpu: number, f: () => void): number {
  f();
  let reps = 0;
  const t0 = cpuSeconds();
  let t: number;
  do {
    f();
    reps++;
    t = cpuSeconds() - t0;
  } while (t < minCpu);
  return (flops * reps) / t / 1e9;
}

const PY = `
import json, sys, time
which, sizes, min_cpu = sys.argv[1], [int(s) for s in sys.argv[2].split(',')], float(sys.argv[3])
if which == 'numpy':
    import numpy as np
    version = np.__version__
    def make(n):
        r = np.random.default_rng(0)
        a = r.random((n, n), dtype=np.float32); b = r.random((n, n), dtype=np.float32)
        return lambda: a @ b
else:
    import torch
    torch.set_num_threads(1)
    blas = [w for w in torch.__config__.show().replace(',', ' ').split() if w.startswith('BLAS_INFO=')]
    version = torch.__version__ + (' (' + blas[0] + ')' if blas else '')
    def make(n):
        a = torch.rand(n, n); b = torch.rand(n, n)
        return lambda: a @ b
out = {'version': version, 'gflops': {}}
for n in sizes:
    f = make(n); f()
    reps = 0; t0 = time.process_time()
    while True:
        f(); reps += 1
        t = time.process_time() - t0
        if t >= min_cpu: break
    out['gflops'][n] = 2 * n ** 3 * reps / t / 1e9
print(json.dumps(out))
`;

/** Runs the python measurement; returns null (and a note) when python or the package is missing. */
function python(
  exe: string,
  which: 'numpy' | 'torch',
  o: Options,
): { version: string; gflops: Record<string, number> } | string {
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
  const r = spawnSync(exe, ['-c', PY, which, o.sizes.join(','), String(o.minCpu)], {
    env,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.error || r.status !== 0) {
    const why = r.error
      ? r.error.message
      : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
    return `${which} via ${exe} unavailable: ${why}`;
  }
  return JSON.parse(r.stdout) as { version: string; gflops: Record<string, number> };
}

/** Training-shaped work (an MLP layer's three GEMMs, small CNN convolutions), Mortar only. */
function layerShapes(engine: Engine, minCpu: number): string[][] {
  const out: string[][] = [];
  const gemms: [string, number, number, number, boolean, boolean][] = [
    ['Linear 784->256, batch 64: forward X W', 64, 256, 784, false, false],
    ['Linear 784->256 backward dW = X^T dY', 784, 256, 64, true, false],
    ['Linear 784->256 backward dX = dY W^T', 64, 784, 256, false, true],
    ['Linear 256->10, batch 32: forward', 32, 10, 256, false, false],
  ];
  for (const [name, m, n, k, ta, tb] of gemms) {
    engine.scope(() => {
      const a = engine.zeros(ta ? [k, m] : [m, k]);
      const b = engine.zeros(tb ? [n, k] : [k, n]);
      const c = engine.empty([m, n]);
      a.data.fill(0.5);
      b.data.fill(0.25);
      const g = measure(2 * m * n * k, minCpu, () => gemm(a, b, c, ta, tb));
      out.push([name, `gemm ${m}x${n}x${k}${ta ? ' A^T' : ''}${tb ? ' B^T' : ''}`, g.toFixed(2)]);
    });
  }
  const convs: [number[], number[]][] = [
    [
      [32, 3, 32, 32],
      [16, 3, 3, 3],
    ],
    [
      [32, 16, 16, 16],
      [32, 16, 3, 3],
    ],
    [
      [16, 64, 8, 8],
      [64, 64, 3, 3],
    ],
  ];
  for (const [xs, ws] of convs) {
    engine.scope(() => {
      const o = { padding: 1 };
      const ys = conv2dOutputShape(xs, ws, o);
      const x = engine.zeros(xs);
      const w = engine.zeros(ws);
      const y = engine.zeros(ys);
      const bias = engine.zeros([ws[0] as number]);
      const dx = engine.zeros(xs);
      const dw = engine.zeros(ws);
      const flops =
        2 *
        ys.reduce((p, q) => p * q, 1) *
        (ws[1] as number) *
        (ws[2] as number) *
        (ws[3] as number);
      const f = measure(flops, minCpu, () => conv2d(x, w, bias, y, o));
      const bw = measure(2 * flops, minCpu, () => conv2dBackward(x, w, y, dx, dw, bias, o));
      out.push([
        `conv2d x [${xs}] w [${ws}] pad 1`,
        'forward / backward',
        `${f.toFixed(2)} / ${bw.toFixed(2)}`,
      ]);
    });
  }
  return out;
}

/**
 * Runs the SGEMM benchmark, then the network benchmark (bench/training-networks.ts: MLP
 * throughput next to PyTorch, MNIST quality). `--skip-engine` / `--skip-networks` run one part;
 * the network part's own flags are listed there.
 */
export async function run(args: string[]): Promise<void> {
  const { engineArgs, networkArgs, skipEngine, skipNetworks } = splitArgs(args);
  if (!skipEngine) await runEngine(engineArgs);
  if (!skipNetworks) await runNetworks(networkArgs, !engineArgs.includes('--no-write'));
}

/** Runs the SGEMM benchmark, prints the table and updates bench/RESULTS.md. */
async function runEngine(args: string[]): Promise<void> {
  const o = parse(args);
  const engine = await loadEngine();
  const rng = new Rng(12345);
  const rows: { n: number; mortar: number; ts: number; tuned: number; err: number }[] = [];
  for (const n of o.sizes) {
    const av = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
    const bv = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
    const flops = 2 * n ** 3;
    const row = engine.scope(() => {
      const a = engine.fromArray(av, [n, n]);
      const b = engine.fromArray(bv, [n, n]);
      const c = engine.empty([n, n]);
      const mortar = measure(flops, o.minCpu, () => gemm(a, b, c));
      const want = new Float32Array(n * n);
      const ts = measure(flops, o.minCpu, () =>
        refGemm(false, false, n, n, n, 1, av, n, bv, n, 0, want, n),
      );
      const tunedC = new Float32Array(n * n);
      const tuned = measure(flops, o.minCpu, () => tunedTsGemm(n, av, bv, tunedC));
      let err = 0;
      const got = c.data;
      for (let i = 0; i < n * n; i++)
        err = Math.max(err, Math.abs((got[i] as number) - (want[i] as number)));
      return { n, mortar, ts, tuned, err };
    });
    rows.push(row);
    console.error(
      `  n=${n}: mortar ${row.mortar.toFixed(2)}, reference TS ${row.ts.toFixed(2)}, tuned TS ${row.tuned.toFixed(2)} GFLOP/s`,
    );
  }

  const layers = layerShapes(engine, o.minCpu / 2);
  const notes: string[] = [];
  const others: { name: string; gflops: Record<string, number> }[] = [];
  if (o.python) {
    for (const [exe, which] of [
      ['python3', 'numpy'],
      ['/usr/bin/python3', 'torch'],
    ] as const) {
      const r = python(exe, which, o);
      if (typeof r === 'string') notes.push(r);
      else {
        others.push({ name: `${which} ${r.version}`, gflops: r.gflops });
        if (r.version.includes('BLAS_INFO=generic')) {
          notes.push(
            `${which} at ${exe} is built against the system BLAS alternative (BLAS_INFO=generic); ` +
              'with only reference BLAS installed its matmul is far from tuned',
          );
        }
      }
    }
  } else notes.push('python baselines skipped (--no-python)');

  const head = [
    'n',
    'Mortar WASM',
    'reference TS',
    'Mortar / ref',
    'tuned TS',
    'Mortar / tuned',
    ...others.flatMap((x) => [x.name, `Mortar / ${x.name.split(' ')[0]}`]),
  ];
  const lines = rows.map((r) => [
    String(r.n),
    r.mortar.toFixed(2),
    r.ts.toFixed(2),
    `${(r.mortar / r.ts).toFixed(1)}x`,
    r.tuned.toFixed(2),
    `${(r.mortar / r.tuned).toFixed(1)}x`,
    ...others.flatMap((x) => {
      const g = x.gflops[String(r.n)] ?? Number.NaN;
      return [g.toFixed(2), `${(r.mortar / g).toFixed(2)}x`];
    }),
  ]);
  const table = [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
  ].join('\n');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const context = [
    `Command: \`npm run bench -- training${args.length ? ` ${args.join(' ')}` : ''}\` (bench/training.ts).`,
    `SGEMM C = A B, square float32, GFLOP/s per CPU-second, one thread (${new Date().toISOString().slice(0, 10)},`,
    `${cpu}, ${cpus().length} cores, ${platform()}-${arch()}, Node ${process.version}). Baselines run in the same`,
    'invocation: the plain-TypeScript reference GEMM (the test oracle; float64 row accumulator),',
    'a tuned plain-TypeScript GEMM (4x4 register tiles on Float32Array), and numpy / PyTorch',
    'pinned to one thread when present.',
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (a shared 2-core machine; CPU-seconds, not wall time, are what is divided).`,
    `Max |Mortar - reference| over C: ${rows.map((r) => `${r.err.toExponential(1)} (n=${r.n})`).join(', ')}.`,
  ].join('\n');
  const layerTable = [
    'Training-shaped work, Mortar only (GFLOP/s per CPU-second; conv counts 2*N*OC*OH*OW*C*KH*KW',
    'for the forward and twice that for the backward, which computes dx, dw and dbias):',
    '',
    '| work | shape | GFLOP/s |',
    '|---|---|---|',
    ...layers.map((l) => `| ${l.join(' | ')} |`),
  ].join('\n');
  const body = [
    context,
    '',
    table,
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    '',
    layerTable,
  ].join('\n');
  console.log(`\n${SECTION}\n\n${body}\n`);
  if (o.write) writeSection(join(here, 'RESULTS.md'), `${SECTION}\n\n${body}\n`);
}

/** Replaces (or appends) our section, re-reading the file just before one atomic rename. */
function writeSection(path: string, section: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(`${SECTION}\n`);
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.indexOf('\n## ', start + SECTION.length);
    const rest = after < 0 ? '' : current.slice(after + 1);
    next = `${current.slice(0, start)}${section}${rest ? `\n${rest}` : ''}`;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, path);
  console.error(`updated ${path}`);
}
