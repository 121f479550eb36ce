// `npm run bench -- validation [quality|throughput] [--rows N] [--reps R] [--files=flights,csv]
// [--read] [--workers-variants] [--variants]`: the corruption quality suite on real vega-datasets, and profiling throughput
// (read + statistics) next to DuckDB's SUMMARIZE on the same files in the same run
// (flights-3m.parquet and a generated N x 20 CSV under /tmp, default 10M rows). Each engine runs
// in a fresh child process, interleaved rep by rep, so wall time, CPU time (all threads) and
// peak RSS are its own; medians are reported with the load average.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readBatches, readTable } from '../src/core/data/index.js';
import { Rng } from '../src/core/rng.js';
import { profileFile, runQualitySuite } from '../src/validation/index.js';

const vega = (f: string) =>
  join(dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets'))), 'data', f);

async function quality(): Promise<void> {
  const flights = await readTable(vega('flights-3m.parquet'), { maxRows: 400_000 });
  const datasets = [
    { name: 'flights-3m (first 400k)', table: flights },
    { name: 'flights-20k', table: await readTable(vega('flights-20k.json')) },
    {
      name: 'seattle-weather',
      table: await readTable(vega('seattle-weather.csv')),
      label: 'weather',
    },
    { name: 'movies', table: await readTable(vega('movies.json')), label: 'Major Genre' },
    { name: 'cars', table: await readTable(vega('cars.json')), label: 'Origin' },
    { name: 'penguins', table: await readTable(vega('penguins.json')), label: 'Species' },
    {
      name: 'birdstrikes',
      table: await readTable(vega('birdstrikes.csv')),
      label: 'Effect Amount of damage',
    },
  ];
  const r = runQualitySuite(datasets, {
    seed: 1,
    referenceRows: 16_000,
    cleanSizes: [200, 1000, 5000, 15_000],
    corruptSizes: [200, 2000],
    repeats: 3,
  });
  const kinds = [...new Set(r.corrupted.map((c) => c.kind))];
  console.log('\nquality: recall per corruption (caught with the right feature / injected)');
  for (const k of kinds) {
    const cs = r.corrupted.filter((c) => c.kind === k);
    console.log(`  ${k.padEnd(20)} ${cs.filter((c) => c.ok).length}/${cs.length}`);
  }
  const sizes = [...new Set(r.clean.map((c) => c.size))].sort((a, b) => a - b);
  console.log('false alarms on clean batches, by size:');
  for (const s of sizes) {
    const cs = r.clean.filter((c) => c.size === s);
    console.log(`  ${String(s).padEnd(8)} ${cs.filter((c) => !c.ok).length}/${cs.length}`);
  }
  console.log(
    `recall ${(100 * r.recall).toFixed(1)}% (${r.corrupted.filter((c) => c.ok).length}/${r.corrupted.length}), false-alarm rate ${(100 * r.falseAlarmRate).toFixed(1)}% (${r.clean.filter((c) => !c.ok).length}/${r.clean.length})`,
  );
  for (const c of r.clean.filter((x) => !x.ok))
    console.log(
      `  false alarm: ${c.dataset} n=${c.size}: ${c.anomalies.map((a) => `${a.feature} ${a.type} ${a.value} > ${a.threshold}`).join('; ')}`,
    );
  for (const c of r.corrupted.filter((x) => !x.ok))
    console.log(`  missed: ${c.dataset} ${c.kind} n=${c.size} (${c.note})`);
}

async function generateCsv(path: string, rows: number): Promise<void> {
  const rng = new Rng(42);
  const out = createWriteStream(path);
  const header = [
    ...Array.from({ length: 12 }, (_, i) => `x${i}`),
    ...Array.from({ length: 8 }, (_, i) => `s${i}`),
  ];
  out.write(header.join(',') + '\n');
  const cats = Array.from({ length: 8 }, (_, j) =>
    Array.from({ length: 10 * (j + 1) ** 2 }, (_, k) => `c${j}_${k}`),
  );
  let buf = '';
  for (let r = 0; r < rows; r++) {
    const line: string[] = [];
    for (let i = 0; i < 12; i++)
      line.push(i % 3 === 0 ? String(rng.int(0, 1000)) : (rng.normal() * (i + 1)).toFixed(4));
    for (let j = 0; j < 8; j++) {
      const c = cats[j] as string[];
      line.push(c[Math.min(c.length - 1, Math.floor(c.length * rng.float() ** 2))] as string);
    }
    buf += line.join(',') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res) => out.end(() => res()));
}

/** What one measured child process reports. */
interface Measure {
  readonly wall: number;
  /** User + system CPU seconds of the whole process: every thread (DuckDB, workers) included. */
  readonly cpu: number;
  /** Peak resident set of the whole process, MiB. */
  readonly rssMb: number;
  readonly rows: number;
}

type Engine = 'summarize' | 'profile' | 'read';

/** Runs in a fresh process (so peak RSS and CPU time are the engine's alone) and prints a Measure. */
async function child(engine: Engine, path: string, args: string[]): Promise<void> {
  const wi = args.indexOf('--workers');
  const workers = wi >= 0 ? Number(args[wi + 1]) : undefined;
  const parallel = args.includes('--parallel');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let rows = 0;
  if (engine === 'summarize') {
    const src = path.endsWith('.parquet') ? 'read_parquet' : 'read_csv';
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const r = await conn.runAndReadAll(`SUMMARIZE SELECT * FROM ${src}('${path}')`);
    rows = Number(r.getRowObjectsJS()[0]?.['count'] ?? NaN);
    conn.closeSync();
    db.closeSync();
  } else if (engine === 'profile') {
    const p = await profileFile(path, {
      ...(workers === undefined ? {} : { workers }),
      ...(parallel ? { read: { parallel: true } } : {}),
    });
    rows = p.rows;
  } else {
    for await (const b of readBatches(path, parallel ? { parallel: true } : {})) rows += b.numRows;
  }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const m: Measure = {
    wall,
    cpu: (c.user + c.system) / 1e6,
    rssMb: process.resourceUsage().maxRSS / 1024,
    rows,
  };
  console.log(JSON.stringify(m));
}

function measure(engine: Engine, path: string, extra: string[] = []): Measure {
  const r = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      process.argv[1] as string,
      'validation',
      '--child',
      engine,
      path,
      ...extra,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Measure;
  } catch {
    throw new Error(`${engine} child failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

interface Contender {
  readonly label: string;
  readonly engine: Engine;
  readonly extra?: string[];
}

async function throughput(rows: number, reps: number, args: string[]): Promise<void> {
  const csv = `/tmp/mortar-validation-bench-${rows}.csv`;
  if (!existsSync(csv)) {
    console.log(`generating ${rows.toLocaleString()} x 20 CSV at ${csv} ...`);
    await generateCsv(csv + '.part', rows);
    await rename(csv + '.part', csv);
  }
  const only = args.find((a) => a.startsWith('--files='))?.slice(8);
  const files = [
    { name: 'flights-3m.parquet (3M x 5)', key: 'flights', path: vega('flights-3m.parquet') },
    { name: `generated CSV (${rows / 1e6}M x 20)`, key: 'csv', path: csv },
  ].filter((f) => !only || only.split(',').includes(f.key));
  const contenders: Contender[] = [
    { label: 'DuckDB SUMMARIZE', engine: 'summarize' },
    { label: 'mortar profileFile', engine: 'profile' },
  ];
  if (args.includes('--read') && !args.includes('--variants')) {
    contenders.push({ label: 'readBatches only (no statistics)', engine: 'read' });
  }
  if (args.includes('--workers-variants')) {
    contenders.push(
      { label: 'mortar profileFile, 0 workers', engine: 'profile', extra: ['--workers', '0'] },
      { label: 'mortar profileFile, 1 worker', engine: 'profile', extra: ['--workers', '1'] },
      { label: 'mortar profileFile, 2 workers', engine: 'profile', extra: ['--workers', '2'] },
    );
  }
  if (args.includes('--variants')) {
    contenders.push(
      { label: 'mortar profileFile, 0 workers', engine: 'profile', extra: ['--workers', '0'] },
      { label: 'mortar profileFile, 1 worker', engine: 'profile', extra: ['--workers', '1'] },
      { label: 'mortar profileFile, 2 workers', engine: 'profile', extra: ['--workers', '2'] },
      { label: 'mortar profileFile, parallel read', engine: 'profile', extra: ['--parallel'] },
      { label: 'readBatches only (no statistics)', engine: 'read' },
    );
  }
  console.log(
    `\nthroughput (read + statistics), each run in a fresh process, engines interleaved per rep, ` +
      `medians of ${reps} reps; ${cpus().length} cores, node ${process.version}`,
  );
  for (const f of files) {
    const runs = new Map<string, Measure[]>();
    const loadBefore = load();
    for (let r = 0; r < reps; r++) {
      for (const c of contenders) {
        const m = measure(c.engine, f.path, c.extra);
        (runs.get(c.label) ?? runs.set(c.label, []).get(c.label))?.push(m);
        console.log(
          `  rep ${r + 1} ${c.label}: ${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU, ${m.rssMb.toFixed(0)} MiB (load ${load()})`,
        );
      }
    }
    const base = runs.get('DuckDB SUMMARIZE') as Measure[];
    console.log(`\n${f.name}: load average before ${loadBefore}, after ${load()}`);
    console.log(
      '| engine | wall s | rows/s | CPU s | peak RSS MiB | speed vs SUMMARIZE (wall) | per-rep wall ratio | CPU ratio |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const [label, ms] of runs) {
      const wall = median(ms.map((m) => m.wall));
      const cpu = median(ms.map((m) => m.cpu));
      const n = ms[0]?.rows ?? NaN;
      const perRep = median(ms.map((m, i) => (base[i]?.wall ?? NaN) / m.wall));
      console.log(
        `| ${label} | ${wall.toFixed(2)} | ${Math.round(n / wall).toLocaleString('en-US')} | ${cpu.toFixed(2)} | ${median(
          ms.map((m) => m.rssMb),
        ).toFixed(
          0,
        )} | ${(median(base.map((m) => m.wall)) / wall).toFixed(2)}x | ${perRep.toFixed(2)}x | ${(
          median(base.map((m) => m.cpu)) / cpu
        ).toFixed(2)}x |`,
      );
    }
  }
  if (args.includes('--clean')) await rm(csv, { force: true });
}

/** Entry point for `npm run bench -- validation`. */
export async function run(args: string[]): Promise<void> {
  const ci = args.indexOf('--child');
  if (ci >= 0) {
    await child(args[ci + 1] as Engine, args[ci + 2] as string, args);
    return;
  }
  const what = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'all';
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 10_000_000;
  const ri = args.indexOf('--reps');
  const reps = ri >= 0 ? Number(args[ri + 1]) : 3;
  if (what === 'all' || what === 'quality') await quality();
  if (what === 'all' || what === 'throughput') await throughput(rows, reps, args);
}
