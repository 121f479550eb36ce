// `npm run bench -- data [--reps N] [--file PATH] [--threads N] [--modes a,b,...]`
// Rows/s to read a Parquet file into Mortar's columnar form (readBatches: every column decoded
// into typed arrays), next to two DuckDB baselines measured in the same process:
//   engine: DuckDB scanning the file inside the engine (aggregates over every column);
//   drain:  DuckDB handing every 2,048-row chunk of `SELECT *` to JS through @duckdb/node-api's
//           streaming result, decoding nothing (the floor for a single-thread reader on node-api);
//   seq:    Mortar readBatches on the calling thread (`parallel: false`);
//   par:    Mortar readBatches in worker threads (`parallel: true`, ordered: the default);
//   unord:  the same with `ordered: false`.
// Reps are interleaved; medians are reported, with CPU time (all threads of this process) per
// read. Worker threads are started before the timed reps (the first parallel read, which
// starts them, is reported on its own). Peak RSS is measured per mode in a fresh child process
// (one read each), so modes do not inherit each other's peaks.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { readBatches, type ReadOptions } from '../src/core/data/index.js';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const mib = (kb: number) => Math.round(kb / 1024);

const MODES = ['engine', 'drain', 'seq', 'par', 'unord'] as const;
type Mode = (typeof MODES)[number];
const READ_OPTS: Record<'seq' | 'par' | 'unord', ReadOptions> = {
  seq: { parallel: false },
  par: { parallel: true },
  unord: { parallel: true, ordered: false },
};

/** Runs the data-read benchmark and prints a table plus ratios. */
export async function run(args: string[]): Promise<void> {
  const file = arg(args, '--file', 'node_modules/vega-datasets/data/flights-3m.parquet');
  const reps = Number(arg(args, '--reps', '5'));
  const threads = arg(args, '--threads', '');
  const modes = arg(args, '--modes', MODES.join(',')).split(',') as Mode[];
  const engineOpts = threads ? { threads: Number(threads) } : {};
  const child = arg(args, '--rss-child', '');

  const inst = await DuckDBInstance.create(':memory:', threads ? { threads } : {});
  const conn = await inst.connect();
  const src = `read_parquet('${file.replace(/'/g, "''")}')`;
  const desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS();
  const aggs = desc.flatMap((c) => {
    const q = `"${String(c['column_name']).replace(/"/g, '""')}"`;
    return [`min(${q})`, `max(${q})`, `count(${q})`];
  });
  const fns: Record<Mode, () => Promise<number>> = {
    engine: async () => {
      const r = await conn.runAndReadAll(`SELECT count(*), ${aggs.join(', ')} FROM ${src}`);
      return Number(r.getRows()[0]?.[0]);
    },
    drain: async () => {
      const res = await conn.stream(`SELECT * FROM ${src}`);
      let rows = 0;
      let next = res.fetchChunk();
      for (;;) {
        const chunk = await next;
        if (!chunk || chunk.rowCount === 0) break;
        next = res.fetchChunk();
        rows += chunk.rowCount;
      }
      return rows;
    },
    seq: () => mortar(READ_OPTS.seq),
    par: () => mortar(READ_OPTS.par),
    unord: () => mortar(READ_OPTS.unord),
  };
  async function mortar(opts: ReadOptions): Promise<number> {
    let rows = 0;
    for await (const b of readBatches(file, { ...engineOpts, ...opts })) rows += b.numRows;
    return rows;
  }

  if (child) {
    // One read in a fresh process: report RSS at start and the peak after it.
    const before = process.resourceUsage().maxRSS;
    const rows = await fns[child as Mode]();
    console.log(JSON.stringify({ before, peak: process.resourceUsage().maxRSS, rows }));
    conn.closeSync();
    inst.closeSync();
    process.exit(0);
  }

  const rows = await fns.drain();
  const time = async (fn: () => Promise<number>) => {
    const c0 = cpuMs();
    const t0 = performance.now();
    const n = await fn();
    if (n !== rows) throw new Error(`read ${n} rows, expected ${rows}`);
    return { ms: performance.now() - t0, cpu: cpuMs() - c0 };
  };
  // Warm-up: one of each; the first parallel read starts the worker threads.
  const cold: Partial<Record<Mode, number>> = {};
  for (const m of modes) cold[m] = (await time(fns[m])).ms;

  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (let i = 0; i < reps; i++) {
    for (const m of modes) {
      const t = await time(fns[m]);
      (wall[m] ??= []).push(t.ms);
      (cpu[m] ??= []).push(t.cpu);
    }
  }
  conn.closeSync();
  inst.closeSync();

  const rss: Partial<Record<Mode, { before: number; peak: number }>> = {};
  for (const m of modes) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1] as string, 'data', ...args, '--rss-child', m],
      { encoding: 'utf8' },
    );
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      rss[m] = JSON.parse(line) as { before: number; peak: number };
    } catch {
      rss[m] = undefined;
    }
  }

  const engineMs = median(wall['engine'] ?? [NaN]);
  const drainMs = median(wall['drain'] ?? [NaN]);
  console.log(
    `file: ${file} (${rows} rows x ${desc.length} columns), reps: ${reps}, threads: ${threads || 'default'}`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} cores (availableParallelism ${availableParallelism()})`,
  );
  const label: Record<Mode, string> = {
    engine: 'DuckDB engine scan (aggregates)',
    drain: 'DuckDB -> JS chunk drain',
    seq: 'Mortar readBatches, calling thread',
    par: 'Mortar readBatches, workers',
    unord: 'Mortar readBatches, workers, unordered',
  };
  // Ratios of medians, and the median of per-rep ratios (the load here drifts between reps;
  // modes measured in the same rep see about the same load).
  const perRep = (m: Mode, base: Mode) =>
    median((wall[m] ?? []).map((t, i) => t / ((wall[base] ?? [])[i] ?? NaN)));
  console.log(
    `${'mode'.padEnd(40)} ${'ms'.padStart(6)} ${'M rows/s'.padStart(9)} ${'CPU ms'.padStart(7)} ` +
      `${'x engine'.padStart(9)} ${'x drain'.padStart(8)} ${'x eng/rep'.padStart(9)} ` +
      `${'cold ms'.padStart(8)} ${'peak RSS'.padStart(9)}`,
  );
  for (const m of modes) {
    const ms = median(wall[m] ?? [NaN]);
    const r = rss[m];
    console.log(
      `${label[m].padEnd(40)} ${ms.toFixed(0).padStart(6)} ${(rows / ms / 1000).toFixed(2).padStart(9)} ` +
        `${median(cpu[m] ?? [NaN])
          .toFixed(0)
          .padStart(7)} ${(ms / engineMs).toFixed(2).padStart(8)}x ${(ms / drainMs)
          .toFixed(2)
          .padStart(7)}x ${perRep(m, 'engine').toFixed(2).padStart(8)}x ${(cold[m] ?? NaN)
          .toFixed(0)
          .padStart(8)} ${r ? `${mib(r.peak)} MiB`.padStart(9) : '?'.padStart(9)}`,
    );
  }
  const startRss = Object.values(rss).find((r) => r)?.before;
  if (startRss) console.log(`RSS of a fresh process before reading: ${mib(startRss)} MiB`);
  console.log(
    `all reps ms: ${JSON.stringify(Object.fromEntries(Object.entries(wall).map(([k, v]) => [k, v.map((x) => Math.round(x))])))}`,
  );
  console.log(
    `all reps CPU ms: ${JSON.stringify(Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v.map((x) => Math.round(x))])))}`,
  );
}
